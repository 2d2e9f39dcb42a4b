import { ValidationError, sql, type Sql } from '@plinth/plugin-sdk';

/**
 * One key of a list's ORDER BY, as keyset paging needs it: the expression, its direction and
 * where its NULLs sort. The last key of every ordering is the primary key, so keys are unique.
 */
export interface SortKey {
  expr: Sql;
  desc: boolean;
  /** Whether the expression can be NULL (a nullable column, an optional foreign key's target). */
  nullable: boolean;
  /** Where NULLs sort: the ORDER BY's explicit NULLS clause, else PostgreSQL's default. */
  nullsFirst: boolean;
}

/**
 * What a cursor carries: the list and sort it was made for and the sort key values of the
 * page's last row.
 */
interface CursorPayload {
  /** The model's label. */
  m: string;
  /** The sort spec (`''` for the model's ordering). */
  s: string;
  /** Key values as PostgreSQL's text output (full precision: timestamps keep microseconds). */
  v: (string | null)[];
}

/** The parameter clients send; a 400 names it. */
export const CURSOR_PARAM = 'cursor';

/** Column alias of key `i` in a keyset page's rows (removed before rows leave the query engine). */
export const keyColumn = (i: number): string => `__k${i}`;

/** A 400 naming `cursor`. */
export function invalidCursor(why: string): ValidationError {
  return ValidationError.field(CURSOR_PARAM, `Invalid cursor: ${why}.`);
}

const invalid = invalidCursor;

/** The sort key values of a row as an opaque, URL-safe cursor. */
export function encodeCursor(
  label: string,
  sortSpec: string,
  row: Record<string, unknown>,
  keys: number,
): string {
  const v: (string | null)[] = [];
  for (let i = 0; i < keys; i++) {
    const value = row[keyColumn(i)];
    v.push(value === null || value === undefined ? null : String(value));
  }
  const payload: CursorPayload = { m: label, s: sortSpec, v };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** A cursor's key values, checked against the sort it is used with; a 400 naming `cursor` otherwise. */
export function decodeCursor(raw: string, label: string, sortSpec: string, keys: number): (string | null)[] {
  let payload: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error();
    payload = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor this API returned');
  }
  const p = payload as Partial<CursorPayload> | null;
  if (
    !p ||
    typeof p !== 'object' ||
    typeof p.s !== 'string' ||
    typeof p.m !== 'string' ||
    !Array.isArray(p.v) ||
    !p.v.every((x) => x === null || (typeof x === 'string' && !x.includes('\0')))
  )
    throw invalid('not a cursor this API returned');
  if (p.m !== label) throw invalid('it was made for another list');
  if (p.s !== sortSpec || p.v.length !== keys)
    throw invalid('it was made for another sort order; start again without a cursor');
  if (p.v[keys - 1] === null) throw invalid('not a cursor this API returned');
  return p.v;
}

/**
 * The rows after the one whose sort key values are `values`, in the order `keys` define: a
 * row comparison PostgreSQL answers from an index when every key sorts the same way and none
 * can be NULL (the usual `(device_id, _name, id)`), else the equivalent expansion
 * "k1 after v1, or k1 = v1 and k2 after v2, ..." with NULLs placed as ORDER BY places them.
 * Values are untyped parameters: PostgreSQL reads each as the type of its key.
 */
export function keysetAfter(keys: readonly SortKey[], values: readonly (string | null)[]): Sql {
  const simple =
    keys.every((k) => k.desc === keys[0].desc) && keys.every((k, i) => !k.nullable && values[i] !== null);
  if (simple) {
    const op = sql.raw(keys[0].desc ? '<' : '>');
    return sql`(${sql.join(keys.map((k) => k.expr))}) ${op} (${sql.join(values.map((v) => sql`${v}`))})`;
  }
  const alternatives: Sql[] = [];
  const equalSoFar: Sql[] = [];
  keys.forEach((k, i) => {
    const after = keyAfter(k, values[i]);
    if (after) alternatives.push(sql.and([...equalSoFar, after]));
    equalSoFar.push(values[i] === null ? sql`${k.expr} IS NULL` : sql`${k.expr} = ${values[i]}`);
  });
  const first = keys[0];
  // A range on the first key lets an index on it start at the cursor instead of the beginning.
  const bound =
    !first.nullable && values[0] !== null
      ? sql`${first.expr} ${sql.raw(first.desc ? '<=' : '>=')} ${values[0]} AND `
      : sql.empty;
  return sql`(${bound}(${sql.join(alternatives, ' OR ')}))`;
}

/** Rows strictly after `value` in one key (null: none can be). */
function keyAfter(k: SortKey, value: string | null): Sql | null {
  if (value === null) return k.nullsFirst ? sql`${k.expr} IS NOT NULL` : null;
  const cmp = sql`${k.expr} ${sql.raw(k.desc ? '<' : '>')} ${value}`;
  return k.nullable && !k.nullsFirst ? sql`(${cmp} OR ${k.expr} IS NULL)` : cmp;
}
