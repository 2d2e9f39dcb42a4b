import { parseBoolean, sql, type Sql } from './sql';
import type { FilterContext, FilterDefinition } from './model';

/**
 * A yes/no filter (`has_interfaces=true`): `cond` when true, its negation when false. Both values
 * at once match everything.
 */
export function booleanFilter(label: string, cond: (ctx: FilterContext) => Sql): FilterDefinition {
  return {
    label,
    type: 'boolean',
    negatable: false,
    apply(values, ctx) {
      const wanted = new Set(values.map((v) => parseBoolean(v) === true));
      if (wanted.size === 2) return sql.raw('TRUE');
      return wanted.has(true) ? sql`(${cond(ctx)})` : sql`NOT (${cond(ctx)})`;
    },
  };
}

/**
 * Objects related, through a dotted foreign-key path, to the given tree nodes or their
 * descendants (`tenant_group` on devices: `treeFilter('Tenant group', 'tenant.tenant_group')`;
 * `location` on circuits through their terminations is a model filter of its own).
 */
export function treeFilter(label: string, path: string): FilterDefinition {
  return { label, apply: (values, ctx) => ctx.path(path, values, { descendants: true }) };
}
