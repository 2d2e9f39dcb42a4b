import { pick, Skip, type MapContext, type ModelMapping } from '../mapping';
import { rowsOf } from '../source/types';
import { extras, required } from './organization';

/**
 * NetBox's VRFs are separate address spaces; in Nautobot 2.x that is a namespace. Each NetBox
 * VRF gets a namespace of its own (named after it); the global table is the Global namespace.
 */
async function namespaceOf(vrfPk: unknown, ctx: MapContext): Promise<string> {
  if (vrfPk === null || vrfPk === undefined)
    return ctx.ensure('ipam.namespace', { name: 'Global' }, { name: 'Global' });
  const vrf = rowsOf(ctx.data, 'ipam.vrf').find((v) => v.pk === String(vrfPk));
  const name = `VRF ${String(vrf?.fields.name ?? vrfPk)}`;
  return ctx.ensure(
    'ipam.namespace',
    { name },
    { name, description: `NetBox VRF ${String(vrf?.fields.name ?? vrfPk)}` },
  );
}

/** The prefix statuses of NetBox that are a type in Nautobot 2.x. */
function prefixTypeAndStatus(status: unknown, isPool: unknown): { type: string; status: string } {
  if (status === 'container') return { type: 'container', status: 'active' };
  return { type: isPool ? 'pool' : 'network', status: String(status ?? 'active') };
}

export const ipamMappings: ModelMapping[] = [
  {
    netbox: 'ipam.rir',
    target: 'ipam.rir',
    fields: ['name', 'slug', 'is_private', 'description'],
    map: (row) => pick(row, ['name', 'is_private', 'description']),
  },
  {
    netbox: 'ipam.routetarget',
    target: 'ipam.routetarget',
    fields: ['name', 'tenant', 'description', 'comments'],
    map(row, ctx) {
      if (row.fields.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      return {
        ...pick(row, ['name', 'description']),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'ipam.vrf',
    target: 'ipam.vrf',
    fields: [
      'name',
      'rd',
      'tenant',
      'enforce_unique',
      'description',
      'comments',
      'import_targets',
      'export_targets',
    ],
    async map(row, ctx) {
      if (row.fields.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      return {
        ...pick(row, ['name', 'description']),
        rd: row.fields.rd || null,
        namespace: await namespaceOf(row.pk, ctx),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        import_targets: ctx.refs('ipam.routetarget', row.fields.import_targets, 'import_targets'),
        export_targets: ctx.refs('ipam.routetarget', row.fields.export_targets, 'export_targets'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'ipam.vlangroup',
    target: 'ipam.vlangroup',
    fields: ['name', 'slug', 'scope_type', 'scope_id', 'min_vid', 'max_vid', 'vid_ranges', 'description'],
    map(row, ctx) {
      const f = row.fields;
      const scope = Array.isArray(f.scope_type) ? f.scope_type.join('.') : null;
      let location: string | null = null;
      if (scope === 'dcim.site' || scope === 'dcim.location' || scope === 'dcim.region')
        location = ctx.ref(scope, f.scope_id, 'scope');
      else if (scope)
        ctx.dropped(row, 'scope_type', `a VLAN group scoped to a ${scope} has no location in Plinth`);
      if ((f.min_vid && f.min_vid !== 1) || (f.max_vid && f.max_vid !== 4094))
        ctx.dropped(row, 'min_vid', 'Plinth VLAN groups take the whole VLAN range');
      // NetBox 4.1's ranges: the whole range is what Plinth has.
      const ranges = Array.isArray(f.vid_ranges) ? f.vid_ranges.map(String) : [];
      if (ranges.length && !(ranges.length === 1 && ranges[0] === '[1,4095)'))
        ctx.dropped(row, 'vid_ranges', 'Plinth VLAN groups take the whole VLAN range');
      return { ...pick(row, ['name', 'description']), location, ...extras(row, ctx) };
    },
  },
  {
    netbox: 'ipam.vlan',
    target: 'ipam.vlan',
    fields: ['site', 'group', 'vid', 'name', 'tenant', 'status', 'role', 'description', 'comments'],
    async map(row, ctx) {
      if (row.fields.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      return {
        ...pick(row, ['vid', 'name', 'description']),
        vlan_group: ctx.ref('ipam.vlangroup', row.fields.group, 'group'),
        location: ctx.ref('dcim.site', row.fields.site, 'site'),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        status: await ctx.status('ipam.vlan', row.fields.status),
        role: ctx.ref('ipam.role', row.fields.role, 'role'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'ipam.aggregate',
    target: 'ipam.prefix',
    fields: ['prefix', 'rir', 'tenant', 'date_added', 'description', 'comments'],
    async map(row, ctx) {
      if (row.fields.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      return {
        prefix: row.fields.prefix,
        namespace: await namespaceOf(null, ctx),
        type: 'container',
        status: await ctx.status('ipam.prefix', 'active'),
        rir: ctx.ref('ipam.rir', row.fields.rir, 'rir'),
        tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
        date_allocated: row.fields.date_added ? `${String(row.fields.date_added)}T00:00:00Z` : null,
        description: row.fields.description ?? '',
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'ipam.prefix',
    target: 'ipam.prefix',
    fields: [
      'prefix',
      'site',
      'vrf',
      'tenant',
      'vlan',
      'status',
      'role',
      'is_pool',
      'mark_utilized',
      'description',
      'comments',
    ],
    async map(row, ctx) {
      const f = row.fields;
      if (f.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      if (f.mark_utilized) ctx.dropped(row, 'mark_utilized', 'no Plinth field');
      const { type, status } = prefixTypeAndStatus(f.status, f.is_pool);
      const vrf = ctx.ref('ipam.vrf', f.vrf, 'vrf');
      return {
        prefix: f.prefix,
        namespace: await namespaceOf(f.vrf, ctx),
        type,
        status: await ctx.status('ipam.prefix', status),
        location: ctx.ref('dcim.site', f.site, 'site'),
        vlan: ctx.ref('ipam.vlan', f.vlan, 'vlan'),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        role: ctx.ref('ipam.role', f.role, 'role'),
        vrfs: vrf ? [vrf] : [],
        description: f.description ?? '',
        ...extras(row, ctx),
      };
    },
    // An aggregate and a container prefix of the same network: one Plinth prefix.
    async match(input, _row, ctx) {
      const [p] = await ctx.objects.find(
        'ipam.prefix',
        { prefix: String(input.prefix), namespace: String(input.namespace) },
        { limit: 1 },
      );
      return p
        ? { id: p.id, update: false, note: 'prefixes equal to an aggregate were merged into it' }
        : undefined;
    },
  },
  {
    netbox: 'ipam.ipaddress',
    target: 'ipam.ipaddress',
    fields: [
      'address',
      'vrf',
      'tenant',
      'status',
      'role',
      'assigned_object_type',
      'assigned_object_id',
      'nat_inside',
      'dns_name',
      'description',
      'comments',
    ],
    async map(row, ctx) {
      const f = row.fields;
      if (f.comments) ctx.dropped(row, 'comments', 'no Plinth field');
      if (f.role) ctx.dropped(row, 'role', 'IP address roles are not imported yet');
      const assigned = Array.isArray(f.assigned_object_type) ? f.assigned_object_type.join('.') : null;
      let interfaces: string[] = [];
      if (assigned === 'dcim.interface')
        interfaces = [
          required(
            ctx.ref('dcim.interface', f.assigned_object_id, 'assigned_object_id'),
            'assigned_object_id',
          ),
        ];
      // VM interfaces name their addresses (the vminterface "IP addresses" pass).
      else if (assigned && !(assigned === 'virtualization.vminterface' && ctx.hasModel(assigned)))
        ctx.dropped(row, 'assigned_object_id', `assignments to ${assigned} are not imported`);
      const type = f.status === 'dhcp' ? 'dhcp' : f.status === 'slaac' ? 'slaac' : 'host';
      return {
        address: f.address,
        namespace: await namespaceOf(f.vrf, ctx),
        type,
        status: await ctx.status('ipam.ipaddress', type === 'host' ? f.status : 'active'),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        dns_name: f.dns_name ?? '',
        description: f.description ?? '',
        interfaces,
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'ipam.ipaddress',
    pass: 'NAT inside',
    target: 'ipam.ipaddress',
    fields: [],
    map: (row, ctx) =>
      row.fields.nat_inside
        ? { nat_inside: ctx.ref('ipam.ipaddress', row.fields.nat_inside, 'nat_inside') }
        : new Skip('no NAT inside address'),
  },
  {
    netbox: 'dcim.device',
    pass: 'primary IPs',
    target: 'dcim.device',
    fields: [],
    map(row, ctx) {
      if (!row.fields.primary_ip4 && !row.fields.primary_ip6) return new Skip('no primary IP');
      return {
        primary_ip4: ctx.ref('ipam.ipaddress', row.fields.primary_ip4, 'primary_ip4'),
        primary_ip6: ctx.ref('ipam.ipaddress', row.fields.primary_ip6, 'primary_ip6'),
      };
    },
  },
  {
    netbox: 'ipam.service',
    target: 'ipam.service',
    fields: [
      'device',
      'virtual_machine',
      'name',
      'protocol',
      'ports',
      'ipaddresses',
      'description',
      'comments',
    ],
    map(row, ctx) {
      const vm = ctx.ref('virtualization.virtualmachine', row.fields.virtual_machine, 'virtual_machine');
      return {
        ...pick(row, ['name', 'protocol', 'ports', 'description']),
        ...(vm
          ? { virtual_machine: vm }
          : { device: required(ctx.ref('dcim.device', row.fields.device, 'device'), 'device') }),
        ip_addresses: ctx.refs('ipam.ipaddress', row.fields.ipaddresses, 'ipaddresses'),
        ...extras(row, ctx),
      };
    },
  },
];
