import { createTestApp, onDatabase, type ApiClient, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';

const DEVICES = DCIM.devices;
const WIDGETS = '/api/plugins/example/widgets/';

/** Follows `next` links from `path` (a cursor page); every page's ids, in order. */
async function walk(t: TestApp, api: ApiClient, path: string): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let next: string | null = path;
  while (next) {
    const res = await api.get(next.startsWith('http') ? next.slice(t.baseUrl.length) : next);
    expect(res.status).toBe(200);
    expect(res.body.count).toBeNull();
    expect(res.body.previous).toBeNull();
    ids.push(...res.body.results.map((o: Obj) => o.id));
    pages.push(res.queries);
    next = res.body.next;
    if (next) expect(next).toMatch(/[?&]cursor=[A-Za-z0-9_-]+/);
  }
  return { ids, pages };
}

/** The same list in one offset page (the reference order). */
async function allIds(api: ApiClient, path: string): Promise<string[]> {
  const res = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=1000`);
  expect(res.status).toBe(200);
  return res.body.results.map((o: Obj) => o.id);
}

/** A GET with headers (conditional requests). */
async function getWith(t: TestApp, path: string, headers: Record<string, string>) {
  let req = t.http().get(path).set('Authorization', `Token ${t.api.token}`);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req;
}

/**
 * REST list paging (issue 15): keyset paging by an opaque `cursor` through filtered, sorted
 * lists of core and plugin models, with permissions; offset paging unchanged with a cheap
 * exact count; weak ETags from the data version that every write moves.
 */
describe(onDatabase('REST paging: cursors, counts and ETags'), () => {
  let t: TestApp;
  let s: Site;
  let devices: Obj[];

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    s = await buildSite(t);
    const type = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'Box' });
    // Ties everywhere: the same name at two sites, unnamed devices (NULLs in `_name`), two statuses.
    devices = await create(t.api, DEVICES, [
      device(s, type, 'edge1'),
      device(s, type, 'edge1', { location: s.otherSite.id }),
      device(s, type, 'edge2', { status: 'Planned' }),
      device(s, type, 'edge10'),
      device(s, type, 'core1', { status: 'Planned' }),
      device(s, type, 'core2', { location: s.otherSite.id }),
      device(s, type, null),
      device(s, type, null, { status: 'Planned' }),
      device(s, type, null, { location: s.otherSite.id }),
      device(s, type, 'agg1'),
      device(s, type, 'agg2', { location: s.otherSite.id, status: 'Planned' }),
    ]);
    const [alice] = await t.objects.create('users.user', [{ username: 'alice' }]);
    await t.objects.create(
      'example.widget',
      Array.from({ length: 9 }, (_, i) => ({
        name: `w${i}`,
        kind: ['gadget', 'gizmo'][i % 2],
        quantity: i % 3,
        owner: i % 4 === 0 ? null : alice.id,
        status: 'Active',
      })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks every row exactly once, in the offset order, through default orderings, sorts and filters', async () => {
    for (const query of [
      '', // devices by `_name` (NULLs last), then id
      'sort=-name', // a nullable field descending
      'sort=status,name', // a foreign key's target name, then a nullable field
      'sort=-status,-created',
      `location=${s.site.id}&sort=name`,
      'status=Planned',
    ]) {
      const path = `${DEVICES}?${query}`;
      const expected = await allIds(t.api, path);
      expect(new Set(expected).size).toBe(expected.length);
      for (const limit of [1, 2, 4]) {
        const { ids } = await walk(t, t.api, `${path}&cursor=&limit=${limit}`);
        expect({ query, limit, ids }).toEqual({ query, limit, ids: expected });
      }
    }
    expect((await allIds(t.api, DEVICES)).length).toBe(devices.length);
  });

  it('pages a plugin model by cursor (ties in the sort key, a nullable foreign key)', async () => {
    for (const query of [
      '',
      'sort=kind,-quantity',
      'sort=owner',
      'sort=-owner,kind',
      'kind=gizmo&sort=quantity',
    ]) {
      const path = `${WIDGETS}?${query}`;
      const expected = await allIds(t.api, path);
      const { ids } = await walk(t, t.api, `${path}&cursor=&limit=2`);
      expect({ query, ids }).toEqual({ query, ids: expected });
    }
  });

  it('keeps offset paging, its exact count and links unchanged', async () => {
    const res = await t.api.get(`${DEVICES}?status=Active&limit=2&offset=2`);
    expect(res.body.count).toBe(7);
    expect(res.body.results).toHaveLength(2);
    expect(res.body.next).toBe(`${t.baseUrl}${DEVICES}?status=Active&limit=2&offset=4`);
    expect(res.body.previous).toBe(`${t.baseUrl}${DEVICES}?status=Active&limit=2`);
    // pynautobot's .count(): `?limit=1` and the exact `count`, with and without filters.
    expect((await t.api.get(`${DEVICES}?limit=1`)).body.count).toBe(devices.length);
    expect((await t.api.get(`${DEVICES}?limit=1&name__isw=edge`)).body.count).toBe(4);
  });

  it('links the next cursor page with the request’s filters and sort', async () => {
    const first = await t.api.get(`${DEVICES}?status=Active&sort=name&cursor=&limit=3`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: null, previous: null });
    const next = new URL(first.body.next);
    expect(next.pathname).toBe(DEVICES);
    expect(next.searchParams.get('status')).toBe('Active');
    expect(next.searchParams.get('sort')).toBe('name');
    expect(next.searchParams.get('limit')).toBe('3');
    const last = await t.api.get(`${DEVICES}?status=Active&sort=name&cursor=&limit=1000`);
    expect(last.body.next).toBeNull();
    expect(last.body.results).toHaveLength(7);
  });

  it('answers a bad cursor with a 400 naming it', async () => {
    const first = await t.api.get(`${DEVICES}?sort=name&cursor=&limit=2`);
    const cursor = new URL(first.body.next).searchParams.get('cursor')!;
    const forge = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const forged = forge({ s: '', v: [1, 2] });
    // Well-formed, but values PostgreSQL cannot read as the keys' types (a name, a uuid).
    const wrongTypes = forge({ m: 'dcim.device', s: 'sort=-created', v: ['yesterday', 'not-a-uuid'] });
    const widgets = await t.api.get(`${WIDGETS}?cursor=&limit=1`);
    const widgetCursor = new URL(widgets.body.next).searchParams.get('cursor')!;
    for (const query of [
      'cursor=not%20a%20cursor',
      'cursor=e30',
      `cursor=${forged}`,
      `cursor=${cursor}&sort=-name`, // made for another sort
      `cursor=${cursor}&sort=name&offset=4`,
      `cursor=${cursor}&cursor=${cursor}&sort=name`,
      `cursor=${forge({ m: 'dcim.device', s: '-created', v: ['yesterday', 'not-a-uuid'] })}&sort=-created`,
      `cursor=${forge({ m: 'dcim.device', s: '', v: ['edge1', 'not-a-uuid'] })}`,
      `cursor=${wrongTypes}`,
      `cursor=${widgetCursor}`, // another list's
    ]) {
      const res = await t.api.get(`${DEVICES}?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.cursor).toBeDefined();
    }
    expect((await t.api.get(`${DEVICES}?cursor=${cursor}&sort=name`)).status).toBe(200);
  });

  it('pages within a constrained user’s view', async () => {
    const { api } = await t.createUser('pager', [
      { actions: ['view'], object_types: ['dcim.device'], constraints: { name__isw: 'edge' } },
    ]);
    const expected = await allIds(api, DEVICES);
    expect(expected).toHaveLength(4);
    const { ids } = await walk(t, api, `${DEVICES}?cursor=&limit=1`);
    expect(ids).toEqual(expected);
    expect((await api.get(`${DEVICES}?limit=1`)).body.count).toBe(4);
  });

  it('reads a page and its count, or a cursor page, in a constant number of statements', async () => {
    const small = await t.api.get(`${DEVICES}?limit=1`);
    const large = await t.api.get(`${DEVICES}?limit=8&offset=2`);
    expect(large.queries).toBe(small.queries);
    const { pages } = await walk(t, t.api, `${DEVICES}?cursor=&limit=3`);
    expect(new Set(pages.slice(0, -1)).size).toBe(1);
  });

  it('exports CSV through keyset pages: every row once, in order', async () => {
    const many = Array.from({ length: 1203 }, (_, i) => ({
      name: `bulk${i}`,
      kind: 'doohickey',
      quantity: i % 2,
      status: 'Active',
    }));
    await t.objects.create('example.widget', many);
    const csv = await getWith(t, `${WIDGETS}?format=csv&sort=quantity&kind=doohickey`, {});
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    const column = lines[0].split(',').indexOf('name');
    const names = lines.slice(1).map((line) => line.split(',')[column]);
    const expected = [...many]
      .sort((a, b) => a.quantity - b.quantity)
      .map((w) => w.name)
      .sort();
    expect(names).toHaveLength(1203);
    expect([...names].sort()).toEqual(expected);
    // Sorted by quantity: every 0 before every 1.
    const quantityOf = new Map(many.map((w) => [w.name, w.quantity]));
    const quantities = names.map((n) => quantityOf.get(n));
    expect(quantities).toEqual([...quantities].sort());
    // With an offset and a limit, across a page boundary.
    const window = await getWith(
      t,
      `${WIDGETS}?format=csv&sort=quantity&kind=doohickey&offset=990&limit=20`,
      {},
    );
    expect(window.text.trim().split('\n').slice(1)).toHaveLength(20);
    expect(window.text.trim().split('\n')[1].split(',')[column]).toBe(names[990]);
  });

  describe('ETags', () => {
    const PAGE = `${DEVICES}?limit=2&sort=name`;

    async function etagOf(path = PAGE): Promise<string> {
      const res = await getWith(t, path, {});
      expect(res.status).toBe(200);
      expect(res.headers.etag).toMatch(/^W\/"\d+-[A-Za-z0-9_-]+"$/);
      return res.headers.etag;
    }

    async function expectNotModified(tag: string, path = PAGE): Promise<void> {
      const res = await getWith(t, path, { 'If-None-Match': tag });
      expect(res.status).toBe(304);
      expect(res.text ?? '').toBe('');
    }

    async function expectModified(tag: string, path = PAGE): Promise<string> {
      const res = await getWith(t, path, { 'If-None-Match': tag });
      expect(res.status).toBe(200);
      expect(res.headers.etag).not.toBe(tag);
      return res.headers.etag;
    }

    it('answers an unchanged page 304, and names the request in the tag', async () => {
      const tag = await etagOf();
      await expectNotModified(tag);
      await expectNotModified(`"other", ${tag}`);
      await expectNotModified('*');
      expect(await etagOf(`${DEVICES}?limit=3&sort=name`)).not.toBe(tag);
      const { api } = await t.createUser('etag-viewer', [
        { actions: ['view'], object_types: ['dcim.device'] },
      ]);
      const mine = await api.get(PAGE);
      expect(mine.headers.etag).not.toBe(tag); // another user's permissions scoped it
    });

    it('changes with an edit of a row not on the page', async () => {
      const tag = await etagOf();
      const page = (await t.api.get(PAGE)).body.results.map((o: Obj) => o.id);
      const other = devices.find((d) => !page.includes(d.id) && d.name !== null)!;
      expect((await t.api.patch(`${DEVICES}${other.id}/`, { serial: 'SN-1' })).status).toBe(200);
      const after = await expectModified(tag);
      await expectNotModified(after);
    });

    it('changes with an edit of a nested object (the page shows its name)', async () => {
      const deep = `${PAGE}&depth=1`;
      const tag = await etagOf(deep);
      expect((await t.api.patch(`/api/extras/roles/${s.role.id}/`, { name: 'Leaf switch' })).status).toBe(
        200,
      );
      await expectModified(tag, deep);
    });

    it('changes with a create, and with a delete that lowers the count', async () => {
      const tag = await etagOf();
      const type = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'Box2' });
      const [added] = await create(t.api, DEVICES, [device(s, type, 'zz-new')]);
      const afterCreate = await expectModified(tag);
      const count = (await t.api.get(PAGE)).body.count;
      expect((await t.api.delete(`${DEVICES}${added.id}/`)).status).toBe(204);
      const afterDelete = await expectModified(afterCreate);
      expect(afterDelete).not.toBe(tag);
      expect((await t.api.get(PAGE)).body.count).toBe(count - 1);
      await expectNotModified(afterDelete);
    });

    it('skips serialising an unchanged page', async () => {
      const tag = await etagOf(`${DEVICES}?limit=1000`);
      const full = await t.api.get(`${DEVICES}?limit=1000`);
      const revalidated = await getWith(t, `${DEVICES}?limit=1000`, { 'If-None-Match': tag });
      expect(revalidated.status).toBe(304);
      expect(Number(revalidated.headers['x-sql-queries'])).toBeLessThan(full.queries);
    });
  });
});
