import { sql, type DescribedFilter, type FilterDefinition, type Sql } from '@plinth/plugin-sdk';
import type { CustomFieldDef } from './definitions';

/** Escape LIKE wildcards of a user's string (the pattern's own `%` are added around it). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type Lookup =
  'exact' | 'n' | 'ic' | 'nic' | 'isw' | 'iew' | 'ie' | 'nie' | 'gt' | 'gte' | 'lt' | 'lte' | 'isnull';

const TEXT_LOOKUPS: Lookup[] = ['n', 'ic', 'nic', 'isw', 'iew', 'ie', 'nie', 'isnull'];
const ORDERED_LOOKUPS: Lookup[] = ['n', 'gt', 'gte', 'lt', 'lte', 'isnull'];

/** The lookups (`cf_<key>__<lookup>`) a field's type takes beside the plain name. */
export function lookupsOf(def: CustomFieldDef): Lookup[] {
  switch (def.type) {
    case 'text':
    case 'url':
    case 'markdown':
      return TEXT_LOOKUPS;
    case 'integer':
    case 'date':
      return ORDERED_LOOKUPS;
    case 'select':
    case 'multi-select':
      return ['n', 'ic', 'isnull'];
    case 'boolean':
    case 'json':
      return ['isnull'];
  }
}

function paramType(def: CustomFieldDef, lookup: Lookup): NonNullable<FilterDefinition['type']> {
  if (lookup === 'isnull' || def.type === 'boolean') return 'boolean';
  if (def.type === 'integer') return 'integer';
  return 'string';
}

/** `cf_<key>` or `cf_<key>__<lookup>` of one of the model's fields (filtering not disabled). */
export function parseFilterName(
  defs: readonly CustomFieldDef[],
  name: string,
): { def: CustomFieldDef; lookup: Lookup } | undefined {
  if (!name.startsWith('cf_')) return undefined;
  const rest = name.slice(3);
  for (const def of defs) {
    if (def.filter_logic === 'disabled') continue;
    if (rest === def.key) return { def, lookup: 'exact' };
    if (rest.startsWith(`${def.key}__`)) {
      const lookup = rest.slice(def.key.length + 2) as Lookup;
      if (lookupsOf(def).includes(lookup)) return { def, lookup };
    }
  }
  return undefined;
}

const truthy = (v: string): boolean => /^(true|1|yes|on)$/i.test(v);

/**
 * The SQL of a `cf_` filter. Equality uses jsonb containment (`@>`), which a GIN index on
 * `_custom_field_data` serves; comparisons never cast stored values, so a value of another type
 * simply does not match (no error on odd data).
 */
export function customFieldFilter(def: CustomFieldDef, lookup: Lookup): FilterDefinition {
  return {
    type: paramType(def, lookup),
    negatable: false,
    apply(values, ctx) {
      const data = sql`${ctx.alias}."_custom_field_data"`;
      const path = sql`${data} -> ${def.key}`;
      const text = sql`${data} ->> ${def.key}`;
      const any = (each: (v: string) => Sql): Sql => sql`(${sql.join(values.map(each), ' OR ')})`;
      const contains = (v: unknown): Sql =>
        def.type === 'multi-select'
          ? sql`${data} @> jsonb_build_object(${def.key}::text, jsonb_build_array(${String(v)}::text))`
          : sql`${data} @> jsonb_build_object(${def.key}::text, ${JSON.stringify(v)}::jsonb)`;
      const typed = (v: string): unknown =>
        def.type === 'integer' ? Number(v) : def.type === 'boolean' ? truthy(v) : v;
      const isNull = sql`(${path} IS NULL OR ${path} = 'null'::jsonb)`;
      const textual = def.type === 'text' || def.type === 'url' || def.type === 'markdown';
      const equal = (v: string): Sql =>
        textual && def.filter_logic === 'loose'
          ? sql`${text} ILIKE ${`%${likeEscape(v)}%`}`
          : contains(typed(v));
      switch (lookup) {
        case 'exact':
          return any(equal);
        case 'n':
          return sql`NOT COALESCE(${any(equal)}, false)`;
        case 'isnull':
          return values.some(truthy) ? isNull : sql`NOT ${isNull}`;
        case 'ic':
          return def.type === 'multi-select'
            ? any(
                (v) =>
                  sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(${path}) = 'array' THEN ${path} ELSE '[]'::jsonb END) e WHERE e ILIKE ${`%${likeEscape(v)}%`})`,
              )
            : any((v) => sql`${text} ILIKE ${`%${likeEscape(v)}%`}`);
        case 'nic':
          return sql`NOT COALESCE(${any((v) => sql`${text} ILIKE ${`%${likeEscape(v)}%`}`)}, false)`;
        case 'isw':
          return any((v) => sql`${text} ILIKE ${`${likeEscape(v)}%`}`);
        case 'iew':
          return any((v) => sql`${text} ILIKE ${`%${likeEscape(v)}`}`);
        case 'ie':
          return any((v) => sql`lower(${text}) = lower(${v})`);
        case 'nie':
          return sql`NOT COALESCE(${any((v) => sql`lower(${text}) = lower(${v})`)}, false)`;
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte': {
          const op = sql.raw({ gt: '>', gte: '>=', lt: '<', lte: '<=' }[lookup]);
          const kind = def.type === 'integer' ? 'number' : 'string';
          return any(
            (v) =>
              sql`(jsonb_typeof(${path}) = ${kind} AND ${path} ${op} ${JSON.stringify(typed(v))}::jsonb)`,
          );
        }
      }
    },
  };
}

/** Every `cf_` filter of the model's fields, for OpenAPI, GraphQL arguments and the filter form. */
export function describeCustomFieldFilters(defs: readonly CustomFieldDef[]): DescribedFilter[] {
  const out: DescribedFilter[] = [];
  for (const def of defs) {
    if (def.filter_logic === 'disabled') continue;
    const choices = def.choices.length ? def.choices.map((c) => ({ value: c, label: c })) : undefined;
    const type = def.type === 'date' ? 'date' : paramType(def, 'exact');
    out.push({
      name: `cf_${def.key}`,
      type,
      label: def.label,
      help_text: def.description || undefined,
      choices,
    });
    for (const l of lookupsOf(def)) {
      out.push({
        name: `cf_${def.key}__${l}`,
        type: l === 'isnull' ? 'boolean' : type,
        label: `${def.label} (${l})`,
        choices: l === 'n' ? choices : undefined,
      });
    }
  }
  return out;
}
