import { Skip, type MapContext, type ModelMapping } from '../mapping';
import { contentType, extras } from './organization';

/** NetBox models whose Plinth model has another name: a constraint on their fields needs rewriting. */
const RENAMED = new Set([
  'dcim.site',
  'dcim.region',
  'dcim.sitegroup',
  'dcim.devicerole',
  'dcim.rackrole',
  'ipam.role',
  'ipam.aggregate',
]);

/**
 * Config contexts keep their data, weight and scopes: regions, sites and locations are all
 * locations in Plinth; site groups and cluster types have no scope here (reported).
 */
export const configContextMapping: ModelMapping = {
  netbox: 'extras.configcontext',
  target: 'extras.configcontext',
  fields: [
    'name',
    'weight',
    'description',
    'is_active',
    'data',
    'regions',
    'site_groups',
    'sites',
    'locations',
    'device_types',
    'roles',
    'platforms',
    'cluster_types',
    'cluster_groups',
    'clusters',
    'tenant_groups',
    'tenants',
    'tags',
    'data_source',
    'data_file',
    'data_path',
    'auto_sync_enabled',
    'data_synced',
  ],
  map(row, ctx) {
    const f = row.fields;
    for (const scope of ['site_groups', 'cluster_types'])
      if (Array.isArray(f[scope]) && f[scope].length)
        ctx.dropped(row, scope, 'no such config context scope in Plinth');
    if (f.data_source) ctx.dropped(row, 'data_source', "NetBox's data sources: use a Plinth Git repository");
    const has = (label: string) => ctx.hasModel(label);
    return {
      name: f.name,
      weight: f.weight ?? 1000,
      description: f.description ?? '',
      is_active: f.is_active !== false,
      data: f.data ?? {},
      locations: [
        ...ctx.refs('dcim.region', f.regions, 'regions'),
        ...ctx.refs('dcim.site', f.sites, 'sites'),
        ...ctx.refs('dcim.location', f.locations, 'locations'),
      ],
      device_types: ctx.refs('dcim.devicetype', f.device_types, 'device_types'),
      roles: ctx.refs('dcim.devicerole', f.roles, 'roles'),
      platforms: ctx.refs('dcim.platform', f.platforms, 'platforms'),
      ...(has('virtualization.cluster')
        ? {
            clusters: ctx.refs('virtualization.cluster', f.clusters, 'clusters'),
            cluster_groups: ctx.refs('virtualization.clustergroup', f.cluster_groups, 'cluster_groups'),
          }
        : {}),
      tenant_groups: ctx.refs('tenancy.tenantgroup', f.tenant_groups, 'tenant_groups'),
      tenants: ctx.refs('tenancy.tenant', f.tenants, 'tenants'),
      tags: ctx.refs('extras.tag', f.tags, 'tags'),
    };
  },
};

/**
 * Object permissions "where they map": actions, users, groups and object types come across; a
 * permission with constraints on a model Plinth names differently (sites are locations) is
 * skipped, since its field names would not mean the same (rewrite it by hand).
 */
export const objectPermissionMapping: ModelMapping = {
  netbox: 'users.objectpermission',
  target: 'users.objectpermission',
  fields: ['name', 'description', 'enabled', 'object_types', 'groups', 'users', 'actions', 'constraints'],
  map(row, ctx: MapContext) {
    const f = row.fields;
    const netboxTypes = (Array.isArray(f.object_types) ? f.object_types : []).filter(
      Array.isArray,
    ) as string[][];
    const constrained =
      f.constraints !== null && f.constraints !== undefined && JSON.stringify(f.constraints) !== '{}';
    if (constrained && netboxTypes.some((t) => RENAMED.has(t.join('.'))))
      return new Skip('constraints on models Plinth names differently (e.g. sites): rewrite them by hand');
    const types = netboxTypes.map((t) => contentType(t, ctx)).filter((l): l is string => !!l);
    if (types.length < netboxTypes.length) ctx.dropped(row, 'object_types', 'a model Plinth does not have');
    if (!types.length) return new Skip('none of its object types exists in Plinth');
    return {
      name: f.name,
      description: f.description ?? '',
      enabled: f.enabled !== false,
      object_types: [...new Set(types)].sort(),
      actions: f.actions,
      constraints: constrained ? f.constraints : null,
      users: ctx.refs('auth.user', f.users, 'users'),
      groups: ctx.refs('auth.group', f.groups, 'groups'),
      ...extras(row, ctx),
    };
  },
};
