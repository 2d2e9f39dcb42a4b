import { InstallHooks, OBJECTS, type ObjectsService } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp } from '@plinth/plugin-sdk/testing';

const WIDGETS = '/api/plugins/example/widgets/';

describe(onDatabase('example plugin'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab', greeting: 'Hi' } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('merges default settings under the operator settings', () => {
    const example = t.ctx.plugins.find((p) => p.name === 'example')!;
    expect(example.settings).toEqual({
      instance_name: 'lab',
      greeting: 'Hi',
      reserved_tag_prefix: 'reserved-',
    });
    expect(example.builtin).toBe(false);
  });

  it('serves its model under /api/plugins/example/ with change logging', async () => {
    const created = await t.api.post(WIDGETS, {
      name: 'w1',
      kind: 'gizmo',
      status: 'Active',
      owner: 'admin',
      tags: [],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object_type: 'example.widget',
      name: 'w1',
      kind: { value: 'gizmo', label: 'Gizmo' },
      quantity: 1,
      tags: [],
    });
    expect(created.body.url).toContain('/api/plugins/example/widgets/');
    expect(created.body.status.object_type).toBe('extras.status');

    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${created.body.id}`);
    expect(changes.body.count).toBe(1);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'create' },
      changed_object_type: 'example.widget',
      user_name: 'admin',
      object_repr: 'w1',
    });
    expect(changes.body.results[0].postchange_data).toMatchObject({ name: 'w1', kind: 'gizmo', quantity: 1 });

    const root = await t.api.get('/api/plugins/example/');
    expect(root.body).toEqual({
      nicknames: expect.stringMatching(/\/api\/plugins\/example\/nicknames\/$/),
      widgets: expect.stringMatching(/\/api\/plugins\/example\/widgets\/$/),
    });
  });

  it('enforces its model rules and status content types as 400 field errors', async () => {
    const tooMany = await t.api.post(WIDGETS, {
      name: 'w2',
      kind: 'doohickey',
      quantity: 11,
      status: 'Active',
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ quantity: ['No more than 10 doohickeys, please.'] });
    const wrongStatus = await t.api.post(WIDGETS, { name: 'w2', status: 'Retired' });
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.status[0]).toMatch(/not available for widgets/);
    const badChoice = await t.api.post(WIDGETS, { name: 'w2', status: 'Active', kind: 'thing' });
    expect(badChoice.body).toEqual({ kind: ['"thing" is not a valid choice.'] });
  });

  it('answers 409 with the dependents when a referenced status is deleted', async () => {
    const active = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0];
    const res = await t.api.delete(`/api/extras/statuses/${active.id}/`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/dependent object/);
    expect(res.body.dependent_objects).toEqual(
      expect.arrayContaining([expect.objectContaining({ object_type: 'example.widget', display: 'w1' })]),
    );
  });

  it('runs its custom validator on core tags, with the acting user', async () => {
    const superuser = await t.api.post('/api/extras/tags/', { name: 'reserved-ok' });
    expect(superuser.status).toBe(201);
    const { api } = await t.createUser('tagger', [
      { actions: ['view', 'add', 'change'], object_types: ['extras.tag'] },
    ]);
    const denied = await api.post('/api/extras/tags/', { name: 'reserved-nope' });
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({
      name: ['Only superusers may create tags starting with "reserved-" (you are tagger).'],
    });
    expect((await api.post('/api/extras/tags/', { name: 'plain' })).status).toBe(201);
    // The same rule holds on every write path, e.g. the plugin-facing write API.
    await expect(t.objects.create('extras.tag', [{ name: 'reserved-system' }])).rejects.toMatchObject({
      status: 400,
      errors: { name: [expect.stringContaining('you are the system')] },
    });
  });

  it('adds its middleware header to every response, in plugin order', async () => {
    const res = await t.api.get('/api/');
    expect(res.headers['x-plinth-example']).toBe('Hi (lab)');
    const anon = await t.http().get('/api/');
    expect(anon.headers['x-plinth-example']).toBe('Hi (lab)');
  });

  it('serves its hand-written endpoint and documents it in OpenAPI', async () => {
    const res = await t.api.get('/api/plugins/example/summary/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 1, by_kind: { gadget: 0, gizmo: 1, doohickey: 0 } });
    const spec = (await t.api.get('/api/swagger.json')).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/plugins/example/widgets/',
        '/api/plugins/example/widgets/{id}/',
        '/api/plugins/example/summary',
      ]),
    );
  });

  it('is listed by /api/plugins/ and /api/plugins/installed-plugins/', async () => {
    const root = await t.api.get('/api/plugins/');
    expect(root.body).toEqual({
      'installed-plugins': expect.stringMatching(/\/api\/plugins\/installed-plugins\/$/),
      example: expect.stringMatching(/\/api\/plugins\/example\/$/),
    });
    const installed = await t.api.get('/api/plugins/installed-plugins/');
    expect(installed.body).toEqual([
      expect.objectContaining({
        name: 'example',
        package: '@plinth/plugin-example',
        verbose_name: 'Example Plugin',
        version: '1.0.0',
        settings_keys: ['greeting', 'instance_name', 'reserved_tag_prefix'],
        models: [
          { label: 'example.widget', verbose_name: 'widget', api_url: '/api/plugins/example/widgets/' },
          { label: 'example.nickname', verbose_name: 'nickname', api_url: '/api/plugins/example/nicknames/' },
        ],
        routes: ['GET /api/plugins/example/summary', 'GET /plugins/example'],
        contributions: expect.objectContaining({
          models: ['example.widget', 'example.nickname'],
          'model-extensions': ['users.user: field example_nickname, filter example_owns_widgets'],
          'custom-validators': ['ReservedTagValidator'],
          middleware: ['ExampleHeaderMiddleware'],
          'cli-commands': ['example-widgets'],
          'install-hooks': [
            'example.widget-statuses',
            'example.widget-custom-fields',
            'example.widget-relationships',
          ],
          'graphql-typedefs': [expect.stringContaining('extend type Query')],
          'view-overrides': ['view example.widget:detail'],
        }),
      }),
    ]);
    const status = await t.api.get('/api/status/');
    expect(status.body.plugins).toEqual({ example: '1.0.0' });
  });

  it('shows computed fields: per page in lists, detail-only ones on single objects', async () => {
    const list = await t.api.get(`${WIDGETS}?name=w1`);
    expect(list.body.results[0].status_color).toBe('4caf50');
    expect(list.body.results[0].same_kind).toBeUndefined();
    const other = await t.api.post(WIDGETS, { name: 'w1-twin', kind: 'gizmo', status: 'Planned' });
    const detail = await t.api.get(`${WIDGETS}${list.body.results[0].id}/?depth=1`);
    expect(detail.body.same_kind).toEqual([
      expect.objectContaining({ id: other.body.id, name: 'w1-twin', status_color: '00bcd4' }),
    ]);
    await t.api.delete(`${WIDGETS}${other.body.id}/`);
  });

  it('keeps list queries constant with nested depth', async () => {
    await t.api.post(
      WIDGETS,
      Array.from({ length: 12 }, (_, i) => ({
        name: `bulk-${i}`,
        status: 'Planned',
        owner: 'admin',
        tags: ['plain'],
      })),
    );
    const a = await t.api.get(`${WIDGETS}?limit=2&depth=1`);
    const b = await t.api.get(`${WIDGETS}?limit=13&depth=1`);
    expect(b.body.results).toHaveLength(13);
    expect(b.queries).toBe(a.queries);
    const tagged = await t.api.get(`${WIDGETS}?tags=plain`);
    expect(tagged.body.count).toBe(12);
  });

  it('installs its custom field idempotently: shown in REST, GraphQL and the UI', async () => {
    const fields = await t.api.get('/api/extras/custom-fields/?key=example_finish');
    expect(fields.body.count).toBe(1);
    expect(fields.body.results[0]).toMatchObject({
      type: { value: 'select' },
      content_types: ['example.widget'],
    });
    const choices = await t.api.get(
      `/api/extras/custom-field-choices/?custom_field=${fields.body.results[0].id}`,
    );
    expect(choices.body.results.map((c: { value: string }) => c.value).sort()).toEqual(['gloss', 'matte']);

    // Running the hook again changes nothing.
    const hook = t.ctx.registries
      .get(InstallHooks)
      .items()
      .find((h) => h.name === 'example.widget-custom-fields')!;
    await t.app.get<ObjectsService>(OBJECTS).transaction((tx) => hook.run(tx));
    expect((await t.api.get('/api/extras/custom-fields/?key=example_finish')).body.count).toBe(1);
    expect(
      (await t.api.get(`/api/extras/custom-field-choices/?custom_field=${fields.body.results[0].id}`)).body
        .count,
    ).toBe(2);

    const created = await t.api.post(WIDGETS, {
      name: 'finished',
      status: 'Active',
      custom_fields: { example_finish: 'gloss' },
    });
    expect(created.status).toBe(201);
    expect(created.body.custom_fields).toEqual({ example_finish: 'gloss' });
    const bad = await t.api.post(WIDGETS, {
      name: 'unfinished',
      status: 'Active',
      custom_fields: { example_finish: 'rough' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body['custom_fields.example_finish']).toBeDefined();
    expect((await t.api.get(`${WIDGETS}?cf_example_finish=gloss`)).body.count).toBe(1);

    const gql = await t.api.post('/api/graphql/', {
      query: '{ widgets(cf_example_finish: ["gloss"]) { name cf_example_finish } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.widgets).toEqual([{ name: 'finished', cf_example_finish: 'gloss' }]);

    // A field added at run time: the rebuilt schema keeps the plugin's own resolvers.
    const added = await t.api.post('/api/extras/custom-fields/', {
      key: 'example_batch',
      label: 'Batch',
      type: 'integer',
      content_types: ['example.widget'],
    });
    expect(added.status).toBe(201);
    await t.api.patch(`${WIDGETS}${created.body.id}/`, { custom_fields: { example_batch: 7 } });
    const rebuilt = await t.api.post('/api/graphql/', {
      query:
        '{ widgets(cf_example_batch__gte: [5]) { name greeting cf_example_batch } widget_summary { total } }',
    });
    expect(rebuilt.body.errors).toBeUndefined();
    expect(rebuilt.body.data.widgets).toEqual([
      { name: 'finished', greeting: expect.any(String), cf_example_batch: 7 },
    ]);
    expect(rebuilt.body.data.widget_summary.total).toBeGreaterThan(0);

    // The detail page shows the field in its group (logged in as the admin).
    const form = await t.http().get('/login/');
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.text)![1];
    const cookies = ([] as string[]).concat(form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const login = await t
      .http()
      .post('/login/')
      .set('Cookie', cookies.join('; '))
      .type('form')
      .send({ username: 'admin', password: 'admin-password-1', next: '/', csrfmiddlewaretoken: csrf });
    expect(login.status).toBe(303);
    const session = [
      ...cookies,
      ...([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
    ];
    const page = await t
      .http()
      .get(`/plugins/example/widgets/${created.body.id}/`)
      .set('Cookie', session.join('; '));
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-group="Example plugin"');
    expect(page.text).toMatch(/Finish<\/th><td>gloss/);
  });

  it('installs its relationship idempotently: shown in REST, GraphQL and the UI', async () => {
    const rels = await t.api.get('/api/extras/relationships/?key=example_compatible');
    expect(rels.body.count).toBe(1);
    expect(rels.body.results[0]).toMatchObject({
      type: { value: 'symmetric-many-to-many' },
      source_type: 'example.widget',
      destination_type: 'example.widget',
    });
    const hook = t.ctx.registries
      .get(InstallHooks)
      .items()
      .find((h) => h.name === 'example.widget-relationships')!;
    await t.app.get<ObjectsService>(OBJECTS).transaction((tx) => hook.run(tx));
    expect((await t.api.get('/api/extras/relationships/?key=example_compatible')).body.count).toBe(1);

    const a = await t.api.post(WIDGETS, { name: 'rel-a', status: 'Active' });
    const b = await t.api.post(WIDGETS, {
      name: 'rel-b',
      status: 'Active',
      relationships: { example_compatible: { peer: { objects: [a.body.id] } } },
    });
    expect(b.status).toBe(201);
    const read = await t.api.get(`${WIDGETS}${a.body.id}/?include=relationships`);
    expect(read.body.relationships.example_compatible).toMatchObject({
      type: 'symmetric-many-to-many',
      peer: { object_type: 'example.widget', objects: [{ id: b.body.id }] },
    });
    expect((await t.api.get(`${WIDGETS}?cr_example_compatible__peer=${a.body.id}`)).body.results).toEqual([
      expect.objectContaining({ name: 'rel-b' }),
    ]);
    const gql = await t.api.post('/api/graphql/', {
      query: '{ widgets(name: ["rel-a"]) { name rel_example_compatible { name } } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.widgets).toEqual([{ name: 'rel-a', rel_example_compatible: [{ name: 'rel-b' }] }]);

    const form = await t.http().get('/login/');
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.text)![1];
    const cookies = ([] as string[]).concat(form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const login = await t
      .http()
      .post('/login/')
      .set('Cookie', cookies.join('; '))
      .type('form')
      .send({ username: 'admin', password: 'admin-password-1', next: '/', csrfmiddlewaretoken: csrf });
    const session = [
      ...cookies,
      ...([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
    ];
    const page = await t
      .http()
      .get(`/plugins/example/widgets/${a.body.id}/`)
      .set('Cookie', session.join('; '));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Compatible widgets');
    expect(page.text).toContain(`/plugins/example/widgets/${b.body.id}/`);
    const edit = await t
      .http()
      .get(`/plugins/example/widgets/${a.body.id}/edit/`)
      .set('Cookie', session.join('; '));
    expect(edit.text).toContain('name="cr_example_compatible__peer"');
  });
});
