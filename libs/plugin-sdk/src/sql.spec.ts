import { sql } from './sql';

/* The SQL fragment builder: bind parameters everywhere, fragments spliced and renumbered. */

describe('sql', () => {
  it('makes values bind parameters and splices fragments with their parameters renumbered', () => {
    const inner = sql`"b" = ${2}`;
    expect(sql`SELECT 1 WHERE "a" = ${1} AND ${inner} AND "c" = ${'x'}`.toQuery()).toEqual({
      text: 'SELECT 1 WHERE "a" = $1 AND "b" = $2 AND "c" = $3',
      values: [1, 2, 'x'],
    });
  });

  it('builds rows of values as one fragment, with casts and spliced cells', () => {
    const rows = sql.rows(
      [
        ['a', 1, sql.raw('DEFAULT')],
        ['b', null, sql`now() - ${'1 day'}::interval`],
      ],
      ['uuid', null, null],
    );
    expect(sql`INSERT INTO "t" VALUES ${rows} RETURNING ${sql.ident('id')}`.toQuery(1)).toEqual({
      text: 'INSERT INTO "t" VALUES ($2::uuid, $3, DEFAULT), ($4::uuid, $5, now() - $6::interval) RETURNING "id"',
      values: ['a', 1, 'b', null, '1 day'],
    });
    expect(sql.rows([]).toQuery()).toEqual({ text: '', values: [] });
  });

  it('unnests columns of values, one array parameter per column', () => {
    const rows = sql.unnest(
      [
        ['a', 'b'],
        [1, null],
      ],
      ['uuid', 'integer'],
    );
    expect(sql`INSERT INTO "t" ("id", "n") SELECT * FROM ${rows}`.toQuery()).toEqual({
      text: 'INSERT INTO "t" ("id", "n") SELECT * FROM unnest($1::uuid[], $2::integer[])',
      values: [
        ['a', 'b'],
        [1, null],
      ],
    });
    expect(() => sql.unnest([[['x']]], ['text[]'])).toThrow(/cannot be unnested/);
    expect(() => sql.unnest([[1]], [])).toThrow(/one type per column/);
  });

  it('recognises fragments by brand, not by class identity, and keeps them plain data', () => {
    const fragment = sql`x = ${1}`;
    expect(Object.keys(fragment)).toEqual(['strings', 'values']);
    expect(JSON.stringify(sql.raw('TRUE'))).toBe('{"strings":["TRUE"],"values":[]}');
  });
});
