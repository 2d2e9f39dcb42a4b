import {
  CoreModels,
  sql,
  type ModelLookup,
  type ModelMeta,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';

/** A config context as it takes part in an object's rendered config context. */
export interface ContextSource extends Record<string, unknown> {
  id: string;
  name: string;
  weight: number;
  data: Record<string, unknown>;
}

type Rec = Readonly<Record<string, unknown>>;

/**
 * A scope list matched on one of the object's foreign keys: the list's join table and column.
 * (Locations, tenant groups and tags are matched through `ancestry`.)
 */
interface Scope {
  list: string;
  table: string;
  column: string;
  field: string;
  target: string;
}

const SCOPES: readonly Scope[] = [
  {
    list: 'roles',
    table: 'dcim_configcontext_roles',
    column: 'role_id',
    field: 'role',
    target: CoreModels.role.label,
  },
  {
    list: 'device_types',
    table: 'dcim_configcontext_device_types',
    column: 'devicetype_id',
    field: 'device_type',
    target: CoreModels.deviceType.label,
  },
  {
    list: 'platforms',
    table: 'dcim_configcontext_platforms',
    column: 'platform_id',
    field: 'platform',
    target: CoreModels.platform.label,
  },
  {
    list: 'tenants',
    table: 'dcim_configcontext_tenants',
    column: 'tenant_id',
    field: 'tenant',
    target: CoreModels.tenant.label,
  },
  {
    list: 'clusters',
    table: 'dcim_configcontext_clusters',
    column: 'cluster_id',
    field: 'cluster',
    target: 'virtualization.cluster',
  },
];

/** Whether the model has a foreign key named `field` to `target`. */
function hasKey(models: ModelLookup, model: ModelMeta, field: string, target: string): boolean {
  const f = model.field(field);
  if (!f || f.kind !== 'fk') return false;
  const t = f.target;
  const label =
    typeof t === 'string' ? t : 'label' in t ? t.label : models.forEntity((t as () => unknown)())?.label;
  return label === target;
}

/** Ids of a comma-separated aggregate (the driver parses text much faster than arrays). */
function split(v: unknown): string[] {
  return typeof v === 'string' && v ? v.split(',') : [];
}

interface ScopedContext {
  source: ContextSource;
  /** Non-empty scope lists only. */
  lists: { list: string; ids: Set<string> }[];
}

/** Every active context with its non-empty scope lists, in merge order (data read later, for those that apply). */
async function activeContexts(db: SqlRunner): Promise<ScopedContext[]> {
  const lists = [
    ...SCOPES.map((s) => ({ list: s.list, table: s.table, column: s.column })),
    { list: 'locations', table: 'dcim_configcontext_locations', column: 'location_id' },
    { list: 'tenant_groups', table: 'dcim_configcontext_tenant_groups', column: 'tenantgroup_id' },
    { list: 'tags', table: 'dcim_configcontext_tags', column: 'tag_id' },
    { list: 'cluster_groups', table: 'dcim_configcontext_cluster_groups', column: 'clustergroup_id' },
  ];
  const rows = await db.query(sql`
    SELECT c."id"::text AS "id", c."name", c."weight", ${sql.join(
      lists.map(
        (l) =>
          sql`(SELECT string_agg(x.${sql.ident(l.column)}::text, ',') FROM ${sql.ident(l.table)} x WHERE x."configcontext_id" = c."id") AS ${sql.ident(l.list)}`,
      ),
    )}
      FROM "dcim_configcontext" c WHERE c."is_active" ORDER BY c."weight", c."name"`);
  return rows.map((r) => ({
    source: {
      id: String(r.id),
      name: String(r.name),
      weight: Number(r.weight),
      data: {},
    },
    lists: lists.map((l) => ({ list: l.list, ids: new Set(split(r[l.list])) })).filter((l) => l.ids.size > 0),
  }));
}

/**
 * The page's values matched with ancestors: location -> itself and its ancestors, tenant -> its
 * group and the group's ancestors, object -> its tags, cluster -> its cluster group. One query
 * (skipped when the model has none of these).
 */
async function ancestry(
  db: SqlRunner,
  model: ModelMeta,
  records: readonly Rec[],
  has: { location: boolean; tenant: boolean; tags: boolean; cluster: boolean },
): Promise<{
  locations: Map<string, Set<string>>;
  groups: Map<string, Set<string>>;
  tags: Map<string, Set<string>>;
  clusterGroups: Map<string, Set<string>>;
}> {
  const out = {
    locations: new Map<string, Set<string>>(),
    groups: new Map<string, Set<string>>(),
    tags: new Map<string, Set<string>>(),
    clusterGroups: new Map<string, Set<string>>(),
  };
  const ids = (field: string): string[] => [
    ...new Set(records.map((r) => r[field]).filter((v): v is string => typeof v === 'string')),
  ];
  const parts: Sql[] = [];
  const ctes: Sql[] = [];
  const location = sql.table(CoreModels.location);
  const tenant = sql.table(CoreModels.tenant);
  const group = sql.table(CoreModels.tenantGroup);
  if (has.location && ids('location').length) {
    ctes.push(sql`loc_up AS (
      SELECT l."id" AS "base", l."id", l."parent_id" FROM ${location} l WHERE l."id" = ANY(${ids('location')}::uuid[])
      UNION ALL
      SELECT a."base", p."id", p."parent_id" FROM loc_up a JOIN ${location} p ON p."id" = a."parent_id")`);
    parts.push(
      sql`SELECT 'l' AS "kind", "base"::text AS "key", string_agg("id"::text, ',') AS "ids" FROM loc_up GROUP BY "base"`,
    );
  }
  if (has.tenant && ids('tenant').length) {
    ctes.push(sql`group_up AS (
      SELECT t."id" AS "base", g."id", g."parent_id" FROM ${tenant} t JOIN ${group} g ON g."id" = t."tenant_group_id"
       WHERE t."id" = ANY(${ids('tenant')}::uuid[])
      UNION ALL
      SELECT a."base", p."id", p."parent_id" FROM group_up a JOIN ${group} p ON p."id" = a."parent_id")`);
    parts.push(sql`SELECT 'g', "base"::text, string_agg("id"::text, ',') FROM group_up GROUP BY "base"`);
  }
  if (has.tags)
    parts.push(sql`SELECT 't', ti."object_id"::text, string_agg(ti."tag_id"::text, ',') FROM "extras_taggeditem" ti
       WHERE ti."content_type" = ${model.label} AND ti."object_id" = ANY(${records.map((r) => String(r.id))}::uuid[])
       GROUP BY ti."object_id"`);
  if (has.cluster && ids('cluster').length)
    parts.push(sql`SELECT 'c', c."id"::text, c."cluster_group_id"::text FROM ${sql.table('virtualization.cluster')} c
       WHERE c."id" = ANY(${ids('cluster')}::uuid[]) AND c."cluster_group_id" IS NOT NULL`);
  if (parts.length === 0) return out;
  const withClause = ctes.length ? sql`WITH RECURSIVE ${sql.join(ctes)} ` : sql``;
  const rows = await db.query<{ kind: string; key: string; ids: string }>(
    sql`${withClause}${sql.join(parts, ' UNION ALL ')}`,
  );
  const into = { l: out.locations, g: out.groups, t: out.tags, c: out.clusterGroups } as Record<
    string,
    Map<string, Set<string>>
  >;
  for (const r of rows) into[r.kind]?.set(r.key, new Set(split(r.ids)));
  return out;
}

/**
 * The active config contexts that apply to each object (stored records: foreign keys as ids), in
 * merge order (weight, then name). Nautobot's semantics: for each non-empty scope list the
 * object matches one entry (locations and tenant groups with their descendants); a model
 * without a list's field matches no entry. Three queries whatever the number of objects (the
 * active contexts with their scope lists; the page's location and tenant-group ancestors and
 * tags; the data of the contexts that apply), matched in memory.
 */
export async function contextSourcesOf(
  db: SqlRunner & { models: ModelLookup },
  model: ModelMeta,
  records: readonly Rec[],
): Promise<Map<string, ContextSource[]>> {
  const out = new Map<string, ContextSource[]>();
  if (records.length === 0) return out;
  const direct = SCOPES.filter((s) => hasKey(db.models, model, s.field, s.target));
  const has = {
    location: hasKey(db.models, model, 'location', CoreModels.location.label),
    tenant: hasKey(db.models, model, 'tenant', CoreModels.tenant.label),
    tags: model.has('tags'),
    cluster: hasKey(db.models, model, 'cluster', 'virtualization.cluster'),
  };
  const contexts = await activeContexts(db);
  if (contexts.length === 0) return out;
  const up = await ancestry(db, model, records, has);
  const none = new Set<string>();
  for (const r of records) {
    const id = String(r.id);
    // The object's values each list is matched against (ancestors included).
    const values: Record<string, Iterable<string>> = {
      locations: up.locations.get(String(r.location)) ?? none,
      tenant_groups: up.groups.get(String(r.tenant)) ?? none,
      tags: up.tags.get(id) ?? none,
      cluster_groups: up.clusterGroups.get(String(r.cluster)) ?? none,
    };
    for (const s of direct) values[s.list] = typeof r[s.field] === 'string' ? [r[s.field] as string] : [];
    const applies: ContextSource[] = [];
    for (const c of contexts)
      if (c.lists.every((l) => [...(values[l.list] ?? [])].some((v) => l.ids.has(v)))) applies.push(c.source);
    if (applies.length) out.set(id, applies);
  }
  // The data of the contexts that apply to some object of the page (not of every active one).
  const used = [...new Set([...out.values()].flat())];
  if (used.length) {
    const rows = await db.query<{ id: string; data: Record<string, unknown> }>(
      sql`SELECT "id"::text AS "id", "data" FROM "dcim_configcontext" WHERE "id" = ANY(${used.map((c) => c.id)}::uuid[])`,
    );
    const data = new Map(rows.map((r) => [r.id, r.data]));
    for (const c of used) c.data = data.get(c.id) ?? {};
  }
  return out;
}
