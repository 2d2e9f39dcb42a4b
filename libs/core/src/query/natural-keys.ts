import { sql, type FieldMeta, type ModelMeta, type Sql } from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import { columnOf, isUuid, splitNaturalKey } from '../models/values';

let aliasCounter = 0;
/** A fresh table alias for nested subqueries. */
export function nextAlias(): Sql {
  aliasCounter = (aliasCounter + 1) % 1_000_000;
  return sql.ident(`_a${aliasCounter}`);
}

export type Executor = (query: Sql) => Promise<Record<string, unknown>[]>;

/**
 * Matching objects by reference: a uuid, or a natural-key string (`Cisco;C9200` for a
 * composite key). Used by foreign-key filters, foreign-key input and custom filters.
 */
export class NaturalKeys {
  constructor(private readonly models: ModelRegistry) {}

  /**
   * Condition on `alias` (a row of `model`) matching `value`. A composite key may be given in
   * part (`AMS01` for a location keyed by name and parent): the leading parts must match.
   */
  condition(model: ModelMeta, alias: Sql, value: string): Sql {
    if (isUuid(value)) return sql`${alias}."id" = ${value}::uuid`;
    const keys = model.natural_key;
    if (keys.length === 0) return sql.raw('FALSE');
    const parts = keys.length === 1 ? [value] : splitNaturalKey(value);
    if (parts.length > keys.length) return sql.raw('FALSE');
    return sql.and(parts.map((part, i) => this.partCondition(model.field(keys[i])!, alias, part)));
  }

  private partCondition(field: FieldMeta, alias: Sql, part: string): Sql {
    const col = sql`${alias}.${sql.ident(field.column ?? field.name)}`;
    if (field.kind === 'fk') {
      if (part === '' && field.nullable) return sql`${col} IS NULL`;
      return sql`${col} IN (${this.idsOf(this.models.targetOf(field), [part])})`;
    }
    if (field.kind === 'integer')
      return /^-?\d+$/.test(part) ? sql`${col} = ${Number(part)}` : sql.raw('FALSE');
    if (part === '' && field.nullable) return sql`(${col} IS NULL OR ${col}::text = '')`;
    return sql`${col}::text = ${part}`;
  }

  /** Subquery of ids of `model` objects referenced by any of `values`. */
  idsOf(model: ModelMeta, values: readonly string[]): Sql {
    const a = nextAlias();
    const uuids = values.filter(isUuid);
    const others = values.filter((v) => !isUuid(v));
    const conds: Sql[] = [];
    if (uuids.length) conds.push(sql`${a}."id" = ANY(${uuids}::uuid[])`);
    if (others.length && model.natural_key.length === 1 && this.isPlainKey(model)) {
      const f = model.field(model.natural_key[0])!;
      conds.push(sql`${a}.${sql.ident(columnOf(f))}::text = ANY(${others}::text[])`);
    } else {
      for (const v of others) conds.push(this.condition(model, a, v));
    }
    return sql`SELECT ${a}."id" FROM ${sql.ident(model.table)} ${a} WHERE ${sql.or(conds)}`;
  }

  /** Like idsOf, plus all descendants through the model's tree parent field. */
  treeIdsOf(model: ModelMeta, values: readonly string[]): Sql {
    const parent = model.definition.tree_parent;
    if (!parent) return this.idsOf(model, values);
    const col = sql.ident(columnOf(model.field(parent)!));
    const t = sql.ident(model.table);
    const c = nextAlias();
    return sql`WITH RECURSIVE _tree(id) AS (${this.idsOf(model, values)} UNION SELECT ${c}."id" FROM ${t} ${c} JOIN _tree ON ${c}.${col} = _tree.id) SELECT id FROM _tree`;
  }

  private isPlainKey(model: ModelMeta): boolean {
    const f = model.field(model.natural_key[0]);
    return !!f && f.kind !== 'fk' && f.kind !== 'integer';
  }

  /**
   * Resolve references to ids in one query. Returns, per input value, the matching ids
   * (empty when nothing matches).
   */
  async resolve(model: ModelMeta, values: readonly string[], db: Executor): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(values.map((v) => [v, []]));
    if (values.length === 0) return out;
    const selects: Sql[] = [];
    const t = sql.ident(model.table);
    const uuids = values.filter(isUuid);
    if (uuids.length) {
      const a = nextAlias();
      selects.push(
        sql`SELECT ${a}."id"::text AS key, ${a}."id" AS id FROM ${t} ${a} WHERE ${a}."id" = ANY(${uuids}::uuid[])`,
      );
    }
    const others = values.filter((v) => !isUuid(v));
    if (others.length && model.natural_key.length === 1 && this.isPlainKey(model)) {
      const a = nextAlias();
      const col = sql`${a}.${sql.ident(columnOf(model.field(model.natural_key[0])!))}::text`;
      selects.push(
        sql`SELECT ${col} AS key, ${a}."id" AS id FROM ${t} ${a} WHERE ${col} = ANY(${others}::text[])`,
      );
    } else {
      for (const v of others) {
        const a = nextAlias();
        selects.push(
          sql`SELECT ${v}::text AS key, ${a}."id" AS id FROM ${t} ${a} WHERE ${this.condition(model, a, v)}`,
        );
      }
    }
    const rows = await db(sql.join(selects, ' UNION ALL '));
    for (const r of rows) {
      const key = String(r.key);
      // uuid keys come back in canonical lower case; map them to the submitted spelling.
      const target = out.get(key) ?? out.get(values.find((v) => v.toLowerCase() === key) ?? key);
      target?.push(String(r.id));
    }
    return out;
  }
}
