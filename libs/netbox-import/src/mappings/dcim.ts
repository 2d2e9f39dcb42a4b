import {
  integral,
  pick,
  Skip,
  type MapContext,
  type Match,
  type ModelMapping,
  type PlinthInput,
} from '../mapping';
import { rowsBy, rowsOf, type NetboxRow } from '../source/types';
import { place } from './locations';
import { extras, required } from './organization';

/** NetBox's three role models become Nautobot's one Role, offered for the models they applied to. */
function roleMapping(
  netbox: string,
  contentTypes: (row: NetboxRow, ctx: MapContext) => string[],
): ModelMapping {
  return {
    netbox,
    target: 'extras.role',
    fields: ['name', 'slug', 'color', 'description', 'vm_role', 'weight'],
    map: (row, ctx) => ({
      ...pick(row, ['name', 'color', 'description', 'weight']),
      content_types: contentTypes(row, ctx).filter((l) => ctx.hasModel(l)),
    }),
    // "Access" may be a device role and a rack role in NetBox: one Role offered for both.
    async match(input, _row, ctx) {
      const [role] = await ctx.objects.find('extras.role', { name: String(input.name) }, { limit: 1 });
      if (!role) return undefined;
      const types = new Set([
        ...((role.content_types as string[]) ?? []),
        ...(input.content_types as string[]),
      ]);
      if (types.size !== ((role.content_types as string[]) ?? []).length)
        await ctx.ensureUpdate('extras.role', role.id, { content_types: [...types].sort() });
      return { id: role.id, update: false, note: 'roles of the same name are one Role' };
    },
  };
}

const NESTED_MODULES = 'module bays on modules and the modules in them (nesting) are not imported yet';

/** Components and templates: the same fields on every kind. */
const COMPONENT_FIELDS = ['name', 'label', 'description', 'type'];

/**
 * A component kind. Plinth makes a device's components from its type's templates; a NetBox
 * component of the same name on the same device is that one (matched, then brought up to date).
 */
function componentMapping(
  netbox: string,
  target: string,
  extra: readonly string[],
  map: (row: NetboxRow, ctx: MapContext) => PlinthInput = () => ({}),
  /** The field naming the device in Plinth (a module bay's is `parent_device`). */
  owner: 'device' | 'parent_device' = 'device',
): ModelMapping {
  const existing = new Map<string, string>();
  const onModules = !['dcim.devicebay', 'dcim.modulebay'].includes(target);
  return {
    netbox,
    target,
    fields: ['device', 'module', ...COMPONENT_FIELDS, ...extra, 'cable', 'link_peers_type', 'wireless_link'],
    map(row, ctx) {
      if (!onModules && row.fields.module) return new Skip(NESTED_MODULES);
      return {
        [owner]: required(ctx.ref('dcim.device', row.fields.device, 'device'), 'device'),
        // A module's components were made when the module was installed: matched below by name.
        ...(onModules ? { module: ctx.ref('dcim.module', row.fields.module, 'module') } : {}),
        ...pick(row, [...COMPONENT_FIELDS, ...extra.filter((f) => !['cable'].includes(f))]),
        ...map(row, ctx),
        ...(target === 'dcim.devicebay' ? {} : extras(row, ctx)),
      };
    },
    async prepare(rows, ctx) {
      existing.clear();
      const devices = [
        ...new Set(rows.map((r) => ctx.mapped('dcim.device', String(r.fields.device)))),
      ].filter((d): d is string => !!d);
      for (let i = 0; i < devices.length; i += 200)
        for (const c of await ctx.objects.find(target, { [owner]: devices.slice(i, i + 200) }))
          existing.set(`${idOf(c[owner])}\0${String(c.name)}`, c.id);
    },
    match: async (input): Promise<Match | undefined> => {
      const id = existing.get(`${String(input[owner])}\0${String(input.name)}`);
      return id
        ? {
            id,
            update: true,
            note: "components made from the device type or a module's type were matched by name",
          }
        : undefined;
    },
    async finish(ctx) {
      // Template components NetBox's devices do not have are removed (NetBox removed them).
      const imported = new Set(rowsOf(ctx.data, netbox).map((r) => ctx.mapped(netbox, r.pk)));
      const extra = [...existing.values()].filter((id) => !imported.has(id));
      if (extra.length) await ctx.ensureDeleted(target, extra);
      existing.clear();
      return extra.length
        ? `${extra.length} component(s) made from templates that NetBox's devices do not have were removed`
        : undefined;
    },
  };
}

function templateMapping(
  netbox: string,
  target: string,
  extra: readonly string[],
  map?: (row: NetboxRow, ctx: MapContext) => PlinthInput,
): ModelMapping {
  return {
    netbox,
    target,
    fields: ['device_type', 'module_type', ...COMPONENT_FIELDS, ...extra],
    map(row, ctx) {
      return {
        ...ownerType(row, ctx),
        ...pick(row, [...COMPONENT_FIELDS, ...extra]),
        ...(map ? map(row, ctx) : {}),
      };
    },
  };
}

/** The device type or module type a template belongs to (exactly one). */
function ownerType(row: NetboxRow, ctx: MapContext): PlinthInput {
  if (row.fields.module_type)
    return {
      module_type: required(ctx.ref('dcim.moduletype', row.fields.module_type, 'module_type'), 'module_type'),
    };
  return {
    device_type: required(ctx.ref('dcim.devicetype', row.fields.device_type, 'device_type'), 'device_type'),
  };
}

export function idOf(v: unknown): string {
  return typeof v === 'object' && v !== null ? String((v as { id: unknown }).id) : String(v);
}

export const dcimTypeMappings: ModelMapping[] = [
  roleMapping('dcim.devicerole', (row) =>
    row.fields.vm_role ? ['dcim.device', 'virtualization.virtualmachine'] : ['dcim.device'],
  ),
  roleMapping('dcim.rackrole', () => ['dcim.rack']),
  roleMapping('ipam.role', () => ['ipam.prefix', 'ipam.vlan']),
  {
    netbox: 'dcim.manufacturer',
    target: 'dcim.manufacturer',
    fields: ['name', 'slug', 'description'],
    map: (row) => pick(row, ['name', 'description']),
  },
  {
    netbox: 'dcim.platform',
    target: 'dcim.platform',
    fields: ['name', 'slug', 'manufacturer', 'napalm_driver', 'napalm_args', 'description'],
    map: (row, ctx) => ({
      ...pick(row, ['name', 'napalm_driver', 'napalm_args', 'description']),
      manufacturer: ctx.ref('dcim.manufacturer', row.fields.manufacturer, 'manufacturer'),
    }),
  },
  {
    netbox: 'dcim.devicetype',
    target: 'dcim.devicetype',
    fields: [
      'manufacturer',
      'model',
      'slug',
      'part_number',
      'u_height',
      'is_full_depth',
      'subdevice_role',
      'comments',
      'description',
    ],
    map(row, ctx) {
      const u = Number(row.fields.u_height);
      if (!Number.isInteger(u)) ctx.dropped(row, 'u_height', 'Plinth counts whole units: rounded up');
      return {
        ...pick(row, ['model', 'part_number', 'is_full_depth', 'comments']),
        manufacturer: required(
          ctx.ref('dcim.manufacturer', row.fields.manufacturer, 'manufacturer'),
          'manufacturer',
        ),
        u_height: Math.ceil(u || 0),
        subdevice_role: row.fields.subdevice_role || '',
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'dcim.moduletype',
    target: 'dcim.moduletype',
    fields: [
      'manufacturer',
      'model',
      'part_number',
      'comments',
      'description',
      'weight',
      'weight_unit',
      'airflow',
    ],
    map(row, ctx) {
      for (const x of ['description', 'weight', 'weight_unit', 'airflow'])
        if (row.fields[x]) ctx.dropped(row, x, 'no Plinth field');
      return {
        ...pick(row, ['model', 'part_number', 'comments']),
        manufacturer: required(
          ctx.ref('dcim.manufacturer', row.fields.manufacturer, 'manufacturer'),
          'manufacturer',
        ),
        ...extras(row, ctx),
      };
    },
  },
  templateMapping('dcim.modulebaytemplate', 'dcim.modulebaytemplate', ['position']),
  templateMapping('dcim.consoleporttemplate', 'dcim.consoleporttemplate', []),
  templateMapping('dcim.consoleserverporttemplate', 'dcim.consoleserverporttemplate', []),
  templateMapping('dcim.powerporttemplate', 'dcim.powerporttemplate', ['maximum_draw', 'allocated_draw']),
  templateMapping(
    'dcim.poweroutlettemplate',
    'dcim.poweroutlettemplate',
    ['feed_leg', 'power_port'],
    (row, ctx) => ({
      power_port: undefined,
      power_port_template: ctx.ref('dcim.powerporttemplate', row.fields.power_port, 'power_port'),
    }),
  ),
  templateMapping(
    'dcim.interfacetemplate',
    'dcim.interfacetemplate',
    ['mgmt_only', 'enabled', 'poe_mode', 'poe_type'],
    (row, ctx) => {
      if (row.fields.enabled === false)
        ctx.dropped(row, 'enabled', 'interface templates have no enabled flag in Plinth');
      for (const f of ['poe_mode', 'poe_type']) if (row.fields[f]) ctx.dropped(row, f, 'no Plinth field');
      return { enabled: undefined, poe_mode: undefined, poe_type: undefined };
    },
  ),
  templateMapping('dcim.rearporttemplate', 'dcim.rearporttemplate', ['positions', 'color'], (row, ctx) => {
    if (row.fields.color) ctx.dropped(row, 'color', 'no Plinth field');
    return { color: undefined };
  }),
  templateMapping(
    'dcim.frontporttemplate',
    'dcim.frontporttemplate',
    ['rear_port', 'rear_port_position', 'color'],
    (row, ctx) => {
      if (row.fields.color) ctx.dropped(row, 'color', 'no Plinth field');
      return {
        color: undefined,
        rear_port: undefined,
        rear_port_template: ctx.ref('dcim.rearporttemplate', row.fields.rear_port, 'rear_port'),
      };
    },
  ),
  templateMapping('dcim.devicebaytemplate', 'dcim.devicebaytemplate', []),
];

export const dcimDeviceMappings: ModelMapping[] = [
  {
    netbox: 'dcim.rack',
    target: 'dcim.rack',
    fields: [
      'name',
      'facility_id',
      'site',
      'location',
      'tenant',
      'status',
      'role',
      'serial',
      'asset_tag',
      'form_factor',
      'type',
      'width',
      'u_height',
      'starting_unit',
      'desc_units',
      'outer_width',
      'outer_depth',
      'outer_unit',
      'comments',
      'description',
      'weight',
      'max_weight',
      'weight_unit',
      'mounting_depth',
    ],
    async map(row, ctx) {
      for (const f of ['weight', 'max_weight', 'mounting_depth', 'description'])
        if (row.fields[f]) ctx.dropped(row, f, 'no Plinth field');
      return {
        ...pick(row, [
          'name',
          'facility_id',
          'serial',
          'asset_tag',
          'type',
          'width',
          'u_height',
          'desc_units',
          'outer_width',
          'outer_depth',
          'outer_unit',
          'comments',
        ]),
        // NetBox 4.1 calls a rack's type its form factor.
        type: row.fields.type || row.fields.form_factor || '',
        asset_tag: row.fields.asset_tag || null,
        outer_unit: row.fields.outer_unit || '',
        location: required(place(row, ctx), 'site'),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        status: await ctx.status('dcim.rack', row.fields.status),
        role: ctx.ref('dcim.rackrole', row.fields.role, 'role'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'dcim.device',
    target: 'dcim.device',
    fields: [
      'name',
      'device_type',
      'device_role',
      'role',
      'tenant',
      'platform',
      'serial',
      'asset_tag',
      'site',
      'location',
      'rack',
      'position',
      'face',
      'status',
      'airflow',
      'comments',
      'description',
      'local_context_data',
      'config_template',
      'virtual_chassis',
      'vc_position',
      'vc_priority',
      'primary_ip4',
      'primary_ip6',
      'oob_ip',
      'cluster',
    ],
    async map(row, ctx) {
      const f = row.fields;
      for (const x of ['airflow', 'description', 'oob_ip', 'config_template'])
        if (f[x]) ctx.dropped(row, x, 'no Plinth field');
      const cluster = ctx.hasModel('virtualization.cluster')
        ? ctx.ref('virtualization.cluster', f.cluster, 'cluster')
        : null;
      return {
        ...pick(row, ['name', 'serial', 'comments']),
        asset_tag: f.asset_tag || null,
        device_type: required(ctx.ref('dcim.devicetype', f.device_type, 'device_type'), 'device_type'),
        role: required(ctx.ref('dcim.devicerole', f.device_role ?? f.role, 'role'), 'role'),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        platform: ctx.ref('dcim.platform', f.platform, 'platform'),
        location: required(place(row, ctx), 'site'),
        rack: ctx.ref('dcim.rack', f.rack, 'rack'),
        position:
          f.position === null || f.position === undefined ? null : Math.floor(Number(integral(f.position))),
        face: f.face || '',
        status: await ctx.status('dcim.device', f.status),
        local_config_context_data: f.local_context_data ?? null,
        ...(cluster ? { cluster } : {}),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'dcim.virtualchassis',
    target: 'dcim.virtualchassis',
    fields: ['name', 'domain', 'master', 'description', 'comments'],
    map(row, ctx) {
      for (const x of ['description', 'comments']) if (row.fields[x]) ctx.dropped(row, x, 'no Plinth field');
      return { ...pick(row, ['name', 'domain']), ...extras(row, ctx) };
    },
  },
  {
    netbox: 'dcim.device',
    pass: 'virtual chassis membership',
    target: 'dcim.device',
    fields: [],
    map: (row, ctx) =>
      row.fields.virtual_chassis
        ? {
            virtual_chassis: ctx.ref('dcim.virtualchassis', row.fields.virtual_chassis, 'virtual_chassis'),
            vc_position: row.fields.vc_position ?? null,
            vc_priority: row.fields.vc_priority ?? null,
          }
        : new Skip('not in a virtual chassis'),
  },
  {
    netbox: 'dcim.virtualchassis',
    pass: 'master',
    target: 'dcim.virtualchassis',
    fields: [],
    map: (row, ctx) => ({ master: ctx.ref('dcim.device', row.fields.master, 'master') }),
  },
  componentMapping('dcim.modulebay', 'dcim.modulebay', ['position'], undefined, 'parent_device'),
  {
    netbox: 'dcim.module',
    target: 'dcim.module',
    fields: [
      'device',
      'module_bay',
      'module_type',
      'status',
      'serial',
      'asset_tag',
      'description',
      'comments',
      'local_context_data',
    ],
    async map(row, ctx) {
      const f = row.fields;
      const nested = rowsBy(ctx.data, 'dcim.modulebay', 'nested', (b) => (b.fields.module ? b.pk : null));
      if (nested.has(String(f.module_bay))) return new Skip(NESTED_MODULES);
      const bay = ctx.ref('dcim.modulebay', f.module_bay, 'module_bay');
      for (const x of ['description', 'local_context_data']) if (f[x]) ctx.dropped(row, x, 'no Plinth field');
      return {
        ...pick(row, ['serial', 'comments']),
        asset_tag: f.asset_tag || null,
        module_type: required(ctx.ref('dcim.moduletype', f.module_type, 'module_type'), 'module_type'),
        // NetBox's `device` is the bay's: Plinth places a module by its bay alone.
        parent_module_bay: required(bay, 'module_bay'),
        status: await ctx.status('dcim.module', f.status),
        ...extras(row, ctx),
      };
    },
  },
  componentMapping('dcim.consoleport', 'dcim.consoleport', ['speed'], (row, ctx) => {
    if (row.fields.speed) ctx.dropped(row, 'speed', 'no Plinth field');
    return { speed: undefined };
  }),
  componentMapping('dcim.consoleserverport', 'dcim.consoleserverport', ['speed'], (row, ctx) => {
    if (row.fields.speed) ctx.dropped(row, 'speed', 'no Plinth field');
    return { speed: undefined };
  }),
  componentMapping('dcim.powerport', 'dcim.powerport', ['maximum_draw', 'allocated_draw']),
  componentMapping('dcim.poweroutlet', 'dcim.poweroutlet', ['feed_leg', 'power_port'], (row, ctx) => ({
    power_port: ctx.ref('dcim.powerport', row.fields.power_port, 'power_port'),
  })),
  componentMapping(
    'dcim.interface',
    'dcim.interface',
    [
      'enabled',
      'mgmt_only',
      'mtu',
      'mac_address',
      'mode',
      'vrf',
      'untagged_vlan',
      'tagged_vlans',
      'lag',
      'parent',
      'bridge',
      'speed',
      'duplex',
      'wwn',
      'rf_role',
      'rf_channel',
      'rf_channel_frequency',
      'rf_channel_width',
      'tx_power',
      'poe_mode',
      'poe_type',
      'wireless_lans',
      'vdcs',
      'mark_connected',
    ],
    (row, ctx) => {
      const f = row.fields;
      for (const x of [
        'speed',
        'duplex',
        'wwn',
        'rf_role',
        'rf_channel',
        'rf_channel_frequency',
        'rf_channel_width',
        'tx_power',
        'poe_mode',
        'poe_type',
      ])
        if (f[x]) ctx.dropped(row, x, 'no Plinth field');
      return {
        mode: f.mode || '',
        mac_address: f.mac_address || null,
        vrf: ctx.ref('ipam.vrf', f.vrf, 'vrf'),
        untagged_vlan: ctx.ref('ipam.vlan', f.untagged_vlan, 'untagged_vlan'),
        tagged_vlans: ctx.refs('ipam.vlan', f.tagged_vlans, 'tagged_vlans'),
        lag: undefined,
        parent: undefined,
        bridge: undefined,
        speed: undefined,
        duplex: undefined,
        wwn: undefined,
        rf_role: undefined,
        rf_channel: undefined,
        rf_channel_frequency: undefined,
        rf_channel_width: undefined,
        tx_power: undefined,
        poe_mode: undefined,
        poe_type: undefined,
        wireless_lans: undefined,
        vdcs: undefined,
        mark_connected: undefined,
      };
    },
  ),
  {
    netbox: 'dcim.interface',
    pass: 'LAG, parent and bridge',
    target: 'dcim.interface',
    fields: [],
    map(row, ctx) {
      const f = row.fields;
      if (!f.lag && !f.parent && !f.bridge) return new Skip('no LAG, parent or bridge');
      return {
        lag: ctx.ref('dcim.interface', f.lag, 'lag'),
        parent_interface: ctx.ref('dcim.interface', f.parent, 'parent'),
        bridge: ctx.ref('dcim.interface', f.bridge, 'bridge'),
      };
    },
  },
  componentMapping('dcim.rearport', 'dcim.rearport', ['positions', 'color'], (row, ctx) => {
    if (row.fields.color) ctx.dropped(row, 'color', 'no Plinth field');
    return { color: undefined };
  }),
  componentMapping(
    'dcim.frontport',
    'dcim.frontport',
    ['rear_port', 'rear_port_position', 'color'],
    (row, ctx) => {
      if (row.fields.color) ctx.dropped(row, 'color', 'no Plinth field');
      return { color: undefined, rear_port: ctx.ref('dcim.rearport', row.fields.rear_port, 'rear_port') };
    },
  ),
  componentMapping('dcim.devicebay', 'dcim.devicebay', ['installed_device'], (row, ctx) => ({
    installed_device: ctx.ref('dcim.device', row.fields.installed_device, 'installed_device'),
  })),
];

/** NetBox 3.3+ keeps a cable's ends as termination rows; Plinth joins one termination per end. */
export const cableMapping: ModelMapping = {
  netbox: 'dcim.cable',
  target: 'dcim.cable',
  fields: [
    'type',
    'status',
    'tenant',
    'label',
    'color',
    'length',
    'length_unit',
    'description',
    'comments',
    'termination_a_type',
    'termination_a_id',
    'termination_b_type',
    'termination_b_id',
  ],
  async map(row, ctx) {
    const f = row.fields;
    for (const x of ['tenant', 'description', 'comments']) if (f[x]) ctx.dropped(row, x, 'no Plinth field');
    const ends: Record<'A' | 'B', { label: string; id: string }[]> = { A: [], B: [] };
    for (const t of ctx.cableTerminations(row.pk)) {
      const end = t.fields.cable_end === 'B' ? 'B' : 'A';
      const target = ctx.generic(
        t.fields.termination_type,
        t.fields.termination_id,
        `termination_${end.toLowerCase()}`,
      );
      if (target) ends[end].push(target);
    }
    // NetBox before 3.3: the ends are on the cable itself.
    for (const end of ['A', 'B'] as const) {
      const k = end.toLowerCase();
      if (!ends[end].length && f[`termination_${k}_type`]) {
        const target = ctx.generic(f[`termination_${k}_type`], f[`termination_${k}_id`], `termination_${k}`);
        if (target) ends[end].push(target);
      }
    }
    for (const end of ['A', 'B'] as const) {
      if (ends[end].length !== 1)
        return new Skip(
          ends[end].length
            ? 'cables with several terminations on one end: Plinth joins one per end'
            : 'cables with an open end',
        );
    }
    return {
      termination_a_type: ends.A[0].label,
      termination_a_id: ends.A[0].id,
      termination_b_type: ends.B[0].label,
      termination_b_id: ends.B[0].id,
      type: f.type || '',
      status: await ctx.status('dcim.cable', f.status ?? 'connected'),
      label: f.label ?? '',
      color: f.color ?? '',
      length: f.length === null || f.length === undefined ? null : integral(f.length),
      length_unit: f.length_unit || '',
      ...extras(row, ctx),
    };
  },
};

export { roleMapping };
