import { pick, Skip, type MapContext, type ModelMapping } from '../mapping';
import { rowsBy, type NetboxRow } from '../source/types';
import { extras } from './organization';

/** Models whose objects sit in a location, offered by the location types made here. */
const LOCATED = [
  'dcim.device',
  'dcim.rack',
  'dcim.rackgroup',
  'dcim.powerpanel',
  'circuits.circuittermination',
  'ipam.prefix',
  'ipam.vlan',
  'ipam.vlangroup',
  'virtualization.cluster',
  'virtualization.virtualmachine',
];

/**
 * NetBox's regions, sites and locations become one location tree (as Nautobot's importer does):
 * types Region (nestable) → Site → Location (nestable).
 */
export async function locationType(ctx: MapContext, kind: 'Region' | 'Site' | 'Location'): Promise<string> {
  const located = LOCATED.filter((l) => ctx.hasModel(l));
  const region = await ctx.ensure(
    'dcim.locationtype',
    { name: 'Region' },
    { name: 'Region', nestable: true },
  );
  if (kind === 'Region') return region;
  const site = await ctx.ensure(
    'dcim.locationtype',
    { name: 'Site' },
    { name: 'Site', parent: region, content_types: located },
  );
  if (kind === 'Site') return site;
  return ctx.ensure(
    'dcim.locationtype',
    { name: 'Location' },
    { name: 'Location', parent: site, nestable: true, content_types: located },
  );
}

/** The location type of a site: Site, or its group's with `--site-groups location-types`. */
function siteType(site: NetboxRow, ctx: MapContext): Promise<string> | string {
  if (ctx.siteGroups === 'location-types' && site.fields.group)
    return ctx.ref('dcim.sitegroup', site.fields.group, 'group') as string;
  return locationType(ctx, 'Site');
}

/**
 * The location type of a NetBox location: Location under a Site, "<group> Location" under a
 * site of a group made a location type (a type has one parent type, as in Nautobot).
 */
async function locationTypeIn(site: NetboxRow | undefined, ctx: MapContext): Promise<string> {
  if (!site || ctx.siteGroups !== 'location-types' || !site.fields.group)
    return locationType(ctx, 'Location');
  const group = rowsBy(ctx.data, 'dcim.sitegroup', 'pk', (g) => g.pk).get(String(site.fields.group))?.[0];
  const name = `${String(group?.fields.name ?? site.fields.group)} Location`;
  return ctx.ensure(
    'dcim.locationtype',
    { name },
    {
      name,
      parent: await siteType(site, ctx),
      nestable: true,
      content_types: LOCATED.filter((l) => ctx.hasModel(l)),
    },
  );
}

/** A NetBox object's place: its location when it has one, else its site. */
export function place(row: { fields: Readonly<Record<string, unknown>> }, ctx: MapContext): string | null {
  return row.fields.location
    ? ctx.ref('dcim.location', row.fields.location, 'location')
    : ctx.ref('dcim.site', row.fields.site, 'site');
}

export const locationMappings: ModelMapping[] = [
  {
    netbox: 'dcim.sitegroup',
    target: 'dcim.locationtype',
    fields: ['name', 'slug', 'parent', 'description'],
    async map(row, ctx) {
      if (ctx.siteGroups === 'drop')
        return new Skip(
          'site groups are not imported: sites keep their region (see the README: --site-groups)',
        );
      if (row.fields.parent)
        ctx.dropped(row, 'parent', 'every group is a location type under Region (nesting is flattened)');
      return {
        ...pick(row, ['name', 'description']),
        parent: await locationType(ctx, 'Region'),
        content_types: LOCATED.filter((l) => ctx.hasModel(l)),
      };
    },
  },
  {
    netbox: 'dcim.region',
    target: 'dcim.location',
    tree: 'parent',
    fields: ['name', 'slug', 'parent', 'description'],
    map: async (row, ctx) => ({
      ...pick(row, ['name', 'description']),
      location_type: await locationType(ctx, 'Region'),
      parent: ctx.ref('dcim.region', row.fields.parent, 'parent'),
      status: await ctx.status('dcim.location', 'active'),
      ...extras(row, ctx),
    }),
  },
  {
    netbox: 'dcim.site',
    target: 'dcim.location',
    fields: [
      'name',
      'slug',
      'status',
      'region',
      'group',
      'tenant',
      'facility',
      'time_zone',
      'description',
      'physical_address',
      'shipping_address',
      'latitude',
      'longitude',
      'comments',
      'asns',
      'contact_name',
      'contact_phone',
      'contact_email',
    ],
    async map(row, ctx) {
      const f = row.fields;
      if (f.group && ctx.siteGroups === 'drop')
        ctx.dropped(row, 'group', 'site groups are not imported (see the README: --site-groups)');
      const asns = Array.isArray(f.asns) ? f.asns : [];
      if (asns.length > 1) ctx.dropped(row, 'asns', 'a Plinth location has one ASN: the first is kept');
      const asn = asns.length
        ? ctx.data.rows.get('ipam.asn')?.find((a) => a.pk === String(asns[0]))?.fields.asn
        : undefined;
      return {
        ...pick(row, [
          'name',
          'facility',
          'time_zone',
          'description',
          'physical_address',
          'shipping_address',
          'latitude',
          'longitude',
          'comments',
          'contact_name',
          'contact_phone',
          'contact_email',
        ]),
        location_type: await siteType(row, ctx),
        parent: ctx.ref('dcim.region', f.region, 'region'),
        status: await ctx.status('dcim.location', f.status),
        tenant: ctx.ref('tenancy.tenant', f.tenant, 'tenant'),
        ...(asn !== undefined ? { asn } : {}),
        ...extras(row, ctx),
      };
    },
  },
  {
    netbox: 'dcim.location',
    target: 'dcim.location',
    tree: 'parent',
    fields: ['name', 'slug', 'site', 'parent', 'status', 'tenant', 'description'],
    map: async (row, ctx) => ({
      ...pick(row, ['name', 'description']),
      location_type: await locationTypeIn(
        rowsBy(ctx.data, 'dcim.site', 'pk', (x) => x.pk).get(String(row.fields.site))?.[0],
        ctx,
      ),
      parent: row.fields.parent
        ? ctx.ref('dcim.location', row.fields.parent, 'parent')
        : ctx.ref('dcim.site', row.fields.site, 'site'),
      status: await ctx.status('dcim.location', row.fields.status ?? 'active'),
      tenant: ctx.ref('tenancy.tenant', row.fields.tenant, 'tenant'),
      ...extras(row, ctx),
    }),
  },
];
