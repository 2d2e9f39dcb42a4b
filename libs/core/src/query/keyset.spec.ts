import { ValidationError, sql } from '@plinth/plugin-sdk';
import { decodeCursor, encodeCursor, keyColumn, keysetAfter, type SortKey } from './keyset';

const key = (name: string, opts: Partial<SortKey> = {}): SortKey => ({
  expr: sql.ident('t', name),
  desc: false,
  nullable: false,
  nullsFirst: false,
  ...opts,
});
const id = key('id');

function errorOf(f: () => unknown): Record<string, unknown> {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).errors as Record<string, unknown>;
  }
  throw new Error('no error');
}

describe('keyset cursors', () => {
  it('round-trips the sort key values of a row, for the sort it was made for', () => {
    const row = { [keyColumn(0)]: 'edge 1', [keyColumn(1)]: null, [keyColumn(2)]: 'b0d5…' };
    const cursor = encodeCursor('dcim.device', 'name,-rack', row, 3);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'dcim.device', 'name,-rack', 3)).toEqual(['edge 1', null, 'b0d5…']);
  });

  it('rejects what it did not make, or a cursor of another sort, naming `cursor`', () => {
    const good = encodeCursor('dcim.device', '', { [keyColumn(0)]: 'a', [keyColumn(1)]: 'x' }, 2);
    const forged = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    for (const [raw, label, sort, keys] of [
      ['not a cursor', 'dcim.device', '', 2],
      ['e30', 'dcim.device', '', 2],
      [forged({ m: 'dcim.device', s: '', v: [1, 'x'] }), 'dcim.device', '', 2],
      [forged({ m: 'dcim.device', s: '', v: ['a', null] }), 'dcim.device', '', 2], // ids are never NULL
      [forged({ m: 'dcim.device', s: '', v: ['a\u0000', 'x'] }), 'dcim.device', '', 2],
      [forged({ s: '', v: ['a', 'x'] }), 'dcim.device', '', 2],
      [good, 'dcim.interface', '', 2],
      [good, 'dcim.device', 'name', 2],
      [good, 'dcim.device', '', 3],
    ] as const) {
      expect(Object.keys(errorOf(() => decodeCursor(raw, label, sort, keys)))).toEqual(['cursor']);
    }
    expect(decodeCursor(good, 'dcim.device', '', 2)).toEqual(['a', 'x']);
  });
});

describe('keysetAfter', () => {
  const render = (s: ReturnType<typeof keysetAfter>) => s.toQuery();

  it('is one row comparison when every key is ascending and NOT NULL (index-backed)', () => {
    expect(render(keysetAfter([key('device_id'), key('_name'), id], ['d', 'eth1', 'i']))).toEqual({
      text: '("t"."device_id", "t"."_name", "t"."id") > ($1, $2, $3)',
      values: ['d', 'eth1', 'i'],
    });
  });

  it('expands mixed directions and NULLs as ORDER BY places them', () => {
    // name ASC NULLS FIRST (a nullable field), created DESC, id.
    const q = render(
      keysetAfter(
        [key('name', { nullable: true, nullsFirst: true }), key('created', { desc: true }), id],
        ['edge1', '2026-01-01 00:00:00.123456+00', 'i'],
      ),
    );
    expect(q.text).toBe(
      '(("t"."name" > $1 OR (("t"."name" = $2) AND ("t"."created" < $3)) OR (("t"."name" = $4) AND ("t"."created" = $5) AND ("t"."id" > $6))))',
    );
    // After a NULL that sorts first: every non-NULL value, or NULLs with a later id.
    const n = render(keysetAfter([key('name', { nullable: true, nullsFirst: true }), id], [null, 'i']));
    expect(n.text).toBe('(("t"."name" IS NOT NULL OR (("t"."name" IS NULL) AND ("t"."id" > $1))))');
    // Nulls last: NULLs come after any value; after a NULL only NULLs with a later id.
    const last = render(keysetAfter([key('rack', { nullable: true }), id], ['r', 'i']));
    expect(last.text).toBe(
      '((("t"."rack" > $1 OR "t"."rack" IS NULL) OR (("t"."rack" = $2) AND ("t"."id" > $3))))',
    );
    const lastNull = render(keysetAfter([key('rack', { nullable: true }), id], [null, 'i']));
    expect(lastNull.text).toBe('(((("t"."rack" IS NULL) AND ("t"."id" > $1))))');
  });

  it('bounds the first key when it cannot be NULL, so an index on it starts at the cursor', () => {
    const q = render(keysetAfter([key('weight', { desc: true }), key('name'), id], ['5', 'a', 'i']));
    expect(q.text.startsWith('("t"."weight" <= $1 AND (')).toBe(true);
  });
});
