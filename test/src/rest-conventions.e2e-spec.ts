import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

const TAGS = '/api/extras/tags/';

describe(onDatabase('REST conventions (generic model endpoints)'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses anonymous requests with 403 and a detail', async () => {
    const res = await t.http().get(TAGS);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('rejects an unknown token', async () => {
    const res = await t
      .http()
      .get(TAGS)
      .set('Authorization', `Token ${'0'.repeat(40)}`);
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('Invalid token');
  });

  it('lists the apps at the API root and sends API-Version on every response', async () => {
    const res = await t.api.get('/api/');
    expect(res.status).toBe(200);
    expect(res.headers['api-version']).toBe('2.4');
    for (const app of ['extras', 'users', 'plugins', 'status', 'graphql']) {
      expect(res.body[app]).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/${app}/$`));
    }
    const extras = await t.api.get('/api/extras/');
    expect(Object.keys(extras.body)).toEqual(
      expect.arrayContaining(['tags', 'statuses', 'roles', 'object-changes']),
    );
  });

  it('creates, reads, updates and deletes an object with Nautobot-shaped representations', async () => {
    const created = await t.api.post(TAGS, { name: 'Core', color: 'FF5500', description: 'core routers' });
    expect(created.status).toBe(201);
    const tag = created.body;
    expect(tag).toMatchObject({ object_type: 'extras.tag', display: 'Core', name: 'Core', color: 'ff5500' });
    expect(tag.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(tag.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/extras/tags/${tag.id}/$`));
    expect(Date.parse(tag.created)).not.toBeNaN();
    expect(Date.parse(tag.last_updated)).not.toBeNaN();

    const got = await t.api.get(`${TAGS}${tag.id}/`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(tag);

    const patched = await t.api.patch(`${TAGS}${tag.id}/`, { description: 'changed' });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe('changed');
    expect(patched.body.name).toBe('Core');

    const put = await t.api.put(`${TAGS}${tag.id}/`, { name: 'Core2' });
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('Core2');

    const putMissing = await t.api.put(`${TAGS}${tag.id}/`, { description: 'no name' });
    expect(putMissing.status).toBe(400);
    expect(putMissing.body).toEqual({ name: ['This field is required.'] });

    expect((await t.api.delete(`${TAGS}${tag.id}/`)).status).toBe(204);
    expect((await t.api.get(`${TAGS}${tag.id}/`)).status).toBe(404);
    expect((await t.api.get(`${TAGS}${tag.id}/`)).body).toEqual({ detail: 'Not found.' });
    expect((await t.api.get(`${TAGS}not-a-uuid/`)).status).toBe(404);
  });

  it('answers 400 with the field named for bad input, and never 500', async () => {
    const cases: [unknown, Record<string, unknown>][] = [
      [{}, { name: ['This field is required.'] }],
      [{ name: 'x', color: 'zz' }, { color: ['Enter a valid hexadecimal RGB color code.'] }],
      [{ name: 'x', bogus: 1 }, { bogus: ['Unknown field.'] }],
      [{ name: 'x'.repeat(101) }, { name: ['Ensure this field has no more than 100 characters.'] }],
      [{ name: null }, { name: ['This field may not be null.'] }],
      [{ name: 'x', content_types: ['nope.nope'] }, { content_types: ['Invalid content type: nope.nope'] }],
      ['just a string', { __all__: ['Invalid data. Expected a dictionary, but got string.'] }],
    ];
    for (const [body, errors] of cases) {
      const res = await t.api.post(TAGS, body);
      expect({ body, status: res.status, errors: res.body }).toEqual({ body, status: 400, errors });
    }
  });

  it('parses malformed JSON as a 400 and accepts pynautobot\'s "application/json;" content type', async () => {
    const bad = await t
      .http()
      .post(TAGS)
      .set('Authorization', `Token ${t.api.token}`)
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expect(bad.status).toBe(400);
    expect(bad.body.__all__[0]).toMatch(/^JSON parse error/);
    const ok = await t
      .http()
      .post(TAGS)
      .set('Authorization', `Token ${t.api.token}`)
      .set('Content-Type', 'application/json;')
      .send(JSON.stringify({ name: 'semicolon' }));
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('semicolon');
  });

  it('makes bulk writes atomic, with one error object per item', async () => {
    const before = (await t.api.get(`${TAGS}?limit=0`)).body.count;
    const bad = await t.api.post(TAGS, [{ name: 'bulk-a' }, { name: 'bulk-a' }, { nope: true }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([
      {},
      { name: ['Tag with this name already exists.'] },
      { nope: ['Unknown field.'], name: ['This field is required.'] },
    ]);
    expect((await t.api.get(`${TAGS}?limit=0`)).body.count).toBe(before);

    const ok = await t.api.post(TAGS, [{ name: 'bulk-a' }, { name: 'bulk-b' }, { name: 'bulk-c' }]);
    expect(ok.status).toBe(201);
    expect(ok.body.map((x: { name: string }) => x.name)).toEqual(['bulk-a', 'bulk-b', 'bulk-c']);
    const ids = ok.body.map((x: { id: string }) => x.id);

    const patched = await t.api.patch(
      TAGS,
      ids.map((id: string) => ({ id, description: 'bulk' })),
    );
    expect(patched.status).toBe(200);
    expect(patched.body.every((x: { description: string }) => x.description === 'bulk')).toBe(true);

    const badPatch = await t.api.patch(TAGS, [{ id: ids[0], name: 'bulk-b' }, { description: 'no id' }]);
    expect(badPatch.status).toBe(400);
    expect(badPatch.body).toEqual([{}, { id: ['This field is required.'] }]);

    const conflict = await t.api.patch(TAGS, [{ id: ids[0], name: 'bulk-b' }]);
    expect(conflict.status).toBe(400);
    expect(conflict.body).toEqual({ name: ['Tag with this name already exists.'] });

    const put = await t.api.put(TAGS, [
      { id: ids[0], name: 'bulk-a2' },
      { id: ids[1], name: 'bulk-b2' },
    ]);
    expect(put.status).toBe(200);
    expect(put.body.map((x: { name: string }) => x.name)).toEqual(['bulk-a2', 'bulk-b2']);

    const missing = await t.api.delete(TAGS, [
      { id: ids[0] },
      { id: '00000000-0000-4000-8000-000000000000' },
    ]);
    expect(missing.status).toBe(400);
    expect((await t.api.get(`${TAGS}${ids[0]}/`)).status).toBe(200);

    const del = await t.api.delete(
      TAGS,
      ids.map((id: string) => ({ id })),
    );
    expect(del.status).toBe(204);
    expect((await t.api.get(`${TAGS}?name=bulk-c`)).body.count).toBe(0);
  });

  it('writes a bulk update of objects changing the same fields in as many statements whatever its size', async () => {
    const created = await t.api.post(
      TAGS,
      Array.from({ length: 40 }, (_, i) => ({ name: `rows-${i}` })),
    );
    expect(created.status).toBe(201);
    const ids: string[] = created.body.map((x: { id: string }) => x.id);
    const patch = (n: number, body: (i: number) => Record<string, unknown>) =>
      t.api.patch(
        TAGS,
        ids.slice(0, n).map((id, i) => ({ id, ...body(i) })),
      );
    const few = await patch(4, (i) => ({ description: `few ${i}`, color: '00ff00' }));
    const many = await patch(40, (i) => ({ description: `many ${i}`, color: 'ff0000' }));
    expect([few.status, many.status]).toEqual([200, 200]);
    expect(many.queries).toBe(few.queries);

    // Objects changing different fields are written apart, each with its own values.
    const mixed = await patch(40, (i) => (i % 2 ? { description: `odd ${i}` } : { color: '0000ff' }));
    expect(mixed.status).toBe(200);
    const after = await t.api.get(`${TAGS}?name__isw=rows-&limit=100`);
    const byId = new Map(after.body.results.map((x: { id: string }) => [x.id, x]));
    ids.forEach((id, i) =>
      expect(byId.get(id)).toMatchObject(
        i % 2 ? { description: `odd ${i}`, color: 'ff0000' } : { description: `many ${i}`, color: '0000ff' },
      ),
    );
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${ids[3]}`);
    expect(changes.body.count).toBe(4);

    await t.api.delete(
      TAGS,
      ids.map((id) => ({ id })),
    );
  });

  it("creates through the SDK answering with ids only (returning: 'ids'), in input order", async () => {
    const ids = await t.objects.create('extras.tag', [{ name: 'ids-a' }, { name: 'ids-b' }], {
      returning: 'ids',
    });
    expect(ids.map((x) => Object.keys(x))).toEqual([['id'], ['id']]);
    const [a, b] = await Promise.all(ids.map(({ id }) => t.api.get(`${TAGS}${id}/`)));
    expect([a.body.name, b.body.name]).toEqual(['ids-a', 'ids-b']);
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${ids[1].id}`);
    expect(changes.body.results.map((c: { action: { value: string } }) => c.action.value)).toEqual([
      'create',
    ]);
    await t.api.delete(TAGS, ids);
  });

  describe('lists', () => {
    beforeAll(async () => {
      const names = Array.from({ length: 30 }, (_, i) => ({
        name: `list-${String(i).padStart(2, '0')}`,
        description: i % 2 ? 'odd' : 'even',
        color: i < 10 ? 'aa0000' : '00aa00',
      }));
      const res = await t.api.post(TAGS, names);
      expect(res.status).toBe(201);
    });

    it('paginates with absolute next/previous links, limit=0 as the maximum page', async () => {
      const p1 = await t.api.get(`${TAGS}?name__isw=list-&limit=10`);
      expect(p1.body.count).toBe(30);
      expect(p1.body.results).toHaveLength(10);
      expect(p1.body.previous).toBeNull();
      expect(p1.body.next).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/api\/extras\/tags\/\?name__isw=list-&limit=10&offset=10$/,
      );
      const p2 = await t
        .http()
        .get(new URL(p1.body.next).pathname + new URL(p1.body.next).search)
        .set('Authorization', `Token ${t.api.token}`);
      expect(p2.body.results[0].name).toBe('list-10');
      expect(p2.body.previous).toMatch(/limit=10$/);
      const all = await t.api.get(`${TAGS}?name__isw=list-&limit=0`);
      expect(all.body.results).toHaveLength(30);
      expect(all.body.next).toBeNull();
      const capped = await t.api.get(`${TAGS}?limit=5000`);
      expect(capped.status).toBe(200);
      const badLimit = await t.api.get(`${TAGS}?limit=abc`);
      expect(badLimit.status).toBe(400);
      expect(badLimit.body).toEqual({ limit: ['A valid non-negative integer is required.'] });
    });

    it('filters: exact, repeated params OR-ed, every lookup, q, sort', async () => {
      const names = async (query: string): Promise<string[]> => {
        const res = await t.api.get(`${TAGS}?limit=0&${query}`);
        expect(res.status).toBe(200);
        return res.body.results.map((x: { name: string }) => x.name);
      };
      expect(await names('name=list-01')).toEqual(['list-01']);
      expect(await names('name=list-01&name=list-02')).toEqual(['list-01', 'list-02']);
      expect((await names('name__isw=list-&name__n=list-01&name__n=list-02')).length).toBe(28);
      expect(await names('name__ic=ST-2&name__iew=5')).toEqual(['list-25']);
      expect((await names('name__isw=LIST-')).length).toBe(30);
      expect((await names('name__isw=list-&name__nisw=list-1')).length).toBe(20);
      expect((await names('name__isw=list-&name__niew=0')).length).toBe(27);
      expect((await names('name__isw=list-&name__nic=-2')).length).toBe(20);
      expect(await names('name__ie=LIST-07')).toEqual(['list-07']);
      expect((await names('name__isw=list-&name__nie=LIST-07')).length).toBe(29);
      expect(await names('name__re=^list-2[89]$')).toEqual(['list-28', 'list-29']);
      expect((await names('name__isw=list-&name__nre=^list-[0-1]')).length).toBe(10);
      expect((await names('name__isw=list-&description=odd')).length).toBe(15);
      expect((await names('name__isw=list-&color=aa0000')).length).toBe(10);
      expect((await names('q=ST-1&sort=-name')).slice(0, 3)).toEqual(['list-19', 'list-18', 'list-17']);
      expect((await names('name__isw=list-&created__gte=2000-01-01T00:00:00Z')).length).toBe(30);
      expect((await names('name__isw=list-&created__lt=2000-01-01')).length).toBe(0);
    });

    it('rejects unknown filters and bad filter values with 400', async () => {
      const unknown = await t.api.get(`${TAGS}?colour=red`);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ colour: ['Unknown filter field'] });
      const lookup = await t.api.get(`${TAGS}?name__gt=a`);
      expect(lookup.status).toBe(400);
      const badDate = await t.api.get(`${TAGS}?created__gte=yesterday`);
      expect(badDate.status).toBe(400);
      expect(badDate.body.created__gte[0]).toMatch(/not a valid date/);
      const badRegex = await t.api.get(`${TAGS}?name__re=(`);
      expect(badRegex.status).toBe(400);
      const badSort = await t.api.get(`${TAGS}?sort=nope`);
      expect(badSort.status).toBe(400);
      expect(badSort.body).toEqual({ sort: ['"nope" is not a sortable field.'] });
    });

    it('runs a constant number of SQL queries whatever the page size', async () => {
      const small = await t.api.get(`${TAGS}?limit=2`);
      const large = await t.api.get(`${TAGS}?limit=30`);
      const deep = await t.api.get(`${TAGS}?limit=30&depth=2`);
      expect(small.queries).toBeGreaterThan(0);
      expect(large.queries).toBe(small.queries);
      expect(deep.queries).toBe(small.queries);
    });
  });

  it('resolves foreign keys from a uuid, a URL, an attribute dict or a natural key', async () => {
    const users = await t.api.get('/api/users/users/?username=admin');
    const admin = users.body.results[0];
    const forms = [admin.id, admin.url, { username: 'admin' }, 'admin', { id: admin.id }];
    for (const user of forms) {
      const res = await t.api.post('/api/users/tokens/', {
        user,
        description: `via ${JSON.stringify(user)}`,
      });
      expect({ user, status: res.status }).toEqual({ user, status: 201 });
      expect(res.body.user).toEqual({ id: admin.id, object_type: 'users.user', url: admin.url });
      expect(res.body.key).toMatch(/^[0-9a-f]{40}$/);
    }
    const bad = [
      ['nobody', 'Related object not found using the provided natural key: nobody'],
      [
        { username: 'nobody' },
        'Related object not found using the provided attributes: {"username":"nobody"}',
      ],
      [
        '00000000-0000-4000-8000-000000000000',
        'Related object not found using the provided ID: 00000000-0000-4000-8000-000000000000',
      ],
      [42, 'Incorrect type. Expected a UUID, URL, natural key or attributes, received number.'],
    ];
    for (const [user, message] of bad) {
      const res = await t.api.post('/api/users/tokens/', { user });
      expect({ user, status: res.status, body: res.body }).toEqual({
        user,
        status: 400,
        body: { user: [message] },
      });
    }
  });

  it('nests related objects with ?depth=1..3 and returns brief references by default', async () => {
    const token = (await t.api.post('/api/users/tokens/', { user: 'admin' })).body;
    const d0 = await t.api.get(`/api/users/tokens/${token.id}/`);
    expect(Object.keys(d0.body.user).sort()).toEqual(['id', 'object_type', 'url']);
    const d1 = await t.api.get(`/api/users/tokens/${token.id}/?depth=1`);
    expect(d1.body.user).toMatchObject({ username: 'admin', display: 'admin', object_type: 'users.user' });
    expect(d1.body.user.password).toBeUndefined();
    expect((await t.api.get(`/api/users/tokens/${token.id}/?depth=4`)).status).toBe(400);
  });

  it('describes fields in OPTIONS, with choices as [{value, display}]', async () => {
    const res = await t.api.options('/api/users/permissions/');
    expect(res.status).toBe(200);
    const post = res.body.actions.POST;
    expect(post.name).toMatchObject({ type: 'string', required: true, read_only: false, max_length: 100 });
    expect(post.actions.choices).toEqual([
      { value: 'view', display: 'view' },
      { value: 'add', display: 'add' },
      { value: 'change', display: 'change' },
      { value: 'delete', display: 'delete' },
      // The jobs' own actions (Nautobot's extras.run_job / approve_job).
      { value: 'run', display: 'run' },
      { value: 'approve', display: 'approve' },
    ]);
    expect(post.object_types.choices).toEqual(
      expect.arrayContaining([{ value: 'extras.tag', display: 'extras.tag' }]),
    );
    expect(post.users).toMatchObject({ type: 'field', related_model: 'users.user' });
  });

  it('rejects writes on read-only endpoints with 405', async () => {
    const res = await t.api.post('/api/extras/object-changes/', {});
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ detail: 'Method "POST" not allowed.' });
  });
});

describe(onDatabase('plugin URL limits'), () => {
  it('refuses to start a plugin whose routes leave its URL space', async () => {
    await expect(
      createTestApp({ plugins: ['./libs/core/src/plugins/__fixtures__/bad-route'] }),
    ).rejects.toThrow(
      'plugin "bad_route": route "/api/dcim/sneaky/" is outside its URL space (/api/plugins/bad-route/, /plugins/bad-route/)',
    );
  });
});
