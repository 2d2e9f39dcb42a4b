import { sql, type FieldMeta, type ModelMeta, type Rec } from '@plinth/plugin-sdk';
import type { DataSource, EntityManager } from 'typeorm';
import type { ModelRegistry } from '../models/model-registry';
import { executor } from '../query/query-engine';
import { columnOf, toDbValue } from '../models/values';
import type { ParsedItem } from './input';

interface UniqueSet {
  name: string | undefined;
  fields: FieldMeta[];
}

/** The SQL type values of a field are compared as (VALUES rows need explicit types). */
function sqlType(f: FieldMeta): string {
  switch (f.kind) {
    case 'fk':
    case 'uuid':
      return 'uuid';
    case 'integer':
      return 'bigint';
    case 'float':
    case 'decimal':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    case 'mac':
      return 'macaddr';
    case 'inet':
      return 'inet';
    case 'cidr':
      return 'cidr';
    default:
      return 'text';
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A label inside a sentence: `Namespace` -> `namespace`, but acronyms stay (`VLAN group`, `MTU`). */
function inSentence(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/**
 * Checks the entity's unique constraints (single `unique` fields and `@Unique([...])` sets)
 * before writing, so users get "X with this Name already exists." on the right field instead of
 * a database error. One query per constraint and batch; the database constraint stays the
 * final guard against races.
 */
export class UniqueChecker {
  private readonly cache = new Map<string, UniqueSet[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelRegistry,
  ) {}

  constraints(model: ModelMeta): UniqueSet[] {
    const cached = this.cache.get(model.label);
    if (cached) return cached;
    const meta = this.dataSource.getMetadata(model.entity);
    const byColumn = new Map(model.fields.filter((f) => f.column).map((f) => [f.column, f]));
    const sets: UniqueSet[] = [];
    const add = (name: string | undefined, columns: string[]): void => {
      const fields = columns.map((c) => byColumn.get(c));
      if (fields.some((f) => !f)) return;
      sets.push({ name, fields: fields as FieldMeta[] });
    };
    for (const u of meta.uniques)
      add(
        u.name,
        u.columns.map((c) => c.databaseName),
      );
    for (const i of meta.indices)
      if (i.isUnique && !i.where)
        add(
          i.name,
          i.columns.map((c) => c.databaseName),
        );
    this.cache.set(model.label, sets);
    return sets;
  }

  fieldsOfConstraint(model: ModelMeta, name: string | undefined): FieldMeta[] {
    return this.constraints(model).find((c) => c.name === name)?.fields ?? [];
  }

  private message(model: ModelMeta, set: UniqueSet): string {
    return `${capitalize(model.verbose_name)} with this ${set.fields.map((f) => inSentence(f.label)).join(' and ')} already exists.`;
  }

  /** The field an error about this set is reported on: the last non-relation field, as users edit it. */
  private errorField(set: UniqueSet): string {
    return (
      [...set.fields].reverse().find((f) => f.kind !== 'fk')?.name ?? set.fields[set.fields.length - 1].name
    );
  }

  async check(model: ModelMeta, records: Rec[], items: ParsedItem[], manager: EntityManager): Promise<void> {
    for (const set of this.constraints(model)) {
      const candidates = records
        .map((r, i) => ({ r, i }))
        .filter(
          ({ r, i }) =>
            items[i].errors.empty && set.fields.every((f) => r[f.name] !== null && r[f.name] !== undefined),
        );
      if (candidates.length === 0) continue;
      const key = (r: Rec): string => JSON.stringify(set.fields.map((f) => String(r[f.name])));
      const seen = new Map<string, number>();
      for (const { r, i } of candidates) {
        const k = key(r);
        if (seen.has(k)) items[i].errors.add(this.errorField(set), this.message(model, set));
        else seen.set(k, i);
      }
      const cols = sql.join(set.fields.map((f) => sql.ident(columnOf(f))));
      const types = set.fields.map(sqlType);
      // The objects being written are left out here, not in SQL: PostgreSQL estimates
      // `NOT id = ANY(<thousands of ids>)` to keep about one row, and then plans a nested loop of
      // the VALUES over a sequential scan (0.75 s a batch of interfaces in the demo data).
      const writing = new Set(candidates.map(({ r }) => String(r.id)));
      for (let start = 0; start < candidates.length; start += 10_000) {
        const chunk = candidates.slice(start, start + 10_000);
        const values = set.fields.map((f) => chunk.map(({ r }) => toDbValue(f, r[f.name])));
        const rows = await executor(manager)(
          // IN (SELECT ...) is a join; a long list of row constructors is planned as one OR per
          // row, which PGlite cannot commit after some 250 rows (its backend aborts).
          sql`SELECT "id", ${cols} FROM ${sql.ident(model.table)} WHERE (${cols}) IN (SELECT * FROM ${sql.unnest(values, types)})`,
        );
        const taken = new Set(
          rows
            .filter((row) => !writing.has(String(row.id)))
            .map((row) => JSON.stringify(set.fields.map((f) => String(row[columnOf(f)])))),
        );
        for (const { r, i } of chunk) {
          if (taken.has(key(r))) items[i].errors.add(this.errorField(set), this.message(model, set));
        }
      }
    }
  }
}
