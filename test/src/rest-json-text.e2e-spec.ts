import { DEFAULT_PAGE_SIZE, JsonBuffer, MAX_PAGE_SIZE, Reads } from '@plinth/core';
import { SYSTEM_ACTOR, asUser, toAuthUser, type AuthUser, type ReadActor } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj } from './dcim-fixtures';

const CF = '/api/extras/custom-fields/';
const CHOICES = '/api/extras/custom-field-choices/';

/** Names JSON escapes, or that markup or another script would take for their own. */
const TRICKY_NAMES = [
  'q"uote\\back',
  'ctl\u0001\u001f\ttab\nline',
  '</script><script>alert(1)</script>',
  'ünïcødé ☃ 日本 😀',
  'sep\u2028\u2029end',
];

/**
 * REST list pages are written as JSON text by the serializer (no object per row): every page
 * must be, byte for byte, `JSON.stringify` of the objects the serializer builds for the same
 * rows — the bodies pynautobot and every other client read before. Compared for every model's
 * list endpoint and the list options (brief, depth, exclude_m2m, include, limit, offset,
 * cursor, sort, filters), with custom fields of every type, tags, plugin fields, nulls and
 * escaped or unicode names, for a superuser and a user whose nested objects are scoped.
 */
describe(onDatabase('REST list pages as JSON text'), () => {
  let t: TestApp;
  let reads: Reads;
  let admin: ReadActor;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    reads = t.app.get(Reads);
    const [me] = await t.sql<AuthUser>(
      `SELECT id, username, is_superuser, is_active, is_staff FROM ${reads.model('users.user').table} WHERE username = 'admin'`,
    );
    admin = asUser(toAuthUser(me));

    const s = await buildSite(t);
    const type = await switchType(t, s.manufacturer, 'Switch 4', 4);
    const cfTypes: [string, string][] = [
      ['text', 'text'],
      ['integer', 'integer'],
      ['boolean', 'boolean'],
      ['date', 'date'],
      ['url', 'url'],
      ['json', 'json'],
      ['markdown', 'markdown'],
      ['select', 'select'],
      ['multi_select', 'multi-select'],
    ];
    for (const [key, type] of cfTypes)
      await create(t.api, CF, { label: key, key, type, content_types: ['dcim.device', 'dcim.interface'] });
    for (const key of ['select', 'multi_select']) {
      const field = (await t.api.get(`${CF}?key=${key}`)).body.results[0] as Obj;
      await create(t.api, CHOICES, [
        { custom_field: field.id, value: 'gold' },
        { custom_field: field.id, value: 'sïlver "2"' },
      ]);
    }
    const tags = await create(t.api, '/api/extras/tags/', [
      { name: 'core', content_types: ['dcim.device', 'dcim.interface', 'ipam.ipaddress'] },
      { name: 'edge </b>', content_types: ['dcim.device'] },
    ]);
    const devices = await create(t.api, DCIM.devices, [
      device(s, type, TRICKY_NAMES[0], {
        serial: 'SN "1"',
        comments: 'multi\nline\r\n</textarea>',
        tags: [tags[0].id, tags[1].id],
        custom_fields: {
          text: '</script>"\\',
          integer: -42,
          boolean: false,
          date: '2026-12-07',
          url: 'https://example.com/?a=1&b="2"',
          json: { nested: ['\u0001', null, 1.5, { deep: '☃' }], empty: {} },
          markdown: '**bold** <i>x</i>',
          select: 'sïlver "2"',
          multi_select: ['gold', 'sïlver "2"'],
        },
      }),
      ...TRICKY_NAMES.slice(1).map((name) =>
        device(s, type, name, { location: s.room.id, tags: [tags[0].id], custom_fields: { integer: 7 } }),
      ),
      device(s, type, null, { asset_tag: 'unnamed' }),
    ]);
    const found = await t.api.get(`${DCIM.interfaces}?device=${devices[0].id}&name=eth1`);
    expect(found.body.results).toHaveLength(1);
    const iface = found.body.results[0] as Obj;
    await create(t.api, '/api/ipam/prefixes/', { prefix: '10.20.0.0/16', status: 'Active' });
    await create(t.api, '/api/ipam/ip-addresses/', {
      address: '10.20.0.1/24',
      status: 'Active',
      dns_name: 'a.example.com',
      tags: [tags[0].id],
    });
    const patched = await t.api.patch(`${DCIM.interfaces}${iface.id}/`, {
      description: 'uplink "a"\\b',
      tags: [tags[0].id],
      custom_fields: { json: [1, 'two'], boolean: true },
    });
    expect({ status: patched.status, body: patched.body }).toEqual({ status: 200, body: patched.body });
    if (patched.status !== 200) throw new Error(JSON.stringify(patched.body));
    await create(t.api, '/api/extras/config-contexts/', {
      name: 'ntp "servers"',
      data: { ntp: ['10.0.0.1'], banner: '</script>' },
    });
    const users = await t.objects.create('users.user', [{ username: 'alice' }]);
    await t.objects.create('example.widget', [
      { name: 'w "1" </script>', status: 'Active', owner: users[0].id },
      { name: 'w2', status: 'Active', owner: null },
    ]);
    await t.api.patch(`/api/users/users/${users[0].id}/`, { example_nickname: 'Al ☃' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * GETs `path` with the token and compares the body with JSON.stringify of the page's objects
   * as the serializer builds them for the same rows (read as REST reads them).
   */
  async function expectSameAsObjects(path: string, label: string, token: string, actor: ReadActor) {
    const res = await t.http().get(path).set('Authorization', `Token ${token}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const text = res.text;
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(text));
    const page = JSON.parse(text) as { count: number | null; next: string | null; previous: string | null };

    const url = new URL(path, t.baseUrl);
    const params: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (params[k] ??= []).push(v);
    const first = (k: string) => params[k]?.[0];
    let limit = first('limit') === undefined ? DEFAULT_PAGE_SIZE : Number(first('limit'));
    if (limit === 0 || limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
    const model = reads.model(label);
    const { rows } = await reads.rows(actor, model, {
      params,
      sort: (params.sort ?? []).flatMap((s) => s.split(',')).filter(Boolean),
      limit,
      offset: Number(first('offset') ?? 0),
      cursor: first('cursor'),
    });
    const truthy = (k: string) => ['true', '1', 'True'].includes(first(k) ?? '');
    const results = await reads.serialize(actor, model, rows, {
      base_url: t.baseUrl,
      depth: Number(first('depth') ?? 0),
      brief: truthy('brief'),
      exclude_m2m: truthy('exclude_m2m'),
      include: (params.include ?? []).flatMap((v) => v.split(',')),
    });
    const expected = JSON.stringify({ count: page.count, next: page.next, previous: page.previous, results });
    if (text !== expected) {
      // The first difference, for a readable failure.
      let i = 0;
      while (text[i] === expected[i]) i++;
      expect({ path, at: i, got: text.slice(i - 40, i + 80) }).toEqual({
        path,
        at: i,
        got: expected.slice(i - 40, i + 80),
      });
    }
    expect(JSON.parse(text)).toEqual(JSON.parse(expected));
    return page;
  }

  const same = (path: string, label: string) => expectSameAsObjects(path, label, t.api.token!, admin);

  it('writes device pages byte for byte as their objects, with every list option', async () => {
    const D = DCIM.devices;
    const pages = [
      '',
      '?limit=0',
      '?limit=2',
      '?limit=2&offset=2',
      '?limit=2&offset=4',
      '?brief=1',
      '?brief=true&limit=3',
      '?depth=1',
      '?depth=2',
      '?depth=3&limit=1',
      '?exclude_m2m=true',
      '?exclude_m2m=true&depth=1',
      '?include=config_context',
      '?include=config_context&depth=1',
      '?cursor=',
      '?cursor=&limit=2',
      '?sort=-name',
      '?sort=serial,-name&limit=3',
      '?tags=core',
      `?name=${encodeURIComponent(TRICKY_NAMES[2])}`,
      '?cf_integer=7',
      '?q=script',
    ];
    for (const p of pages) await same(`${D}${p}`, 'dcim.device');
    // The device with every custom field type is on the first page.
    const all = (await t.api.get(`${D}?limit=0`)).body.results as Obj[];
    expect(all.map((d) => d.name)).toEqual(expect.arrayContaining([...TRICKY_NAMES, null]));
    expect(all.find((d) => d.name === TRICKY_NAMES[0])!.custom_fields.multi_select).toEqual([
      'gold',
      'sïlver "2"',
    ]);
  });

  it('follows a cursor through the next pages byte for byte', async () => {
    let path: string | null = `${DCIM.devices}?cursor=&limit=2`;
    let pages = 0;
    while (path) {
      const page = await same(path, 'dcim.device');
      path = page.next ? page.next.slice(t.baseUrl.length) : null;
      pages++;
    }
    expect(pages).toBeGreaterThan(2);
  });

  it('writes interfaces, IP addresses, prefixes, plugin models and plugin fields as their objects', async () => {
    const cases: [string, string][] = [
      [DCIM.interfaces, 'dcim.interface'],
      [`${DCIM.interfaces}?depth=1&limit=3`, 'dcim.interface'],
      [`${DCIM.interfaces}?tags=core&depth=2`, 'dcim.interface'],
      ['/api/ipam/ip-addresses/', 'ipam.ipaddress'],
      ['/api/ipam/ip-addresses/?depth=1', 'ipam.ipaddress'],
      ['/api/ipam/prefixes/', 'ipam.prefix'],
      ['/api/ipam/prefixes/?depth=2', 'ipam.prefix'],
      ['/api/plugins/example/widgets/', 'example.widget'],
      ['/api/plugins/example/widgets/?depth=1', 'example.widget'],
      ['/api/users/users/', 'users.user'],
      ['/api/extras/config-contexts/', 'extras.configcontext'],
      ['/api/extras/custom-fields/?depth=1', 'extras.customfield'],
    ];
    for (const [path, label] of cases) await same(path, label);
  });

  it('writes every model with a REST list as its objects', async () => {
    let compared = 0;
    for (const model of t.ctx.models.all()) {
      if (!model.api_path) continue;
      const res = await t.api.get(`${model.api_path}?limit=0&depth=1`);
      // Endpoints that are not the generic model list (none expected) are named here.
      expect({ model: model.label, status: res.status }).toEqual({ model: model.label, status: 200 });
      await same(`${model.api_path}?limit=0`, model.label);
      await same(`${model.api_path}?limit=0&depth=1`, model.label);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("scopes a user's nested objects as the object path does", async () => {
    const { user, token } = await t.createUser('viewer', [
      { actions: ['view'], object_types: ['dcim.device', 'dcim.location'] },
    ]);
    const viewer = asUser(toAuthUser(user as unknown as AuthUser));
    for (const p of ['', '?depth=1', '?depth=2&limit=2', '?brief=1', '?cursor=&limit=3'])
      await expectSameAsObjects(`${DCIM.devices}${p}`, 'dcim.device', token, viewer);
    const page = (await t.api.get(`${DCIM.devices}?depth=1`)).body as Obj;
    expect(page.results[0].location.name).toBeDefined();
  });

  it('keeps the ETag and 304 of an unchanged page, and sends nothing else for HEAD', async () => {
    const path = `${DCIM.devices}?limit=3`;
    const first = await t.http().get(path).set('Authorization', `Token ${t.api.token}`);
    expect(first.headers.etag).toMatch(/^W\//);
    const again = await t
      .http()
      .get(path)
      .set('Authorization', `Token ${t.api.token}`)
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    // Cursor pages have no data version: Express tags the body, which changes with nothing.
    const cursor = `${DCIM.devices}?cursor=&limit=3`;
    const c1 = await t.http().get(cursor).set('Authorization', `Token ${t.api.token}`);
    expect(c1.headers.etag).toMatch(/^W\/"[0-9a-f]+-/);
    const c2 = await t
      .http()
      .get(cursor)
      .set('Authorization', `Token ${t.api.token}`)
      .set('If-None-Match', c1.headers.etag);
    expect(c2.status).toBe(304);
    const head = await t.http().head(path).set('Authorization', `Token ${t.api.token}`);
    expect(head.status).toBe(200);
    expect(head.text ?? '').toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(first.text));
  });

  it('gives the same text from Reads.serializeJson as JSON.stringify of Reads.serialize', async () => {
    for (const label of ['dcim.device', 'dcim.interface', 'ipam.ipaddress', 'example.widget', 'users.user']) {
      const model = reads.model(label);
      const { rows } = await reads.rows(SYSTEM_ACTOR, model, { params: {}, limit: 1000, offset: 0 });
      for (const opts of [
        { depth: 0 },
        { depth: 1 },
        { depth: 3 },
        { brief: true },
        { exclude_m2m: true },
        { detail: true },
        { include: ['config_context'] },
        { computed: false },
      ]) {
        const render = { base_url: 'https://plinth.example:8443', ...opts };
        const out = new JsonBuffer(16);
        await reads.serializeJson(SYSTEM_ACTOR, model, rows, render, out);
        const objects = await reads.serialize(SYSTEM_ACTOR, model, rows, render);
        expect({ label, opts, text: out.bytes().toString('utf8') }).toEqual({
          label,
          opts,
          text: JSON.stringify(objects),
        });
      }
      const none = new JsonBuffer();
      await reads.serializeJson(SYSTEM_ACTOR, model, [], {}, none);
      expect(none.bytes().toString()).toBe('[]');
    }
  });
});
