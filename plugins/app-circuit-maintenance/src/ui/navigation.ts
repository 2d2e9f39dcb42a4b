import { CORE_NAV_TABS, type NavTab } from '@plinth/plugin-sdk';

/** A "Circuit Maintenance" group inside the core Circuits tab. */
export const maintenanceNavigation: NavTab[] = [
  {
    name: 'Circuits',
    weight: CORE_NAV_TABS.Circuits,
    groups: [
      {
        name: 'Circuit Maintenance',
        weight: 300,
        items: [
          { model: 'circuit_maintenance.circuitmaintenance' },
          { model: 'circuit_maintenance.circuitimpact' },
          {
            label: 'Upload notification',
            link: '/plugins/circuit-maintenance/upload/',
            permissions: ['circuit_maintenance.add_rawnotification'],
          },
          { model: 'circuit_maintenance.rawnotification' },
          { model: 'circuit_maintenance.parsednotification' },
        ],
      },
    ],
  },
];
