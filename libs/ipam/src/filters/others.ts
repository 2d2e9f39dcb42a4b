import { sql, type FilterDefinition } from '@plinth/plugin-sdk';
import { ancestorsOf } from '../rules/locations';
import { tables } from '../tables';

/** VLAN filters beyond the generated `vid`, `vlan_group`, `location`, `status`, ... */
export const vlanFilters: Record<string, FilterDefinition> = {
  available_on_device: {
    help_text: "VLANs a device's interfaces may use: global ones and those of its location or a parent of it",
    apply: (values, ctx) => {
      const deviceLocations = sql`SELECT _d."location_id" FROM ${tables.device} _d WHERE _d."id" IN (${ctx.idsOf('dcim.device', values)})`;
      return sql`(${ctx.alias}."location_id" IS NULL OR ${ctx.alias}."location_id" IN (${ancestorsOf(deviceLocations)}))`;
    },
  },
};

/** VRF filters: one route target at a time, as Nautobot names them. */
export const vrfFilters: Record<string, FilterDefinition> = {
  import_target: {
    help_text: 'Imports this route target (id or name)',
    apply: (values, ctx) => ctx.path('import_targets', values),
  },
  export_target: {
    help_text: 'Exports this route target (id or name)',
    apply: (values, ctx) => ctx.path('export_targets', values),
  },
};

/** Service filters. */
export const serviceFilters: Record<string, FilterDefinition> = {
  device_id: { label: 'Device (ID)', type: 'uuid', apply: (values, ctx) => ctx.path('device', values) },
  virtual_machine_id: {
    label: 'Virtual machine (ID)',
    type: 'uuid',
    apply: (values, ctx) => ctx.path('virtual_machine', values),
  },
  port: {
    type: 'integer',
    help_text: 'Listens on this port',
    apply: (values, { alias }) => sql`${alias}."ports" && ${values.map(Number)}::int[]`,
  },
};
