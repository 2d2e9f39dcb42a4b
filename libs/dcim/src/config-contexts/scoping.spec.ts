import type { ModelLookup, ModelMeta, Sql, SqlRunner } from '@plinth/plugin-sdk';
import { contextSourcesOf } from './scoping';

/** A model with only the given foreign keys (by target label), as a plugin model would declare. */
function modelWith(keys: Record<string, string>, tags: boolean): ModelMeta {
  return {
    label: 'acme.box',
    table: 'acme_box',
    field: (name: string) =>
      keys[name] ? { name, kind: 'fk', target: keys[name], column: `${name}_id` } : undefined,
    has: (feature: string) => feature === 'tags' && tags,
  } as unknown as ModelMeta;
}

/** Answers the three queries in order: active contexts, ancestry, data. */
function runner(answers: Record<string, unknown>[][]): SqlRunner & { models: ModelLookup; calls: number } {
  const r = {
    calls: 0,
    models: {} as ModelLookup,
    query: async (_q: Sql) => answers[r.calls++] ?? [],
    one: async () => undefined,
  };
  return r as unknown as SqlRunner & { models: ModelLookup; calls: number };
}

const ctx = (id: string, weight: number, lists: Record<string, string> = {}) => ({
  id,
  name: id,
  weight,
  roles: null,
  device_types: null,
  platforms: null,
  tenants: null,
  locations: null,
  tenant_groups: null,
  tags: null,
  ...lists,
});

describe('contextSourcesOf', () => {
  it('matches every non-empty list (ancestors, tags), keeps merge order, and reads data once', async () => {
    const model = modelWith({ location: 'dcim.location', role: 'extras.role' }, true);
    const db = runner([
      [
        ctx('global', 100),
        ctx('region', 200, { locations: 'L-region' }),
        ctx('region-and-tag', 300, { locations: 'L-region,L-other', tags: 'T1' }),
        ctx('leaf', 300, { roles: 'R-leaf' }),
        ctx('typed', 400, { device_types: 'DT1' }),
      ],
      [
        { kind: 'l', key: 'L-room', ids: 'L-room,L-site,L-region' },
        { kind: 't', key: 'o1', ids: 'T1,T2' },
      ],
      ['global', 'region', 'region-and-tag', 'leaf'].map((id) => ({ id, data: { from: id } })),
    ]);
    const got = await contextSourcesOf(db, model, [
      { id: 'o1', location: 'L-room', role: 'R-leaf' },
      { id: 'o2', location: 'L-room', role: 'R-spine' },
      { id: 'o3', location: 'L-elsewhere', role: null },
    ]);
    expect(db.calls).toBe(3);
    const names = (id: string) => (got.get(id) ?? []).map((c) => c.name);
    expect(names('o1')).toEqual(['global', 'region', 'region-and-tag', 'leaf']);
    expect(names('o2')).toEqual(['global', 'region']);
    // A model without device types never matches a context scoped by device type.
    expect(names('o3')).toEqual(['global']);
    expect(got.get('o1')![2].data).toEqual({ from: 'region-and-tag' });
  });

  it('asks nothing more when no context is active', async () => {
    const db = runner([[]]);
    expect((await contextSourcesOf(db, modelWith({}, false), [{ id: 'o1' }])).size).toBe(0);
    expect(db.calls).toBe(1);
  });
});
