import { integral, pick, Skip, type MapContext, type ModelMapping } from '../mapping';
import { rowsBy, rowsOf } from '../source/types';
import { roleMapping } from './dcim';
import { place } from './locations';
import { extras, required } from './organization';

/** Drop-reporting for fields a family's Plinth model has no place for. */
function dropSet(
  row: { model: string; pk: string; fields: Readonly<Record<string, unknown>> },
  ctx: MapContext,
  names: readonly string[],
): void {
  for (const n of names) {
    const v = row.fields[n];
    if (v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
      ctx.dropped(row, n, 'no Plinth field');
  }
}

/** Virtualization: cluster types, groups and clusters before devices (hosts name their cluster). */
export const clusterMappings: ModelMapping[] = [
  {
    netbox: 'virtualization.clustertype',
    target: 'virtualization.clustertype',
    fields: ['name', 'slug', 'description'],
    map: (row) => pick(row, ['name', 'description']),
  },
  {
    netbox: 'virtualization.clustergroup',
    target: 'virtualization.clustergroup',
    fields: ['name', 'slug', 'description'],
    map: (row) => pick(row, ['name', 'description']),
  },
  {
    netbox: 'virtualization.cluster',
    target: 'virtualization.cluster',
    fields: ['name', 'type', 'group', 'status', 'tenant', 'site', 'location', 'description', 'comments'],
    map(row, ctx) {
      dropSet(row, ctx, ['description']);
      if (row.fields.status && row.fields.status !== 'active')
        ctx.dropped(row, 'status', 'Plinth clusters have no status');
      return {
        ...pick(row, ['name', 'comments']),
        cluster_type: required(ctx.ref('virtualization.clustertype', row.fields.type, 'type'), 'type'),
        cluster_group: ctx.ref('virtualization.clustergroup', row.fields.group, 'group'),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        location: place(row, ctx),
        ...extras(row, ctx),
      };
    },
  },
];

/** Virtual machines and their interfaces, after devices (a VM's role is a device role). */
export const vmMappings: ModelMapping[] = [
  {
    netbox: 'virtualization.virtualmachine',
    target: 'virtualization.virtualmachine',
    fields: [
      'name',
      'cluster',
      'site',
      'device',
      'tenant',
      'platform',
      'status',
      'role',
      'vcpus',
      'memory',
      'disk',
      'local_context_data',
      'description',
      'comments',
      'primary_ip4',
      'primary_ip6',
      'config_template',
    ],
    async map(row, ctx) {
      const f = row.fields;
      dropSet(row, ctx, ['device', 'description', 'config_template']);
      return {
        ...pick(row, ['name', 'comments']),
        cluster: ctx.ref('virtualization.cluster', f.cluster, 'cluster'),
        location: place(row, ctx),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        platform: ctx.ref('dcim.platform', f.platform, 'platform'),
        role: ctx.ref('dcim.devicerole', f.role, 'role'),
        status: await ctx.status('virtualization.virtualmachine', f.status),
        vcpus: f.vcpus === null || f.vcpus === undefined ? null : integral(f.vcpus),
        memory: f.memory ?? null,
        disk: f.disk ?? null,
        local_config_context_data: f.local_context_data ?? null,
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'virtualization.vminterface',
    target: 'virtualization.vminterface',
    fields: [
      'virtual_machine',
      'name',
      'enabled',
      'mtu',
      'mac_address',
      'mode',
      'description',
      'untagged_vlan',
      'tagged_vlans',
      'vrf',
      'parent',
      'bridge',
    ],
    async map(row, ctx) {
      const f = row.fields;
      return {
        ...pick(row, ['name', 'enabled', 'mtu', 'description']),
        virtual_machine: required(
          ctx.ref('virtualization.virtualmachine', f.virtual_machine, 'virtual_machine'),
          'virtual_machine',
        ),
        mac_address: f.mac_address || null,
        mode: f.mode || '',
        untagged_vlan: ctx.ref('ipam.vlan', f.untagged_vlan, 'untagged_vlan'),
        tagged_vlans: ctx.refs('ipam.vlan', f.tagged_vlans, 'tagged_vlans'),
        vrf: ctx.ref('ipam.vrf', f.vrf, 'vrf'),
        status: await ctx.status('virtualization.vminterface', 'active'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'virtualization.vminterface',
    pass: 'parent and bridge',
    target: 'virtualization.vminterface',
    fields: [],
    map: (row, ctx) =>
      row.fields.parent || row.fields.bridge
        ? {
            parent_interface: ctx.ref('virtualization.vminterface', row.fields.parent, 'parent'),
            bridge: ctx.ref('virtualization.vminterface', row.fields.bridge, 'bridge'),
          }
        : new Skip('no parent or bridge'),
  },
];

/** After IP addresses: a VM interface's addresses, and VMs' primary IPs. */
export const vmAddressMappings: ModelMapping[] = [
  {
    netbox: 'virtualization.vminterface',
    pass: 'IP addresses',
    target: 'virtualization.vminterface',
    fields: [],
    map(row, ctx) {
      const ips =
        rowsBy(ctx.data, 'ipam.ipaddress', 'vm interface', (ip) =>
          Array.isArray(ip.fields.assigned_object_type) &&
          ip.fields.assigned_object_type.join('.') === 'virtualization.vminterface'
            ? String(ip.fields.assigned_object_id)
            : null,
        ).get(row.pk) ?? [];
      if (!ips.length) return new Skip('no IP addresses');
      return {
        ip_addresses: ips.map((ip) =>
          required(ctx.ref('ipam.ipaddress', ip.pk, 'ip_addresses'), 'ip_addresses'),
        ),
      };
    },
  },
  {
    netbox: 'virtualization.virtualmachine',
    pass: 'primary IPs',
    target: 'virtualization.virtualmachine',
    fields: [],
    map(row, ctx) {
      if (!row.fields.primary_ip4 && !row.fields.primary_ip6) return new Skip('no primary IP');
      return {
        primary_ip4: ctx.ref('ipam.ipaddress', row.fields.primary_ip4, 'primary_ip4'),
        primary_ip6: ctx.ref('ipam.ipaddress', row.fields.primary_ip6, 'primary_ip6'),
      };
    },
  },
];

/** Power panels and feeds, before cables (a feed is cabled to a power port). */
export const powerMappings: ModelMapping[] = [
  {
    netbox: 'dcim.powerpanel',
    target: 'dcim.powerpanel',
    fields: ['site', 'location', 'name', 'description', 'comments'],
    map(row, ctx) {
      dropSet(row, ctx, ['description', 'comments']);
      return { name: row.fields.name, location: required(place(row, ctx), 'site'), ...extras(row, ctx) };
    },
  },
  {
    netbox: 'dcim.powerfeed',
    target: 'dcim.powerfeed',
    fields: [
      'power_panel',
      'rack',
      'name',
      'status',
      'type',
      'supply',
      'phase',
      'voltage',
      'amperage',
      'max_utilization',
      'available_power',
      'description',
      'comments',
      'cable',
      'tenant',
    ],
    async map(row, ctx) {
      dropSet(row, ctx, ['description', 'tenant']);
      return {
        ...pick(row, [
          'name',
          'type',
          'supply',
          'phase',
          'voltage',
          'amperage',
          'max_utilization',
          'comments',
        ]),
        power_panel: required(
          ctx.ref('dcim.powerpanel', row.fields.power_panel, 'power_panel'),
          'power_panel',
        ),
        rack: ctx.ref('dcim.rack', row.fields.rack, 'rack'),
        status: await ctx.status('dcim.powerfeed', row.fields.status),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'dcim.rackreservation',
    target: 'dcim.rackreservation',
    fields: ['rack', 'units', 'user', 'tenant', 'description', 'comments'],
    map(row, ctx) {
      dropSet(row, ctx, ['comments']);
      return {
        rack: required(ctx.ref('dcim.rack', row.fields.rack, 'rack'), 'rack'),
        units: row.fields.units,
        user: required(ctx.ref('auth.user', row.fields.user, 'user'), 'user'),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        description: row.fields.description || 'Imported from NetBox',
        ...extras(row, ctx),
      };
    },
  },
];

/** NetBox 4 inventory items (NetBox 3.5's demo data has none). */
export const inventoryMappings: ModelMapping[] = [
  {
    netbox: 'dcim.inventoryitem',
    target: 'dcim.inventoryitem',
    tree: 'parent',
    fields: [
      'device',
      'parent',
      'name',
      'label',
      'manufacturer',
      'part_id',
      'serial',
      'asset_tag',
      'discovered',
      'description',
      'role',
      'component_type',
      'component_id',
      'status',
    ],
    map(row, ctx) {
      dropSet(row, ctx, ['role', 'component_type', 'component_id']);
      return {
        ...pick(row, ['name', 'label', 'part_id', 'serial', 'discovered', 'description']),
        asset_tag: row.fields.asset_tag || null,
        device: required(ctx.ref('dcim.device', row.fields.device, 'device'), 'device'),
        parent: ctx.ref('dcim.inventoryitem', row.fields.parent, 'parent'),
        manufacturer: ctx.ref('dcim.manufacturer', row.fields.manufacturer, 'manufacturer'),
        ...extras(row, ctx),
      };
    },
  },
];

/**
 * Contacts last: an assignment may name any object. NetBox's contact roles become Roles for
 * contact associations; a contact group becomes a team of its contacts (Nautobot has teams,
 * not contact groups).
 */
export const contactMappings: ModelMapping[] = [
  roleMapping('tenancy.contactrole', () => ['extras.contactassociation']),
  {
    netbox: 'tenancy.contact',
    target: 'extras.contact',
    fields: [
      'name',
      'title',
      'phone',
      'email',
      'address',
      'link',
      'description',
      'comments',
      'group',
      'groups',
    ],
    map(row, ctx) {
      dropSet(row, ctx, ['title', 'link', 'description']);
      return { ...pick(row, ['name', 'phone', 'email', 'address', 'comments']), ...extras(row, ctx) };
    },
  },
  {
    netbox: 'tenancy.contactgroup',
    target: 'extras.team',
    tree: 'parent',
    fields: ['name', 'slug', 'parent', 'description'],
    map(row, ctx) {
      if (row.fields.parent) ctx.dropped(row, 'parent', 'teams do not nest');
      dropSet(row, ctx, ['description']);
      // Members: contacts of this group (NetBox 3.x `group`, 4.x `groups`).
      const members = rowsOf(ctx.data, 'tenancy.contact').filter(
        (c) =>
          String(c.fields.group) === row.pk ||
          (Array.isArray(c.fields.groups) && c.fields.groups.map(String).includes(row.pk)),
      );
      return {
        name: row.fields.name,
        contacts: members.map((c) => required(ctx.ref('tenancy.contact', c.pk, 'contacts'), 'contacts')),
      };
    },
  },
  {
    netbox: 'tenancy.contactassignment',
    target: 'extras.contactassociation',
    fields: ['content_type', 'object_type', 'object_id', 'contact', 'role', 'priority'],
    async map(row, ctx) {
      const f = row.fields;
      if (f.priority) ctx.dropped(row, 'priority', 'Plinth contact associations have no priority');
      const target = ctx.generic(f.content_type ?? f.object_type, f.object_id, 'object_id');
      if (!target) return new Skip('assigned to nothing');
      return {
        contact: required(ctx.ref('tenancy.contact', f.contact, 'contact'), 'contact'),
        associated_object_type: target.label,
        associated_object_id: target.id,
        role: required(ctx.ref('tenancy.contactrole', f.role, 'role'), 'role'),
        status: await ctx.status('extras.contactassociation', 'active'),
      };
    },
  },
];
