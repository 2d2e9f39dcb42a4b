import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

const TAGS = '/api/extras/tags/';

describe(onDatabase('authentication, permissions and the change log'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.api.post(TAGS, [{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('tokens', () => {
    it('stores only a hash of the key', async () => {
      const created = await t.api.post('/api/users/tokens/', { user: 'admin', description: 'hashing' });
      const key: string = created.body.key;
      expect(key).toMatch(/^[0-9a-f]{40}$/);
      const rows = await t.sql<{ key_hash: string; key_prefix: string }>(
        'SELECT key_hash, key_prefix FROM core_token WHERE id = $1',
        [created.body.id],
      );
      expect(rows[0].key_hash).not.toContain(key);
      expect(rows[0].key_hash).toHaveLength(64);
      expect(rows[0].key_prefix).toBe(key.slice(0, 8));
      const again = await t.api.get(`/api/users/tokens/${created.body.id}/`);
      expect(again.body.key).toBeUndefined();
      expect(again.body.key_prefix).toBe(key.slice(0, 8));
    });

    it('refuses expired tokens and writes with read-only tokens', async () => {
      const expired = await t.api.post('/api/users/tokens/', {
        user: 'admin',
        expires: '2001-01-01T00:00:00Z',
      });
      const res = await t.http().get(TAGS).set('Authorization', `Token ${expired.body.key}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'Token expired' });

      const { api } = await t.createUser(
        'reader',
        [{ actions: ['view', 'add'], object_types: ['extras.tag'] }],
        { write_enabled: false },
      );
      expect((await api.get(TAGS)).status).toBe(200);
      const write = await api.post(TAGS, { name: 'nope' });
      expect(write.status).toBe(403);
      expect(write.body).toEqual({ detail: 'This token does not permit write operations.' });
    });

    it('provisions a token from a username and password', async () => {
      const bad = await t
        .http()
        .post('/api/users/tokens/provision/')
        .send({ username: 'admin', password: 'wrong' });
      expect(bad.status).toBe(403);
      const ok = await t
        .http()
        .post('/api/users/tokens/provision/')
        .send({ username: 'admin', password: 'admin-password-1' });
      expect(ok.status).toBe(201);
      const res = await t.http().get(TAGS).set('Authorization', `Token ${ok.body.key}`);
      expect(res.status).toBe(200);
    });
  });

  describe('per-model permissions', () => {
    it('gives a user without permissions nothing', async () => {
      const { api } = await t.createUser('nobody');
      const res = await api.get(TAGS);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: 'You do not have permission to view tags.' });
      expect((await api.post(TAGS, { name: 'x' })).status).toBe(403);
    });

    it('checks view, add, change and delete separately', async () => {
      const { api } = await t.createUser('viewer', [{ actions: ['view'], object_types: ['extras.tag'] }]);
      const list = await api.get(TAGS);
      expect(list.status).toBe(200);
      const alpha = list.body.results.find((x: { name: string }) => x.name === 'alpha');
      expect((await api.post(TAGS, { name: 'new' })).status).toBe(403);
      expect((await api.patch(`${TAGS}${alpha.id}/`, { description: 'x' })).status).toBe(403);
      expect((await api.delete(`${TAGS}${alpha.id}/`)).status).toBe(403);
      expect((await api.get('/api/extras/statuses/')).status).toBe(403);

      const editor = await t.createUser('editor', [
        { actions: ['view', 'change'], object_types: ['extras.tag'] },
      ]);
      expect((await editor.api.patch(`${TAGS}${alpha.id}/`, { description: 'edited' })).status).toBe(200);
      expect((await editor.api.delete(`${TAGS}${alpha.id}/`)).status).toBe(403);
    });

    it('narrows what a user sees and changes with permission constraints', async () => {
      const { api } = await t.createUser('constrained', [
        { actions: ['view'], object_types: ['extras.tag'], constraints: { name__isw: 'a' } },
        {
          actions: ['add', 'change', 'delete'],
          object_types: ['extras.tag'],
          constraints: [{ name: 'beta' }, { name__isw: 'own-' }],
        },
      ]);
      const visible = await api.get(`${TAGS}?limit=0`);
      expect(visible.body.results.map((x: { name: string }) => x.name)).toEqual(['alpha']);
      const gamma = (await t.api.get(`${TAGS}?name=gamma`)).body.results[0];
      expect((await api.get(`${TAGS}${gamma.id}/`)).status).toBe(404);
      expect((await api.patch(`${TAGS}${gamma.id}/`, { description: 'x' })).status).toBe(404);
      const beta = (await t.api.get(`${TAGS}?name=beta`)).body.results[0];
      expect((await api.patch(`${TAGS}${beta.id}/`, { description: 'allowed' })).status).toBe(200);
      // Renaming out of the constraint is refused, and nothing is kept.
      const out = await api.patch(`${TAGS}${beta.id}/`, { name: 'renamed' });
      expect(out.status).toBe(403);
      expect((await t.api.get(`${TAGS}${beta.id}/`)).body.name).toBe('beta');
      expect((await api.post(TAGS, { name: 'own-1' })).status).toBe(201);
      const outside = await api.post(TAGS, { name: 'other-1' });
      expect(outside.status).toBe(403);
      expect((await t.api.get(`${TAGS}?name=other-1`)).body.count).toBe(0);
    });

    it('grants permissions through groups', async () => {
      const [group] = await t.objects.create('users.group', [{ name: 'tag-viewers' }]);
      await t.objects.create('users.objectpermission', [
        { name: 'group-view', actions: ['view'], object_types: ['extras.tag'], groups: [group.id] },
      ]);
      const { api, user } = await t.createUser('grouped');
      expect((await api.get(TAGS)).status).toBe(403);
      await t.objects.update('users.user', [{ id: user.id, groups: [group.id] }]);
      expect((await api.get(TAGS)).status).toBe(200);
    });
  });

  describe('change log', () => {
    it('records every create, update and delete with user, request id and snapshots', async () => {
      const created = await t.api.post(TAGS, [{ name: 'log-1' }, { name: 'log-2' }]);
      const [a, b] = created.body;
      await t.api.patch(`${TAGS}${a.id}/`, { description: 'changed' });
      await t.api.delete(`${TAGS}${b.id}/`);

      const forA = await t.api.get(`/api/extras/object-changes/?changed_object_id=${a.id}&sort=time`);
      expect(forA.body.results.map((c: { action: { value: string } }) => c.action.value)).toEqual([
        'create',
        'update',
      ]);
      const update = forA.body.results[1];
      expect(update.prechange_data.description).toBe('');
      expect(update.postchange_data.description).toBe('changed');
      expect(update.user_name).toBe('admin');
      expect(update.user.object_type).toBe('users.user');
      expect(update.change_context.value).toBe('api');

      const creates = await t.api.get(
        `/api/extras/object-changes/?changed_object_type=extras.tag&action=create&object_repr__isw=log-`,
      );
      expect(creates.body.count).toBe(2);
      // One request id per request: the bulk create shares it.
      expect(new Set(creates.body.results.map((c: { request_id: string }) => c.request_id)).size).toBe(1);

      const deleted = await t.api.get(`/api/extras/object-changes/?changed_object_id=${b.id}&action=delete`);
      expect(deleted.body.results[0]).toMatchObject({ postchange_data: null, object_repr: 'log-2' });
      expect(deleted.body.results[0].prechange_data.name).toBe('log-2');

      const since = await t.api.get(
        `/api/extras/object-changes/?user=admin&time__gte=${encodeURIComponent(update.time)}&changed_object_type=extras.tag`,
      );
      expect(since.body.count).toBeGreaterThanOrEqual(2);
    });

    it('writes nothing when a write fails', async () => {
      const before = (await t.api.get('/api/extras/object-changes/?limit=1')).body.count;
      const res = await t.api.post(TAGS, [{ name: 'atomic-1' }, { name: 'atomic-1' }]);
      expect(res.status).toBe(400);
      expect((await t.api.get('/api/extras/object-changes/?limit=1')).body.count).toBe(before);
    });

    it('is read-only', async () => {
      const change = (await t.api.get('/api/extras/object-changes/?limit=1')).body.results[0];
      expect((await t.api.delete(`/api/extras/object-changes/${change.id}/`)).status).toBe(405);
      expect((await t.api.patch(`/api/extras/object-changes/${change.id}/`, {})).status).toBe(405);
    });
  });

  it('reports status: versions, database, plugins, workers', async () => {
    const res = await t.api.get('/api/status/');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      'plinth-version': expect.stringMatching(/^\d+\.\d+\.\d+/),
      'node-version': process.version.slice(1),
      database: {
        kind: expect.stringMatching(/^(pglite|postgresql)$/),
        version: expect.stringContaining('PostgreSQL'),
      },
      'installed-apps': expect.objectContaining({ extras: expect.any(String), users: expect.any(String) }),
    });
    expect(Array.isArray(res.body.workers)).toBe(true);
  });

  it('serves OpenAPI and a Swagger UI whose assets are local', async () => {
    const spec = await t.http().get('/api/swagger.json').set('Authorization', `Token ${t.api.token}`);
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/api/extras/tags/'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'offset', 'q', 'name', 'name__ic', 'content_types']),
    );
    expect(spec.body.components.schemas.WritableExtrasTag.required).toEqual(['name']);
    const docs = await t.http().get('/api/docs/').set('Authorization', `Token ${t.api.token}`);
    expect(docs.status).toBe(200);
    const external = [...docs.text.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((u) => /^(https?:)?\/\//.test(u));
    expect(external).toEqual([]);
    const asset = await t
      .http()
      .get('/api/docs/swagger-ui-bundle.js')
      .set('Authorization', `Token ${t.api.token}`);
    expect(asset.status).toBe(200);
  });
});
