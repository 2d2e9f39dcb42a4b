import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

const USERS = '/api/users/users/';
const WIDGETS = '/api/plugins/example/widgets/';

/**
 * A plugin extending a core model (the example plugin on users): a filter that works in REST,
 * GraphQL arguments, the UI filter form and permission constraints, and a field stored in the
 * plugin's own table that shows on every surface and is written in the same transaction.
 */
describe(onDatabase('plugin extensions of core models'), () => {
  let t: TestApp;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    [alice, bob] = (await t.objects.create('users.user', [{ username: 'alice' }, { username: 'bob' }])).map(
      (u) => u.id,
    );
    await t.objects.create('example.widget', [{ name: 'w1', status: 'Active', owner: alice }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('filters core objects with a plugin filter in REST and GraphQL', async () => {
    const yes = await t.api.get(`${USERS}?example_owns_widgets=true`);
    expect(yes.status).toBe(200);
    expect(yes.body.results.map((u: { username: string }) => u.username)).toEqual(['alice']);
    const no = await t.api.get(`${USERS}?example_owns_widgets=false&username=bob`);
    expect(no.body.count).toBe(1);
    const bad = await t.api.get(`${USERS}?example_owns_widgets=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.body.example_owns_widgets).toBeDefined();

    const gql = await t.api.post('/api/graphql/', {
      query: '{ users(example_owns_widgets: true) { username example_nickname } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.users).toEqual([{ username: 'alice', example_nickname: null }]);
  });

  it('uses a plugin filter as a permission constraint', async () => {
    const { api } = await t.createUser('viewer', [
      { actions: ['view'], object_types: ['users.user'], constraints: { example_owns_widgets: true } },
    ]);
    const res = await api.get(USERS);
    expect(res.body.results.map((u: { username: string }) => u.username)).toEqual(['alice']);
  });

  it('writes a plugin field of a core model in the same transaction, change-logged', async () => {
    const res = await t.api.patch(`${USERS}${alice}/`, { example_nickname: '  Al ', first_name: 'Alice' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ first_name: 'Alice', example_nickname: 'Al' });
    expect((await t.api.get(`${USERS}${alice}/`)).body.example_nickname).toBe('Al');
    const list = await t.api.get(`${USERS}?username=alice&username=bob`);
    expect(list.body.results.map((u: { example_nickname: unknown }) => u.example_nickname)).toEqual([
      'Al',
      null,
    ]);

    // The nickname is the plugin's own object, written through the write path with the user.
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_type=example.nickname`);
    expect(changes.body.count).toBe(1);
    expect(changes.body.results[0]).toMatchObject({
      user_name: 'admin',
      action: { value: 'create' },
      postchange_data: { user: alice, nickname: 'Al' },
    });

    const tooLong = await t.api.patch(`${USERS}${bob}/`, {
      example_nickname: 'x'.repeat(51),
      first_name: 'B',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.example_nickname[0]).toMatch(/50 characters/);
    // Nothing half-written: bob's first name is unchanged.
    expect((await t.api.get(`${USERS}${bob}/`)).body.first_name).toBe('');

    const cleared = await t.api.patch(`${USERS}${alice}/`, { example_nickname: null });
    expect(cleared.body.example_nickname).toBeNull();
    expect((await t.sql('SELECT count(*)::int AS n FROM example_nickname'))[0]).toEqual({ n: 0 });
  });

  it('reads a page of plugin fields in one query, whatever the page size', async () => {
    await t.objects.create(
      'users.user',
      Array.from({ length: 30 }, (_, i) => ({ username: `u${i}` })),
    );
    const small = await t.api.get(`${USERS}?limit=2`);
    const big = await t.api.get(`${USERS}?limit=30`);
    expect(big.queries).toBe(small.queries);
  });

  it('shows the field and the filter in the web UI', async () => {
    await t.api.patch(`${USERS}${alice}/`, { example_nickname: 'Ally' });
    const ui = await new UiSession(t.baseUrl).login();
    const detail = text((await ui.get(`/users/users/${alice}/`)).text);
    expect(detail).toContain('Nickname');
    expect(detail).toContain('Ally');
    const list = await ui.get('/users/users/?example_owns_widgets=true');
    expect(list.status).toBe(200);
    expect(list.text).toContain('name="example_owns_widgets"');
    const form = await ui.get(`/users/users/${alice}/edit/`);
    expect(form.text).toContain('name="example_nickname"');
    const saved = await ui.post(`/users/users/${alice}/edit/`, {
      username: 'alice',
      example_nickname: 'Lissy',
      is_active: 'on',
    });
    expect(saved.status).toBe(303);
    expect((await t.api.get(`${USERS}${alice}/`)).body.example_nickname).toBe('Lissy');
  });

  it('documents the filter and the field in OpenAPI', async () => {
    const doc = (await t.api.get('/api/swagger.json')).body;
    const params = doc.paths['/api/users/users/'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toContain('example_owns_widgets');
    expect((await t.api.get(WIDGETS)).status).toBe(200);
  });
});
