import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

const NOTES = '/api/extras/notes/';
const TENANTS = '/api/tenancy/tenants/';

interface Note {
  id: string;
  note: string;
  user_name: string;
  user: { id: string } | string | null;
  assigned_object_type: string;
  assigned_object_id: string;
  created: string;
}

/** Notes (Nautobot's shapes): /api/extras/notes/, `<id>/notes/` on every model with the feature, the UI's Notes tab. */
describe(onDatabase('notes'), () => {
  let t: TestApp;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    [acme, globex] = (await t.objects.create('tenancy.tenant', [{ name: 'acme' }, { name: 'globex' }])).map(
      (x) => x.id,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates notes at /api/extras/notes/ with the author taken from the request', async () => {
    const res = await t.api.post(NOTES, {
      assigned_object_type: 'tenancy.tenant',
      assigned_object_id: acme,
      note: 'Contract **renewed**',
      user_name: 'mallory',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      assigned_object_type: 'tenancy.tenant',
      assigned_object_id: acme,
      note: 'Contract **renewed**',
      user_name: 'admin',
      assigned_object: { id: acme },
    });
    expect(res.body.created).toBeDefined();
    const gql = await t.api.post('/api/graphql/', {
      query: '{ notes { note user_name assigned_object_type } }',
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.notes).toEqual([
      { note: 'Contract **renewed**', user_name: 'admin', assigned_object_type: 'tenancy.tenant' },
    ]);
  });

  it('lists and adds notes at <id>/notes/ on core and plugin models', async () => {
    const add = await t.api.post(`${TENANTS}${acme}/notes/`, { note: 'Second note' });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ assigned_object_id: acme, user_name: 'admin', note: 'Second note' });
    const list = await t.api.get(`${TENANTS}${acme}/notes/`);
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(2);
    expect((list.body.results as Note[]).map((n) => n.note)).toEqual(['Second note', 'Contract **renewed**']);
    expect((await t.api.get(`${TENANTS}${globex}/notes/`)).body.count).toBe(0);

    const [widget] = await t.objects.create('example.widget', [{ name: 'w1', status: 'Active' }]);
    const w = await t.api.post(`/api/plugins/example/widgets/${widget.id}/notes/`, { note: 'plugin note' });
    expect(w.status).toBe(201);
    expect(w.body.assigned_object_type).toBe('example.widget');
  });

  it('refuses bad notes with 400 naming the field, and unknown objects with 404', async () => {
    const blank = await t.api.post(`${TENANTS}${acme}/notes/`, { note: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.note).toBeDefined();
    const noType = await t.api.post(NOTES, {
      assigned_object_type: 'users.user',
      assigned_object_id: acme,
      note: 'x',
    });
    expect(noType.status).toBe(400);
    expect(noType.body.assigned_object_type).toBeDefined();
    const missing = await t.api.post(NOTES, {
      assigned_object_type: 'tenancy.tenant',
      assigned_object_id: '00000000-0000-4000-8000-000000000000',
      note: 'x',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.assigned_object_id).toBeDefined();
    const bulk = await t.api.post(`${TENANTS}${acme}/notes/`, [{ note: 'ok' }, { note: '' }]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${TENANTS}${acme}/notes/`)).body.count).toBe(2);
    expect((await t.api.get(`${TENANTS}00000000-0000-4000-8000-000000000000/notes/`)).status).toBe(404);
    const users = (await t.api.get('/api/users/users/')).body.results as { id: string }[];
    expect((await t.api.get(`/api/users/users/${users[0].id}/notes/`)).status).toBe(404);
    const move = await t.api.patch(
      `${NOTES}${(await t.api.get(`${TENANTS}${acme}/notes/`)).body.results[0].id}/`,
      {
        assigned_object_id: globex,
      },
    );
    expect(move.status).toBe(400);
  });

  it('needs permissions on notes and on the annotated object', async () => {
    const { api } = await t.createUser('note-reader', [
      { actions: ['view'], object_types: ['tenancy.tenant'] },
    ]);
    expect((await api.get(`${TENANTS}${acme}/notes/`)).status).toBe(403);
    expect((await api.post(`${TENANTS}${acme}/notes/`, { note: 'x' })).status).toBe(403);
    const { api: other } = await t.createUser('note-only', [
      { actions: ['view', 'add'], object_types: ['extras.note'] },
    ]);
    // Notes of an object the user may not view: the object's own answer (403 without any view permission).
    expect((await other.get(`${TENANTS}${acme}/notes/`)).status).toBe(403);
    const { api: scoped } = await t.createUser('note-scoped', [
      { actions: ['view', 'add'], object_types: ['extras.note'] },
      { actions: ['view'], object_types: ['tenancy.tenant'], constraints: { name: 'globex' } },
    ]);
    expect((await scoped.get(`${TENANTS}${acme}/notes/`)).status).toBe(404);
    expect((await scoped.get(`${TENANTS}${globex}/notes/`)).status).toBe(200);
  });

  it('change-logs notes and deletes them with their object', async () => {
    const changes = await t.api.get('/api/extras/object-changes/?changed_object_type=extras.note');
    expect(changes.body.count).toBeGreaterThanOrEqual(3);
    const [doomed] = await t.objects.create('tenancy.tenant', [{ name: 'doomed' }]);
    await t.api.post(`${TENANTS}${doomed.id}/notes/`, { note: 'bye' });
    expect((await t.api.delete(`${TENANTS}${doomed.id}/`)).status).toBe(204);
    expect((await t.api.get(`${NOTES}?assigned_object_id=${doomed.id}`)).body.count).toBe(0);
  });

  it('shows a Notes tab with safely rendered Markdown and adds notes from its form', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    await t.api.post(`${TENANTS}${globex}/notes/`, {
      note: '<script>alert(1)</script> *hello* [x](javascript:alert(1))',
    });
    const detail = await ui.get(`/tenancy/tenants/${globex}/`);
    expect(detail.text).toContain(`/tenancy/tenants/${globex}/notes/`);
    const tab = await ui.get(`/tenancy/tenants/${globex}/notes/`);
    expect(tab.status).toBe(200);
    expect(tab.text).not.toContain('<script>alert(1)</script>');
    expect(tab.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(tab.text).toContain('<em>hello</em>');
    expect(tab.text).not.toContain('href="javascript:');
    const bad = await ui.post(`/tenancy/tenants/${globex}/notes/`, { note: '' });
    expect(bad.status).toBe(400);
    const ok = await ui.post(`/tenancy/tenants/${globex}/notes/`, { note: 'From the **UI**' });
    expect(ok.status).toBe(303);
    const after = text((await ui.get(`/tenancy/tenants/${globex}/notes/`)).text);
    expect(after).toMatch(/admin · .* From the UI/);
  });
});
