import {
  ValidationError,
  booleanFilter,
  sql,
  treeFilter,
  type FilterContext,
  type FilterDefinition,
  type Sql,
} from '@plinth/plugin-sdk';
import {
  NONCONNECTABLE_INTERFACE_TYPES,
  VIRTUAL_INTERFACE_TYPES,
  WIRELESS_INTERFACE_TYPES,
} from './component-choices';
import { CABLED_KINDS, COMPONENT_KINDS, type ComponentKind } from './components/kinds';
import { pathSummaries } from './paths/path-sql';
import { tables } from './tables';

/** Filters users of Nautobot expect beyond the ones generated from fields (Nautobot 2.x names). */

/** `tenant_group`: objects whose tenant is in the group or below (Nautobot's TenancyModelFilterSetMixin). */
const tenantGroupFilter = treeFilter(
  'Tenant group (name or ID, including child groups)',
  'tenant.tenant_group',
);

/** `cabled`: a cable is attached. */
export const cabledFilter = booleanFilter(
  'Has a cable attached',
  (ctx) => sql`${ctx.alias}."cable_id" IS NOT NULL`,
);

/** `connected`: the cable path reaches an endpoint and every cable on it is connected. */
export function connectedFilter(label: string): FilterDefinition {
  return booleanFilter('Connected to an endpoint through connected cables', (ctx) => {
    const origins = sql`SELECT ${label}::text, c.id FROM ${sql.table(ctx.model)} c WHERE c.cable_id IS NOT NULL`;
    return sql`${ctx.alias}."id" IN (SELECT s.origin_id FROM (${pathSummaries(ctx.models, origins)}) s WHERE s.reachable)`;
  });
}

/** `has_devices`: some device points at the object through `column`. */
function hasDevicesFilter(column: string): FilterDefinition {
  return booleanFilter(
    'Has devices',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${tables.device} d WHERE d.${sql.ident(column)} = ${ctx.alias}."id")`,
  );
}

/** Device ids matching a `device` / `location` / `rack` style reference. */
function devicesAt(ctx: FilterContext, field: 'location' | 'rack', values: string[]): Sql {
  const ids = field === 'location' ? ctx.treeIdsOf('dcim.location', values) : ctx.idsOf('dcim.rack', values);
  return sql`SELECT id FROM ${tables.device} WHERE ${sql.ident(`${field}_id`)} IN (${ids})`;
}

/** `location` of a device component: its device's location or below. */
const componentLocationFilter = treeFilter(
  'Location of the device (name or ID, including child locations)',
  'device.location',
);

/** `has_interfaces` and friends: on devices (components) or device types (templates). */
function hasComponentFilters(of: 'device' | 'device_type'): Record<string, FilterDefinition> {
  return Object.fromEntries(
    COMPONENT_KINDS.map((kind) => [
      kind.has_filter,
      booleanFilter(`Has ${kind.verbose_name_plural}`, (ctx) => {
        const table = sql.table(of === 'device' ? kind.label : kind.template_label);
        return sql`EXISTS (SELECT 1 FROM ${table} x WHERE x.${sql.ident(`${of}_id`)} = ${ctx.alias}."id")`;
      }),
    ]),
  );
}

export function macCondition(values: string[], column: Sql): Sql {
  const macs = values.map((v) => {
    const hex = v.trim().replace(/[:.\-\s]/g, '');
    if (!/^[0-9a-fA-F]{12}$/.test(hex))
      throw ValidationError.field('mac_address', `"${v}" is not a valid MAC address.`);
    return hex.toUpperCase().match(/.{2}/g)!.join(':');
  });
  return sql`${column} = ANY(${macs}::macaddr[])`;
}

/** `device_type`: by id, `manufacturer;model`, or the model alone (Nautobot's to_field_name="model"). */
export const deviceTypeFilter: FilterDefinition = {
  label: 'Device type (ID, model, or manufacturer;model)',
  apply: (values, ctx) =>
    sql`${ctx.alias}."device_type_id" IN (${ctx.idsOf('dcim.devicetype', values)} UNION SELECT id FROM ${tables.deviceType} WHERE model = ANY(${values}::text[]))`,
};

export const deviceFilters: Record<string, FilterDefinition> = {
  device_type: deviceTypeFilter,
  manufacturer: {
    label: 'Manufacturer of the device type (name or ID)',
    apply: (values, ctx) => ctx.path('device_type.manufacturer', values),
  },
  rack_group: treeFilter('Rack group of the rack (name or ID, including child groups)', 'rack.rack_group'),
  tenant_group: tenantGroupFilter,
  is_full_depth: booleanFilter(
    'The device type is full depth',
    (ctx) => sql`${ctx.alias}."device_type_id" IN (SELECT id FROM ${tables.deviceType} WHERE is_full_depth)`,
  ),
  cluster_id: {
    label: 'Virtualization cluster the device hosts (ID)',
    type: 'uuid',
    apply: (values, ctx) => ctx.path('cluster', values),
  },
  has_primary_ip: booleanFilter(
    'Has a primary IP',
    (ctx) => sql`(${ctx.alias}."primary_ip4_id" IS NOT NULL OR ${ctx.alias}."primary_ip6_id" IS NOT NULL)`,
  ),
  is_virtual_chassis_member: booleanFilter(
    'Is a virtual chassis member',
    (ctx) => sql`${ctx.alias}."virtual_chassis_id" IS NOT NULL`,
  ),
  mac_address: {
    label: 'MAC address of one of its interfaces',
    apply: (values, ctx) =>
      sql`EXISTS (SELECT 1 FROM ${tables.interface} i WHERE i.device_id = ${ctx.alias}."id" AND ${macCondition(values, sql`i.mac_address`)})`,
  },
  ...hasComponentFilters('device'),
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      const t = ctx.alias;
      return sql`(${t}."name" ILIKE ${like} OR ${t}."serial" ILIKE ${like} OR ${t}."asset_tag" ILIKE ${like} OR ${t}."comments" ILIKE ${like}
        OR ${t}."device_type_id" IN (SELECT id FROM ${tables.deviceType} WHERE model ILIKE ${like} OR part_number ILIKE ${like}))`;
    },
  },
};

export const deviceTypeFilters: Record<string, FilterDefinition> = {
  ...hasComponentFilters('device_type'),
  has_devices: hasDevicesFilter('device_type_id'),
};

export const interfaceFilters: Record<string, FilterDefinition> = {
  device: {
    label: 'Device (name or ID); a virtual chassis master also shows its members’ interfaces',
    apply: (values, ctx) => {
      const devices = ctx.idsOf('dcim.device', values);
      const t = ctx.alias;
      // One IN list the device_id index can serve; an OR of the two sets made it scan every interface.
      return sql`(${t}."device_id" IN (${devices} UNION ALL
        SELECT m.id FROM ${tables.device} m JOIN ${tables.virtualChassis} vc ON vc.id = m.virtual_chassis_id WHERE vc.master_id IN (${devices}))
        AND (NOT ${t}."mgmt_only" OR ${t}."device_id" IN (${devices})))`;
    },
  },
  device_with_common_vc: {
    label: 'Interfaces of the device and of every other member of its virtual chassis (device ID)',
    type: 'uuid',
    apply: (values, ctx) =>
      sql`${ctx.alias}."device_id" IN (SELECT d.id FROM ${tables.device} d, ${tables.device} o WHERE o.id = ANY(${values}::uuid[])
        AND (d.id = o.id OR d.virtual_chassis_id = o.virtual_chassis_id))`,
  },
  kind: {
    label: 'Kind of interface: physical, virtual or wireless',
    apply: (values, ctx) => {
      const conds = values.map((v) => {
        const kind = v.trim().toLowerCase();
        if (kind === 'physical')
          return sql`NOT (${ctx.alias}."type" = ANY(${NONCONNECTABLE_INTERFACE_TYPES}::text[]))`;
        if (kind === 'virtual') return sql`${ctx.alias}."type" = ANY(${VIRTUAL_INTERFACE_TYPES}::text[])`;
        if (kind === 'wireless') return sql`${ctx.alias}."type" = ANY(${WIRELESS_INTERFACE_TYPES}::text[])`;
        throw ValidationError.field('kind', `"${v}" is not one of physical, virtual, wireless.`);
      });
      return sql.or(conds);
    },
  },
  location: componentLocationFilter,
  cabled: cabledFilter,
  connected: connectedFilter('dcim.interface'),
};

/** Filters of every device component: its location; its cable and path for those that have them. */
export function componentFilters(kind: ComponentKind): Record<string, FilterDefinition> {
  return {
    location: componentLocationFilter,
    ...(kind.cabled ? { cabled: cabledFilter } : {}),
    ...(kind.path_endpoint ? { connected: connectedFilter(kind.label) } : {}),
  };
}

/** Ids of components (any kind a cable ends on) of the given devices. */
function componentsOf(devices: Sql): Sql {
  return sql.join(
    CABLED_KINDS.map((k) => sql`SELECT id FROM ${sql.table(k.label)} WHERE device_id IN (${devices})`),
    ' UNION ALL ',
  );
}

function cableEndsAt(ctx: FilterContext, devices: Sql): Sql {
  const components = componentsOf(devices);
  return sql`(${ctx.alias}."termination_a_id" IN (${components}) OR ${ctx.alias}."termination_b_id" IN (${components}))`;
}

export const cableFilters: Record<string, FilterDefinition> = {
  device: {
    label: 'A device at either end (name or ID)',
    apply: (values, ctx) => cableEndsAt(ctx, ctx.idsOf('dcim.device', values)),
  },
  location: {
    label: 'Location of a device at either end (name or ID, including child locations)',
    apply: (values, ctx) => cableEndsAt(ctx, devicesAt(ctx, 'location', values)),
  },
  rack: {
    label: 'Rack of a device at either end (name or ID)',
    apply: (values, ctx) => cableEndsAt(ctx, devicesAt(ctx, 'rack', values)),
  },
  termination_type: {
    label: 'Object type at either end (dcim.interface, ...)',
    apply: (values, ctx) =>
      sql`(${ctx.alias}."termination_a_type" = ANY(${values}::text[]) OR ${ctx.alias}."termination_b_type" = ANY(${values}::text[]))`,
  },
};

export const rackFilters: Record<string, FilterDefinition> = {
  tenant_group: tenantGroupFilter,
  has_devices: hasDevicesFilter('rack_id'),
};

export const locationFilters: Record<string, FilterDefinition> = {
  // Exactly the given types: location types form a tree, but a type's children are other types.
  location_type: {
    label: 'Location type (name or ID)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."location_type_id" IN (${ctx.idsOf('dcim.locationtype', values)})`,
  },
  tenant_group: tenantGroupFilter,
  content_type: {
    label: 'Object type its location type permits (dcim.device, ...)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."location_type_id" IN (SELECT id FROM ${tables.locationType} WHERE content_types && ${values}::varchar[])`,
  },
};

export const virtualChassisFilters: Record<string, FilterDefinition> = {
  location: {
    label: 'Location of the master (name or ID, including child locations)',
    apply: (values, ctx) => sql`${ctx.alias}."master_id" IN (${devicesAt(ctx, 'location', values)})`,
  },
};
