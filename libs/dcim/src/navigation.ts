import type { NavTab } from '@plinth/plugin-sdk';
import { KINDS_BY_MENU } from './components/kinds';

/** DCIM's menu entries (the web UI's menu is built only from such contributions). */
export const dcimNavigation: NavTab[] = [
  {
    name: 'Organization',
    groups: [
      { name: 'Locations', weight: 100, items: [{ model: 'dcim.location' }, { model: 'dcim.locationtype' }] },
      {
        name: 'Racks',
        weight: 200,
        items: [{ model: 'dcim.rack' }, { model: 'dcim.rackgroup' }, { model: 'dcim.rackreservation' }],
      },
    ],
  },
  {
    name: 'Devices',
    groups: [
      {
        name: 'Devices',
        weight: 100,
        items: [
          { model: 'dcim.device' },
          { model: 'dcim.devicetype' },
          { model: 'dcim.manufacturer' },
          { model: 'dcim.platform' },
          { model: 'dcim.virtualchassis' },
        ],
      },
      {
        name: 'Modules',
        weight: 150,
        items: [{ model: 'dcim.module' }, { model: 'dcim.moduletype' }, { model: 'dcim.modulebay' }],
      },
      { name: 'Connections', weight: 200, items: [{ model: 'dcim.cable' }] },
      {
        name: 'Software',
        weight: 250,
        items: [{ model: 'dcim.softwareversion' }, { model: 'dcim.softwareimagefile' }],
      },
      {
        name: 'Components',
        weight: 300,
        items: [...KINDS_BY_MENU.map((k) => ({ model: k.label })), { model: 'dcim.inventoryitem' }],
      },
    ],
  },
  {
    // After Circuits (500), as in Nautobot's menu.
    name: 'Power',
    weight: 600,
    groups: [
      { name: 'Power', weight: 100, items: [{ model: 'dcim.powerfeed' }, { model: 'dcim.powerpanel' }] },
    ],
  },
];
