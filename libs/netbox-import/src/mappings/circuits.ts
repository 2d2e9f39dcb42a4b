import { pick, type ModelMapping } from '../mapping';
import { extras, required } from './organization';

export const circuitMappings: ModelMapping[] = [
  {
    netbox: 'circuits.provider',
    target: 'circuits.provider',
    fields: [
      'name',
      'slug',
      'asn',
      'account',
      'portal_url',
      'noc_contact',
      'admin_contact',
      'comments',
      'description',
      'asns',
    ],
    map(row, ctx) {
      if (row.fields.description) ctx.dropped(row, 'description', 'no Plinth field');
      const asns = Array.isArray(row.fields.asns) ? row.fields.asns : [];
      if (asns.length > 1) ctx.dropped(row, 'asns', 'a Plinth provider has one ASN: the first is kept');
      const asn =
        row.fields.asn ??
        (asns.length
          ? ctx.data.rows.get('ipam.asn')?.find((a) => a.pk === String(asns[0]))?.fields.asn
          : undefined);
      return {
        ...pick(row, ['name', 'account', 'portal_url', 'noc_contact', 'admin_contact', 'comments']),
        ...(asn !== undefined && asn !== null ? { asn } : {}),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'circuits.providernetwork',
    target: 'circuits.providernetwork',
    fields: ['name', 'provider', 'service_id', 'description', 'comments'],
    map(row, ctx) {
      if (row.fields.service_id) ctx.dropped(row, 'service_id', 'no Plinth field');
      return {
        ...pick(row, ['name', 'description', 'comments']),
        provider: required(ctx.ref('circuits.provider', row.fields.provider, 'provider'), 'provider'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'circuits.circuittype',
    target: 'circuits.circuittype',
    fields: ['name', 'slug', 'description'],
    map: (row) => pick(row, ['name', 'description']),
  },
  {
    netbox: 'circuits.circuit',
    target: 'circuits.circuit',
    fields: [
      'cid',
      'provider',
      'type',
      'status',
      'tenant',
      'install_date',
      'termination_date',
      'commit_rate',
      'description',
      'comments',
      'termination_a',
      'termination_z',
      'provider_account',
    ],
    async map(row, ctx) {
      const f = row.fields;
      for (const x of ['termination_date', 'provider_account'])
        if (f[x]) ctx.dropped(row, x, 'no Plinth field');
      return {
        ...pick(row, ['cid', 'install_date', 'commit_rate', 'description', 'comments']),
        provider: required(ctx.ref('circuits.provider', f.provider, 'provider'), 'provider'),
        circuit_type: required(ctx.ref('circuits.circuittype', f.type, 'type'), 'type'),
        status: await ctx.status('circuits.circuit', f.status),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'circuits.circuittermination',
    target: 'circuits.circuittermination',
    fields: [
      'circuit',
      'term_side',
      'site',
      'location',
      'provider_network',
      'port_speed',
      'upstream_speed',
      'xconnect_id',
      'pp_info',
      'description',
      'cable',
    ],
    map: (row, ctx) => ({
      ...pick(row, ['term_side', 'port_speed', 'upstream_speed', 'xconnect_id', 'pp_info', 'description']),
      circuit: required(ctx.ref('circuits.circuit', row.fields.circuit, 'circuit'), 'circuit'),
      location:
        row.fields.site || row.fields.location
          ? row.fields.location
            ? ctx.ref('dcim.location', row.fields.location, 'location')
            : ctx.ref('dcim.site', row.fields.site, 'site')
          : null,
      provider_network: ctx.ref('circuits.providernetwork', row.fields.provider_network, 'provider_network'),
      ...extras(row, ctx),
    }),
  },
];
