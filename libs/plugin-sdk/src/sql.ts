import type { ModelTarget } from './refs';

/** Table names of registered models by label (filled by the host; one mapping per process). */
const TABLES: Map<string, string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('plinth:model-tables')
] ??= new Map<string, string>()) as Map<string, string>;

/** Record a model's table, so `sql.table(label)` can name it. Called by the host. @internal */
export function registerModelTable(label: string, table: string): void {
  TABLES.set(label, table);
}

// Brands of SQL fragments and table references, `Symbol.for` keys so that those built by another
// copy of the SDK (a plugin's own) splice too.
const SQL = Symbol.for('plinth:sql');
const TABLE_REF = Symbol.for('plinth:sql-table-ref');

function branded(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** A model's table, named by ref or label, spliced into a query as a quoted identifier. */
class TableRef {
  static [Symbol.hasInstance](value: unknown): value is TableRef {
    return branded(value, TABLE_REF);
  }

  constructor(readonly target: ModelTarget<unknown>) {}

  get name(): string {
    const label = typeof this.target === 'string' ? this.target : this.target.label;
    const table = TABLES.get(label);
    if (!table) throw new Error(`sql.table: ${label} is not a registered model`);
    return table;
  }
}

/**
 * A tiny, safe SQL fragment builder. Values become bind parameters; nested fragments are
 * spliced in with their parameters renumbered. Identifiers come only from model metadata
 * (never from user input) and go through `sql.ident`.
 */
export class Sql {
  static [Symbol.hasInstance](value: unknown): value is Sql {
    return branded(value, SQL);
  }

  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  get isEmpty(): boolean {
    return this.values.length === 0 && this.strings.every((s) => s.trim() === '');
  }

  /** Render to `{text, values}` with `$n` placeholders starting after `offset` existing params. */
  toQuery(offset = 0): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.render(values, offset);
    return { text, values };
  }

  private render(values: unknown[], offset: number): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v instanceof Sql) {
        text += v.render(values, offset);
      } else if (v instanceof TableRef) {
        text += quoteIdent(v.name);
      } else {
        values.push(v);
        text += `$${values.length + offset}`;
      }
      text += this.strings[i + 1];
    }
    return text;
  }
}

// The brands live on the prototypes (an own property per fragment made building one cost more
// than rendering it); non-enumerable, so fragments still print as plain data.
Object.defineProperty(Sql.prototype, SQL, { value: true });
Object.defineProperty(TableRef.prototype, TABLE_REF, { value: true });

function build(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export const sql = Object.assign(build, {
  /** Trusted SQL text (from metadata, never from user input). */
  raw(text: string): Sql {
    return new Sql([text], []);
  },
  /** A quoted identifier, optionally qualified (`sql.ident('t', 'name')` -> `"t"."name"`). */
  ident(...parts: string[]): Sql {
    return new Sql([parts.map(quoteIdent).join('.')], []);
  },
  join(fragments: readonly Sql[], separator = ', '): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return new Sql([''], []);
    return new Sql(['', ...list.slice(1).map(() => separator), ''], list);
  },
  and(fragments: readonly Sql[]): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return sql.raw('TRUE');
    if (list.length === 1) return list[0];
    return build`(${sql.join(
      list.map((f) => build`(${f})`),
      ' AND ',
    )})`;
  },
  or(fragments: readonly Sql[]): Sql {
    const list = fragments.filter((f) => f && !f.isEmpty);
    if (list.length === 0) return sql.raw('FALSE');
    if (list.length === 1) return list[0];
    return build`(${sql.join(
      list.map((f) => build`(${f})`),
      ' OR ',
    )})`;
  },
  empty: new Sql([''], []),
  /**
   * Rows given as one array of values per column: `unnest($1::uuid[], $2::text[])`, a set of
   * rows for `INSERT ... SELECT * FROM`, joins and `IN (SELECT ...)`, in one parameter per
   * column whatever the number of rows. PostgreSQL parses and plans a statement of 30,000
   * parameters in tens of milliseconds; a few arrays take microseconds. `types` are trusted
   * type names (from metadata), one per column; array-typed columns cannot be unnested (use
   * `sql.rows`).
   */
  unnest(columns: readonly (readonly unknown[])[], types: readonly string[]): Sql {
    if (columns.length === 0 || columns.length !== types.length)
      throw new Error('sql.unnest: one type per column, at least one column');
    const strings = ['unnest('];
    for (let c = 0; c < columns.length; c++) {
      if (types[c].endsWith('[]')) throw new Error(`sql.unnest: ${types[c]} columns cannot be unnested`);
      strings.push(`::${types[c]}[]${c + 1 < columns.length ? ', ' : ')'}`);
    }
    return new Sql(strings, columns);
  },
  /**
   * Rows of values for `VALUES` and `INSERT`: `(v1, v2), (v3, v4)`, every value a bind
   * parameter, a cell that is a fragment (`sql.raw('DEFAULT')`) spliced in. `casts` are trusted
   * type names (from metadata) by column: `['uuid', null]` gives `($1::uuid, $2)`. One fragment
   * for the whole list, however many rows (bulk writes build thousands).
   */
  rows(rows: readonly (readonly unknown[])[], casts: readonly (string | null | undefined)[] = []): Sql {
    const strings: string[] = [''];
    const values: unknown[] = [];
    const append = (text: string): void => {
      strings[strings.length - 1] += text;
    };
    for (let r = 0; r < rows.length; r++) {
      append(r ? ', (' : '(');
      const row = rows[r];
      for (let c = 0; c < row.length; c++) {
        if (c) append(', ');
        const cell = row[c];
        if (cell instanceof Sql) {
          append(cell.strings[0]);
          for (let i = 0; i < cell.values.length; i++) {
            values.push(cell.values[i]);
            strings.push(cell.strings[i + 1]);
          }
        } else {
          values.push(cell);
          strings.push('');
        }
        const cast = casts[c];
        if (cast) append(`::${cast}`);
      }
      append(')');
    }
    return new Sql(strings, values);
  },
  /**
   * The table of a model, by typed ref or label (`sql.table(CoreModels.device)`,
   * `sql.table('ipam.vlan')`): no hard-coded table names of other packages.
   */
  table(target: ModelTarget<unknown>): Sql {
    return new Sql(['', ''], [new TableRef(target)]);
  },
  /**
   * A LIKE/ILIKE pattern for user input, with `%`, `_` and `\` escaped (the one escaper).
   */
  like(value: string, match: 'contains' | 'startswith' | 'endswith' | 'exact' = 'contains'): string {
    const v = value.replace(/[\\%_]/g, (c) => `\\${c}`);
    if (match === 'contains') return `%${v}%`;
    if (match === 'startswith') return `${v}%`;
    if (match === 'endswith') return `%${v}`;
    return v;
  },
});

/** Values the API takes as true/false (query parameters, CSV, forms): the one boolean parser. */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'y', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'n', 'f']);

/** `true`/`false` for a boolean word (case-insensitive), undefined for anything else. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}
