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

/** One scope list of a config context and where an object keeps the value it is matched on. */
interface Scope {
  table: string;
  column: string;
  /** The object's field holding the value (absent on models without it: only unscoped contexts apply). */
  field: string;
  target: string;
}

const SCOPES: readonly Scope[] = [
  { table: 'dcim_configcontext_roles', column: 'role_id', field: 'role', target: CoreModels.role.label },
  {
    table: 'dcim_configcontext_device_types',
    column: 'devicetype_id',
    field: 'device_type',
    target: CoreModels.deviceType.label,
  },
  {
    table: 'dcim_configcontext_platforms',
    column: 'platform_id',
    field: 'platform',
    target: CoreModels.platform.label,
  },
  {
    table: 'dcim_configcontext_tenants',
    column: 'tenant_id',
    field: 'tenant',
    target: CoreModels.tenant.label,
  },
];

/** The object's column of a foreign key to `target`, if the model has one named `field`. */
function columnOf(models: ModelLookup, model: ModelMeta, field: string, target: string): string | null {
  const f = model.field(field);
  if (!f || f.kind !== 'fk') return null;
  const t = f.target;
  const label =
    typeof t === 'string' ? t : 'label' in t ? t.label : models.forEntity((t as () => unknown)())?.label;
  return label === target ? f.column : null;
}

const ALL_SCOPE_TABLES = [
  ...SCOPES.map((s) => s.table),
  'dcim_configcontext_locations',
  'dcim_configcontext_tenant_groups',
  'dcim_configcontext_tags',
];

/**
 * The active config contexts that apply to each object (stored records: foreign keys as ids), in
 * merge order (weight, then name), in two queries whatever the number of objects: one matching
 * every object against every context's scopes, one reading the matched contexts. Nautobot's semantics: for each non-empty scope list
 * the object matches one entry (locations and tenant groups with their descendants). Set-based:
 * the object's hits per scope list (joins of the page's values against the scope tables) are
 * counted against the number of non-empty lists of each context; only unscoped contexts are
 * paired with every object.
 */
export async function contextSourcesOf(
  db: SqlRunner & { models: ModelLookup },
  model: ModelMeta,
  records: readonly Readonly<Record<string, unknown>>[],
): Promise<Map<string, ContextSource[]>> {
  const out = new Map<string, ContextSource[]>();
  if (records.length === 0) return out;
  const location = columnOf(db.models, model, 'location', CoreModels.location.label);
  const tenant = columnOf(db.models, model, 'tenant', CoreModels.tenant.label);
  // The page's values come with its records (foreign keys as ids): no read of the model's table.
  const values = (field: string, column: string | null): (string | null)[] =>
    records.map((r) => (column && typeof r[field] === 'string' ? (r[field] as string) : null));
  const columns: { as: string; values: (string | null)[] }[] = [
    { as: 'id', values: records.map((r) => String(r.id)) },
    ...SCOPES.map((s) => ({
      as: `v_${s.field}`,
      values: values(s.field, columnOf(db.models, model, s.field, s.target)),
    })),
    { as: 'v_location', values: values('location', location) },
  ];
  // (object, context, scope list) for each list entry the object matches; a model without the
  // field matches no entry, so contexts scoped on it never apply.
  const hits: Sql[] = [];
  SCOPES.forEach((s, i) => {
    if (!columnOf(db.models, model, s.field, s.target)) return;
    hits.push(sql`SELECT obj."id" AS "oid", x."configcontext_id" AS "cid", ${sql.raw(String(i))} AS "dim"
      FROM obj JOIN ${sql.ident(s.table)} x ON x.${sql.ident(s.column)} = obj.${sql.ident(`v_${s.field}`)}`);
  });
  if (location)
    hits.push(sql`SELECT obj."id" AS "oid", x."configcontext_id" AS "cid", 10 AS "dim" FROM obj
      JOIN loc_up a ON a."base" = obj."v_location"
      JOIN "dcim_configcontext_locations" x ON x."location_id" = a."id"`);
  if (tenant)
    hits.push(sql`SELECT obj."id" AS "oid", x."configcontext_id" AS "cid", 11 AS "dim" FROM obj
      JOIN group_up g ON g."base" = obj."v_tenant"
      JOIN "dcim_configcontext_tenant_groups" x ON x."tenantgroup_id" = g."id"`);
  if (model.has('tags'))
    hits.push(sql`SELECT obj."id" AS "oid", x."configcontext_id" AS "cid", 12 AS "dim" FROM obj
      JOIN "extras_taggeditem" ti ON ti."object_id" = obj."id" AND ti."content_type" = ${model.label}
      JOIN "dcim_configcontext_tags" x ON x."tag_id" = ti."tag_id"`);
  const needed = sql.join(
    ALL_SCOPE_TABLES.map(
      (t) => sql`(EXISTS (SELECT 1 FROM ${sql.ident(t)} x WHERE x."configcontext_id" = c."id"))::int`,
    ),
    ' + ',
  );
  const matched = hits.length
    ? sql`SELECT "oid", "cid", count(*) AS "n"
         FROM (SELECT DISTINCT "oid", "cid", "dim" FROM (${sql.join(hits, ' UNION ALL ')}) u) h
        GROUP BY "oid", "cid"`
    : sql`SELECT NULL::uuid AS "oid", NULL::uuid AS "cid", 0::bigint AS "n" WHERE FALSE`;
  // Ids as one comma-separated text per object: the driver parses text much faster than arrays.
  const found = await db.query<{ object_id: string; ids: string }>(sql`
    WITH RECURSIVE obj AS (
      SELECT * FROM unnest(${sql.join(columns.map((c) => sql`${c.values}::uuid[]`))})
        AS o(${sql.join(columns.map((c) => sql.ident(c.as)))})
    ),
    loc_up AS (
      SELECT l."id" AS "base", l."id", l."parent_id" FROM ${sql.table(CoreModels.location)} l
       WHERE l."id" IN (SELECT "v_location" FROM obj)
      UNION ALL
      SELECT a."base", p."id", p."parent_id" FROM loc_up a JOIN ${sql.table(CoreModels.location)} p ON p."id" = a."parent_id"
    ),
    group_up AS (
      SELECT t."id" AS "base", g."id", g."parent_id" FROM ${sql.table(CoreModels.tenant)} t
        JOIN ${sql.table(CoreModels.tenantGroup)} g ON g."id" = t."tenant_group_id"
       WHERE t."id" IN (SELECT "v_tenant" FROM obj)
      UNION ALL
      SELECT a."base", p."id", p."parent_id" FROM group_up a JOIN ${sql.table(CoreModels.tenantGroup)} p ON p."id" = a."parent_id"
    ),
    cc AS MATERIALIZED (
      SELECT c."id", row_number() OVER (ORDER BY c."weight", c."name") AS "rank", ${needed} AS "needed"
        FROM "dcim_configcontext" c WHERE c."is_active"
    ),
    matched AS (${matched})
    SELECT r."oid"::text AS "object_id", string_agg(r."cid"::text, ',' ORDER BY r."rank") AS "ids"
      FROM (
        SELECT obj."id" AS "oid", cc."id" AS "cid", cc."rank" FROM obj CROSS JOIN cc WHERE cc."needed" = 0
        UNION ALL
        SELECT m."oid", cc."id", cc."rank" FROM matched m JOIN cc ON cc."id" = m."cid" AND cc."needed" = m."n"
      ) r
     GROUP BY r."oid"`);
  const matches = found.map((r) => ({ object_id: r.object_id, ids: r.ids.split(',') }));
  const wanted = [...new Set(matches.flatMap((m) => m.ids))];
  if (wanted.length === 0) return out;
  const rows = await db.query<ContextSource>(
    sql`SELECT "id"::text AS "id", "name", "weight", "data" FROM "dcim_configcontext" WHERE "id" = ANY(${wanted}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const m of matches)
    out.set(
      m.object_id,
      m.ids.map((id) => byId.get(id)).filter((c): c is ContextSource => !!c),
    );
  return out;
}
