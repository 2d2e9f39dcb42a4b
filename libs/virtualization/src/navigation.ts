import type { NavTab } from '@plinth/plugin-sdk';

/** Virtualization's menu entries (the web UI's menu is built only from such contributions). */
export const virtualizationNavigation: NavTab = {
  name: 'Virtualization',
  // Between IPAM and Circuits, as in Nautobot's menu.
  weight: 400,
  groups: [
    {
      name: 'Virtual Machines',
      weight: 100,
      items: [{ model: 'virtualization.virtualmachine' }, { model: 'virtualization.vminterface' }],
    },
    {
      name: 'Clusters',
      weight: 200,
      items: [
        { model: 'virtualization.cluster' },
        { model: 'virtualization.clustertype' },
        { model: 'virtualization.clustergroup' },
      ],
    },
  ],
};
