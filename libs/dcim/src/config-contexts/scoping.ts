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

/** `cc` has no entries in the scope table, or one matching `match`. */
function scoped(table: string, match: Sql | null): Sql {
  const none = sql`NOT EXISTS (SELECT 1 FROM ${sql.ident(table)} s WHERE s."configcontext_id" = cc."id")`;
  if (!match) return none;
  return sql`(${none} OR EXISTS (SELECT 1 FROM ${sql.ident(table)} s WHERE s."configcontext_id" = cc."id" AND ${match}))`;
}

/**
 * The active config contexts that apply to each object, in merge order (weight, then name), in
 * two queries whatever the number of objects: one matching every object against every context's
 * scopes (Nautobot's semantics: for each non-empty scope list the object matches one entry;
 * locations and tenant groups match with their descendants), one reading the matched contexts.
 */
export async function contextSourcesOf(
  db: SqlRunner & { models: ModelLookup },
  model: ModelMeta,
  ids: readonly string[],
): Promise<Map<string, ContextSource[]>> {
  const out = new Map<string, ContextSource[]>();
  if (ids.length === 0) return out;
  const location = columnOf(db.models, model, 'location', CoreModels.location.label);
  const tenant = columnOf(db.models, model, 'tenant', CoreModels.tenant.label);
  const pick = (column: string | null, as: string): Sql =>
    column ? sql`o.${sql.ident(column)} AS ${sql.ident(as)}` : sql`NULL::uuid AS ${sql.ident(as)}`;
  const conditions: Sql[] = SCOPES.map((s) => {
    const column = columnOf(db.models, model, s.field, s.target);
    return scoped(s.table, column ? sql`s.${sql.ident(s.column)} = obj.${sql.ident(`v_${s.field}`)}` : null);
  });
  conditions.push(
    scoped(
      'dcim_configcontext_locations',
      location
        ? sql`s."location_id" IN (SELECT a."id" FROM loc_up a WHERE a."base" = obj."v_location")`
        : null,
    ),
    scoped(
      'dcim_configcontext_tenant_groups',
      tenant
        ? sql`s."tenantgroup_id" IN (SELECT g."id" FROM group_up g WHERE g."base" = obj."v_tenant")`
        : null,
    ),
    scoped(
      'dcim_configcontext_tags',
      model.has('tags')
        ? sql`s."tag_id" IN (SELECT ti."tag_id" FROM "extras_taggeditem" ti WHERE ti."content_type" = ${model.label} AND ti."object_id" = obj."id")`
        : null,
    ),
  );
  const picks = [
    ...SCOPES.map((s) => pick(columnOf(db.models, model, s.field, s.target), `v_${s.field}`)),
    pick(location, 'v_location'),
  ];
  const matches = await db.query<{ object_id: string; ids: string[] }>(sql`
    WITH RECURSIVE obj AS (
      SELECT o."id", ${sql.join(picks)} FROM ${sql.ident(model.table)} o WHERE o."id" = ANY(${[...ids]}::uuid[])
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
    )
    SELECT obj."id"::text AS "object_id",
           array_agg(cc."id"::text ORDER BY cc."weight", cc."name") AS "ids"
      FROM obj JOIN "dcim_configcontext" cc ON cc."is_active"
     WHERE ${sql.and(conditions)}
     GROUP BY obj."id"`);
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
