import type { NavTab } from '@plinth/plugin-sdk';

/** IPAM's menu entries (the web UI's menu is built only from such contributions). */
export const ipamNavigation: NavTab = {
  name: 'IPAM',
  groups: [
    { name: 'IP Addresses', weight: 100, items: [{ model: 'ipam.ipaddress' }] },
    { name: 'Prefixes', weight: 200, items: [{ model: 'ipam.prefix' }, { model: 'ipam.rir' }] },
    {
      name: 'Routing',
      weight: 300,
      items: [{ model: 'ipam.namespace' }, { model: 'ipam.vrf' }, { model: 'ipam.routetarget' }],
    },
    { name: 'VLANs', weight: 400, items: [{ model: 'ipam.vlan' }, { model: 'ipam.vlangroup' }] },
    { name: 'Services', weight: 500, items: [{ model: 'ipam.service' }] },
  ],
};
