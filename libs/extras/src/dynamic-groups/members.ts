import {
  FilterValueError,
  ValidationError,
  sql,
  type FilterContext,
  type FilterParams,
  type Sql,
} from '@plinth/plugin-sdk';

/** A group as membership is computed from it. */
export interface GroupDefinition {
  id: string;
  name: string;
  content_type: string;
  group_type: string;
  filter: unknown;
}

/** What computing membership needs: the filter context of the query being built. */
type Compiler = Pick<FilterContext, 'db' | 'compile' | 'models'>;

const COLUMNS = sql`g."id"::text AS "id", g."name", g."content_type", g."group_type", g."filter"`;

let aliasSeq = 0;
/** A table alias no enclosing query uses. */
export function groupAlias(): Sql {
  aliasSeq = (aliasSeq + 1) % 1_000_000;
  return sql.raw(`_dg${aliasSeq}`);
}

/** Groups named by id or name (the `dynamic_groups` filter's values), in one query. */
export async function groupsNamed(c: Compiler, values: readonly string[]): Promise<GroupDefinition[]> {
  return c.db.query<GroupDefinition & Record<string, unknown>>(
    sql`SELECT ${COLUMNS} FROM "extras_dynamicgroup" g WHERE g."id"::text = ANY(${[...values]}::text[]) OR g."name" = ANY(${[...values]}::text[])`,
  );
}

/** Every group (which groups hold an object: the `member_id` filter). */
export async function allGroups(c: Compiler): Promise<GroupDefinition[]> {
  return c.db.query<GroupDefinition & Record<string, unknown>>(
    sql`SELECT ${COLUMNS} FROM "extras_dynamicgroup" g ORDER BY g."name"`,
  );
}

/**
 * A stored filter as list-endpoint parameters, or null when it is not a flat object of strings,
 * numbers, booleans and lists of them (rules reject those when the group is saved).
 */
export function filterParams(filter: unknown): FilterParams | null {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return null;
  const out: Record<string, string | number | boolean | (string | number)[]> = {};
  const scalar = (v: unknown): v is string | number | boolean =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  for (const [k, v] of Object.entries(filter as Record<string, unknown>)) {
    if (scalar(v)) out[k] = v;
    else if (Array.isArray(v) && v.every(scalar))
      out[k] = v.map((x) => (typeof x === 'boolean' ? String(x) : x));
    else return null;
  }
  return out;
}

/**
 * The condition over `alias` (a row of the group's content type) that holds for its members.
 * A filter that no longer compiles (a custom field was deleted) matches nothing: a group used as
 * a permission constraint fails closed, never open.
 */
export async function memberCondition(
  c: Compiler,
  group: GroupDefinition,
  alias: Sql,
  path: readonly string[] = [],
): Promise<Sql> {
  if (path.includes(group.id)) return sql`FALSE`; // a cycle (rules refuse them; never loop)
  switch (group.group_type) {
    case 'static':
      return sql`${alias}."id" IN (SELECT s."associated_object_id" FROM "extras_staticgroupassociation" s WHERE s."dynamic_group_id" = ${group.id}::uuid)`;
    case 'dynamic-filter': {
      const params = filterParams(group.filter);
      if (!params) return sql`FALSE`;
      try {
        return await c.compile(group.content_type, params, alias);
      } catch (e) {
        if (e instanceof ValidationError) return sql`FALSE`;
        throw e;
      }
    }
    case 'dynamic-set': {
      const children = await c.db.query<GroupDefinition & { operator: string } & Record<string, unknown>>(
        sql`SELECT ${COLUMNS}, m."operator" FROM "extras_dynamicgroupmembership" m
              JOIN "extras_dynamicgroup" g ON g."id" = m."group_id"
             WHERE m."parent_group_id" = ${group.id}::uuid ORDER BY m."weight", g."name"`,
      );
      // As Nautobot: children in weight order, each combined with what the earlier ones gave.
      let acc: Sql | null = null;
      for (const child of children) {
        const cond =
          child.content_type === group.content_type
            ? sql`COALESCE((${await memberCondition(c, child, alias, [...path, group.id])}), FALSE)`
            : sql`FALSE`;
        if (child.operator === 'union') acc = acc ? sql`(${acc} OR ${cond})` : cond;
        else if (child.operator === 'intersection') acc = acc ? sql`(${acc} AND ${cond})` : cond;
        else acc = acc ? sql`(${acc} AND NOT ${cond})` : sql`NOT ${cond}`;
      }
      return acc ?? sql`FALSE`;
    }
    default:
      return sql`FALSE`;
  }
}

/** `dynamic_groups=<id or name>` on a model's list: members of any of the groups. */
export async function inGroupsCondition(c: FilterContext, values: readonly string[]): Promise<Sql> {
  const groups = await groupsNamed(c, values);
  for (const v of values) {
    const g = groups.find((x) => x.id === v || x.name === v);
    if (!g) throw new FilterValueError(`No dynamic group "${v}" exists.`);
    if (g.content_type !== c.model.label)
      throw new FilterValueError(
        `Dynamic group "${g.name}" collects ${g.content_type}, not ${c.model.label}.`,
      );
  }
  const conds = await Promise.all(groups.map((g) => memberCondition(c, g, c.alias)));
  return sql.or(conds);
}

/** The content types (among `types`) that have an object with one of the ids: one query. */
async function typesHolding(
  c: Compiler,
  types: readonly string[],
  ids: readonly string[],
): Promise<Set<string>> {
  const probes = types.flatMap((label) => {
    const model = c.models.get(label);
    return model
      ? [
          sql`SELECT ${label}::text AS "t" WHERE EXISTS (SELECT 1 FROM ${sql.ident(model.table)} x WHERE x."id" = ANY(${[...ids]}::uuid[]))`,
        ]
      : [];
  });
  if (probes.length === 0) return new Set();
  const rows = await c.db.query<{ t: string }>(sql.join(probes, ' UNION ALL '));
  return new Set(rows.map((r) => r.t));
}

/**
 * `member_id=<uuid>` on groups: the groups holding any of the objects (each group on its own
 * model). Only groups of the types the objects are of are compiled.
 */
export async function holdingCondition(c: FilterContext, ids: readonly string[]): Promise<Sql> {
  const conds: Sql[] = [];
  const groups = await allGroups(c);
  const held = await typesHolding(c, [...new Set(groups.map((g) => g.content_type))], ids);
  for (const g of groups) {
    const model = c.models.get(g.content_type);
    if (!model || !held.has(g.content_type)) continue;
    const x = groupAlias();
    const member = await memberCondition(c, g, x);
    conds.push(
      sql`(${c.alias}."id" = ${g.id}::uuid AND EXISTS (SELECT 1 FROM ${sql.ident(model.table)} ${x} WHERE ${x}."id" = ANY(${[...ids]}::uuid[]) AND ${member}))`,
    );
  }
  return sql.or(conds);
}
