import type { NavTab } from '@plinth/plugin-sdk';

/** Circuits' menu entries (the web UI's menu is built only from such contributions). */
export const circuitsNavigation: NavTab = {
  name: 'Circuits',
  groups: [
    {
      name: 'Circuits',
      weight: 100,
      items: [
        { model: 'circuits.circuit' },
        { model: 'circuits.circuittype' },
        { model: 'circuits.circuittermination' },
      ],
    },
    {
      name: 'Providers',
      weight: 200,
      items: [{ model: 'circuits.provider' }, { model: 'circuits.providernetwork' }],
    },
  ],
};
