import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, type ApiClient, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

/**
 * Regression tests for the defects found by probing Plinth as an attacker and an operator would
 * (issue 16): each `it` names the finding it covers (H1..H4, M1..M6, Low).
 */

const TAGS = '/api/extras/tags/';
const VRFS = '/api/ipam/vrfs/';
const GRAPHQL = '/api/graphql/';

function gql(api: ApiClient, query: string, variables?: Record<string, unknown>) {
  return api.post(GRAPHQL, variables ? { query, variables } : { query });
}

describe(onDatabase('security regressions'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.api.post('/api/tenancy/tenants/', { name: 'Hidden tenant' });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('H1: API paths are not case-insensitive back doors', () => {
    it('H1 a read-only token cannot write through /API/ or /Api/', async () => {
      const { token } = await t.createUser(
        'h1-reader',
        [{ actions: ['view', 'add'], object_types: ['users.user'] }],
        {
          write_enabled: false,
        },
      );
      for (const path of ['/API/users/users/', '/Api/users/users/', '/api/users/users/']) {
        const res = await t
          .http()
          .post(path)
          .set('Authorization', `Token ${token}`)
          .send({ username: `pwned${path.length}`, password: 'x-y-z-w-q-1', is_superuser: true });
        expect(res.status).not.toBe(201);
        expect([403, 404]).toContain(res.status);
      }
      const users = await t.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM core_user WHERE username LIKE 'pwned%'",
      );
      expect(users[0].n).toBe(0);
      // Upper-case spellings are not routes at all, for anyone.
      expect(
        (await t.http().get('/API/extras/tags/').set('Authorization', `Token ${t.api.token}`)).status,
      ).toBe(404);
    });
  });

  describe('H2: API tokens belong to their user', () => {
    it('H2 a user with add on tokens cannot create a token for someone else', async () => {
      const { api } = await t.createUser('h2-adder', [{ actions: ['add'], object_types: ['users.token'] }]);
      const admin = await adminId(t);
      for (const user of ['admin', admin, { username: 'admin' }]) {
        const res = await api.post('/api/users/tokens/', { user, description: 'escalate' });
        expect([400, 403]).toContain(res.status);
      }
      // Even a user who may view every user cannot.
      await t.objects.create('users.objectpermission', [
        { name: 'h2-users', actions: ['view'], object_types: ['users.user'], users: ['h2-adder'] },
      ]);
      const denied = await api.post('/api/users/tokens/', { user: admin, description: 'escalate' });
      expect(denied.status).toBe(403);
      const mine = await api.post('/api/users/tokens/', { user: 'h2-adder', description: 'mine' });
      expect(mine.status).toBe(201);
      const implicit = await api.post('/api/users/tokens/', { description: 'implicit' });
      expect(implicit.status).toBe(201);
      expect(implicit.body.user.id).toBe(mine.body.user.id);
      const rows = await t.sql<{ n: number }>(
        "SELECT count(*)::int AS n FROM core_token WHERE description = 'escalate'",
      );
      expect(rows[0].n).toBe(0);
    });

    it('H2 view on tokens lists only the user’s own tokens; superusers see all', async () => {
      const { api, user } = await t.createUser('h2-viewer', [
        { actions: ['view'], object_types: ['users.token'] },
      ]);
      const list = await api.get('/api/users/tokens/?limit=0');
      expect(list.status).toBe(200);
      expect(list.body.count).toBeGreaterThan(0);
      expect(list.body.results.every((tk: { user: { id: string } }) => tk.user.id === user.id)).toBe(true);
      const adminTokens = (await t.api.get('/api/users/tokens/?user=admin')).body.results;
      expect(adminTokens.length).toBeGreaterThan(0);
      expect((await api.get(`/api/users/tokens/${adminTokens[0].id}/`)).status).toBe(404);
      expect((await api.delete(`/api/users/tokens/${adminTokens[0].id}/`)).status).toBe(404);
      const all = await t.api.get('/api/users/tokens/?limit=0');
      expect(all.body.count).toBeGreaterThan(list.body.count);
      // GraphQL reads through the same scope.
      const q = await gql(api, '{ tokens { id } }');
      expect(q.body.data.tokens.map((tk: { id: string }) => tk.id).sort()).toEqual(
        list.body.results.map((tk: { id: string }) => tk.id).sort(),
      );
    });
  });

  describe('H3: bulk requests are bounded', () => {
    it('H3 more items than PLINTH_MAX_BULK_ITEMS is a 413 naming the limit', async () => {
      const items = Array.from({ length: 1001 }, (_, i) => ({ name: `bulk-${i}` }));
      const res = await t.api.post(TAGS, items);
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/at most 1000 objects; this one has 1001/);
      expect((await t.api.get(`${TAGS}?name__isw=bulk-`)).body.count).toBe(0);
    });

    it('H3 a body of millions of empty items is refused quickly, without building it', async () => {
      const body = `[${'{},'.repeat(3_000_000)}{}]`; // 9 MB: under the size limit
      const started = Date.now();
      const res = await t
        .http()
        .post(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/this one has 3000001/);
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('H3 a body over PLINTH_MAX_BODY_SIZE_MB is a 413', async () => {
      const res = await t
        .http()
        .post(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'big', description: 'x'.repeat(11 * 1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body.detail).toMatch(/too large/);
    });
  });

  describe('H4: GraphQL limits cover introspection', () => {
    it('H4 950 aliased __schema fields are refused before anything runs, for any token', async () => {
      const { api } = await t.createUser('h4-nobody');
      const aliases = Array.from({ length: 950 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ');
      const started = Date.now();
      const res = await gql(api, `{ ${aliases} }`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('TOO_MANY_ALIASES');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('H4 introspection has a depth limit and a cost', async () => {
      const deep = `{ __schema { types { ${'ofType { '.repeat(25)}name${' }'.repeat(25)} } } }`;
      const res = await gql(t.api, deep);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/Introspection depth \d+ exceeds the maximum of 20/);
      // The standard introspection query (GraphiQL's) still works.
      const { getIntrospectionQuery } = await import('graphql');
      const ok = await gql(t.api, getIntrospectionQuery());
      expect(ok.status).toBe(200);
      expect(ok.body.data.__schema.types.length).toBeGreaterThan(50);
    });
  });

  describe('M1: NUL and control characters', () => {
    it('M1 a NUL in a filter, q, a body string, a JSON value or GraphQL is a 400 naming the field', async () => {
      const filter = await t.api.get(`${TAGS}?name=a%00b`);
      expect(filter.status).toBe(400);
      expect(filter.body).toEqual({ name: ['Null characters are not allowed.'] });
      const q = await t.api.get(`${TAGS}?q=%00`);
      expect(q.status).toBe(400);
      expect(q.body.q).toEqual(['Null characters are not allowed.']);
      const body = await t.api.post(TAGS, { name: 'nul\u0000name' });
      expect(body.status).toBe(400);
      expect(body.body).toEqual({ name: ['Null characters are not allowed.'] });
      const bulk = await t.api.post(TAGS, [{ name: 'fine' }, { name: 'x', description: '\u0000' }]);
      expect(bulk.status).toBe(400);
      expect(bulk.body).toEqual([{}, { description: ['Null characters are not allowed.'] }]);
      const json = await t.api.patch('/api/users/users/' + (await adminId(t)) + '/', {
        config_data: { a: ['\u0000'] },
      });
      expect(json.status).toBe(400);
      expect(json.body).toEqual({ config_data: ['Null characters are not allowed.'] });
      const ui = await t.http().get('/extras/tags/?q=%00').set('Authorization', `Token ${t.api.token}`);
      expect(ui.status).toBe(400);
      // GraphQL: an escaped NUL inside the document, and one in the variables.
      const inline = await gql(t.api, '{ tags(name: "a\\u0000b") { name } }');
      expect(inline.status).toBeLessThan(500);
      expect(JSON.stringify(inline.body.errors)).toContain('Null characters are not allowed.');
      const vars = await gql(t.api, 'query ($n: [String]) { tags(name: $n) { name } }', { n: ['\u0000'] });
      expect(vars.status).toBe(400);
    });

    it('M1 other control characters are stored, never a 500', async () => {
      const res = await t.api.post(TAGS, { name: 'ctl\u0001\u001f\u007f', description: 'bell\u0007' });
      expect(res.status).toBe(201);
      expect(
        (await t.api.get(`${TAGS}?name=${encodeURIComponent('ctl\u0001\u001f\u007f')}`)).body.count,
      ).toBe(1);
    });
  });

  describe('M4: references resolve within what the writer may view', () => {
    it('M4 a user who cannot view tenants can neither probe nor attach them', async () => {
      const { api } = await t.createUser('m4-writer', [
        { actions: ['view', 'add', 'change'], object_types: ['ipam.vrf'] },
        { actions: ['view'], object_types: ['ipam.namespace'] },
      ]);
      const hidden = (await t.api.get('/api/tenancy/tenants/?name=Hidden+tenant')).body.results[0];
      const probe = await api.post(VRFS, { name: 'probe', tenant: { name__isw: 'H' } });
      const missing = await api.post(VRFS, { name: 'probe', tenant: { name__isw: 'Z' } });
      expect(probe.status).toBe(400);
      expect(missing.status).toBe(400);
      // The same answer whether or not such a tenant exists.
      expect(probe.body.tenant[0].replace('"H"', '"Z"')).toBe(missing.body.tenant[0]);
      for (const ref of [hidden.id, 'Hidden tenant', { name: 'Hidden tenant' }]) {
        const res = await api.post(VRFS, { name: 'attach', tenant: ref });
        expect(res.status).toBe(400);
        expect(res.body.tenant[0]).toMatch(/^Related object not found/);
      }
      // Once the user may view tenants, the same reference works.
      await t.objects.create('users.objectpermission', [
        { name: 'm4-tenants', actions: ['view'], object_types: ['tenancy.tenant'], users: ['m4-writer'] },
      ]);
      expect((await api.post(VRFS, { name: 'attach', tenant: { name__isw: 'H' } })).status).toBe(201);
    });
  });

  describe('M5: nested objects the reader may not view stay hidden', () => {
    it('M5 REST ?depth= and the UI detail page show no hidden related object', async () => {
      const tenant = (await t.api.get('/api/tenancy/tenants/?name=Hidden+tenant')).body.results[0];
      const vrf = (await t.api.post(VRFS, { name: 'm5-vrf', tenant: tenant.id })).body;
      const { api } = await t.createUser('m5-reader', [{ actions: ['view'], object_types: ['ipam.vrf'] }]);
      for (const depth of [1, 2, 3]) {
        const res = await api.get(`${VRFS}${vrf.id}/?depth=${depth}`);
        expect(res.status).toBe(200);
        expect(res.body.tenant).toEqual({ id: tenant.id, object_type: 'tenancy.tenant', url: tenant.url });
      }
      const ui = await new UiSession(t.baseUrl).login('m5-reader', 'user-password-1');
      const page = await ui.get(`/ipam/vrfs/${vrf.id}/`);
      expect(page.status).toBe(200);
      expect(text(page.text)).not.toContain('Hidden tenant');
      expect(page.text).toContain(tenant.id);
    });
  });

  describe('M6: deeply nested JSON', () => {
    it('M6 JSON deeper than PLINTH_MAX_JSON_DEPTH is a 400, however deep', async () => {
      const id = await adminId(t);
      for (const levels of [40, 4000, 5000]) {
        const deep = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
        const res = await t
          .http()
          .patch(`/api/users/users/${id}/`)
          .set('Authorization', `Token ${t.api.token}`)
          .set('Content-Type', 'application/json')
          .send(`{"config_data": ${deep}}`);
        expect(res.status).toBe(400);
        expect(res.body.__all__[0]).toMatch(/nesting is deeper than the maximum of 32/);
      }
    });

    it('M6 a stored deep value renders a bounded page', async () => {
      const { user } = await t.createUser('m6-deep');
      // 4,000 levels, as stored before the limit existed (written directly).
      const deep = `${'['.repeat(4000)}"x"${']'.repeat(4000)}`;
      await t.sql('UPDATE core_user SET config_data = $1::jsonb WHERE id = $2', [deep, user.id]);
      const ui = await new UiSession(t.baseUrl).login();
      const page = await ui.get(`/users/users/${user.id}/`);
      expect(page.status).toBe(200);
      expect(page.text.length).toBeLessThan(200_000);
      // 7 KB of moderately deep JSON no longer renders as megabytes of indentation.
      let wide: unknown = 'leaf';
      for (let i = 0; i < 30; i++) wide = { k: wide, l: [1, 2, 3] };
      expect((await t.api.patch(`/api/users/users/${user.id}/`, { config_data: wide })).status).toBe(200);
      const page2 = await ui.get(`/users/users/${user.id}/`);
      expect(page2.status).toBe(200);
      expect(page2.text.length).toBeLessThan(200_000);
    });
  });

  describe('Low', () => {
    it('Low: `%` in a reference key is a 400, not a 500', async () => {
      const res = await t.api.post(VRFS, { name: 'pct', tenant: '50%' });
      expect(res.status).toBe(400);
      expect(res.body.tenant[0]).toMatch(/not found/);
      expect((await t.api.post(VRFS, { name: 'pct', tenant: '%E0%A4%A;x%' })).status).toBe(400);
    });

    it('Low: prototype keys in bodies and filters are unknown fields', async () => {
      const res = await t
        .http()
        .post(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Content-Type', 'application/json')
        .send('{"name": "proto", "__proto__": {"x": 1}, "constructor": 1, "toString": 2}');
      expect(res.status).toBe(400);
      expect(Object.keys(res.body).sort()).toEqual(['__proto__', 'constructor', 'toString']);
      const filter = await t.api.get(`${TAGS}?constructor=1&__proto__=2&toString=3`);
      expect(filter.status).toBe(400);
      const ref = await t.api.post(VRFS, { name: 'p', tenant: { constructor: 'x', __proto__: 'y' } });
      expect(ref.status).toBe(400);
    });

    it('Low: an unknown charset is a 415', async () => {
      const res = await t
        .http()
        .post(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{"name": "x"}');
      expect(res.status).toBe(415);
    });

    it('Low: a password change ends the user’s sessions', async () => {
      const { user } = await t.createUser('low-pw', [{ actions: ['view'], object_types: ['extras.tag'] }]);
      const ui = await new UiSession(t.baseUrl).login('low-pw', 'user-password-1');
      expect((await ui.get('/extras/tags/')).status).toBe(200);
      expect(
        (await t.api.patch(`/api/users/users/${user.id}/`, { password: 'a-new-secret-77' })).status,
      ).toBe(200);
      const after = await ui.get('/extras/tags/');
      expect(after.status).toBe(302);
      expect(after.headers.location).toMatch(/^\/login\//);
      // Deactivation too.
      const ui2 = await new UiSession(t.baseUrl).login('low-pw', 'a-new-secret-77');
      await t.api.patch(`/api/users/users/${user.id}/`, { is_active: false });
      await t.api.patch(`/api/users/users/${user.id}/`, { is_active: true });
      expect((await ui2.get('/extras/tags/')).status).toBe(302);
    });

    it('Low: UI pages carry X-Frame-Options, a CSP and nosniff', async () => {
      for (const path of ['/login/', '/api/']) {
        const res = await t.http().get(path);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
        expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      }
    });

    it('Low: CSV exports neutralise cells that spreadsheets would run as formulas', async () => {
      await t.api.post(TAGS, [
        { name: '=HYPERLINK("http://x")', description: '+cmd' },
        { name: '@SUM(1)', description: '-2+3' },
      ]);
      const ui = await new UiSession(t.baseUrl).login();
      const csv = (await ui.get('/extras/tags/?export=csv')).text;
      expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
      expect(csv).toContain("'+cmd");
      expect(csv).toContain("'@SUM(1)");
      expect(csv).toContain("'-2+3");
      expect(csv).not.toMatch(/(^|,)[=+@]/m);
      const rest = await t.http().get(`${TAGS}?format=csv`).set('Authorization', `Token ${t.api.token}`);
      expect(rest.text).toContain("'@SUM(1)");
    });

    it('Low: user, group, permission and token changes are change-logged, without secrets', async () => {
      const created = await t.api.post('/api/users/users/', {
        username: 'logged',
        password: 'logged-pass-9x',
      });
      expect(created.status).toBe(201);
      await t.api.patch(`/api/users/users/${created.body.id}/`, { is_superuser: true });
      await t.api.patch(`/api/users/users/${created.body.id}/`, { password: 'another-pass-9x' });
      const group = await t.api.post('/api/users/groups/', { name: 'logged-group' });
      const token = await t.api.post('/api/users/tokens/', { user: 'logged' });
      const changes = (
        await t.api.get(`/api/extras/object-changes/?changed_object_id=${created.body.id}&limit=0`)
      ).body.results;
      expect(changes.map((c: { action: { value: string } }) => c.action.value).sort()).toEqual([
        'create',
        'update',
        'update',
      ]);
      const grant = changes.find(
        (c: {
          postchange_data: { is_superuser: boolean };
          prechange_data: { is_superuser: boolean } | null;
        }) => c.prechange_data && !c.prechange_data.is_superuser && c.postchange_data.is_superuser,
      );
      expect(grant).toBeDefined();
      const all = JSON.stringify(changes);
      expect(all).not.toMatch(/"password"|scrypt\$/);
      expect(
        (await t.api.get(`/api/extras/object-changes/?changed_object_id=${group.body.id}`)).body.count,
      ).toBe(1);
      const tokenChanges = (await t.api.get(`/api/extras/object-changes/?changed_object_id=${token.body.id}`))
        .body;
      expect(tokenChanges.count).toBe(1);
      expect(JSON.stringify(tokenChanges)).not.toContain(token.body.key);
      expect(JSON.stringify(tokenChanges)).not.toContain('key_hash');
    });

    it('Low: invalid dates are refused, not shifted', async () => {
      for (const expires of ['2020-02-30T00:00:00Z', '1', '2021-13-01', '2021-01-01T25:00:00Z']) {
        const res = await t.api.post('/api/users/tokens/', { user: 'admin', expires });
        expect(res.status).toBe(400);
        expect(res.body.expires).toEqual(['Datetime has wrong format. Use ISO 8601.']);
      }
      expect((await t.api.get(`${TAGS}?created__gte=2020-02-30`)).status).toBe(400);
      const ok = await t.api.post('/api/users/tokens/', {
        user: 'admin',
        expires: '2099-02-28T10:00:00+01:00',
      });
      expect(ok.status).toBe(201);
      expect(ok.body.expires).toBe('2099-02-28T09:00:00.000Z');
    });

    it('Low: the API schema and docs need authentication', async () => {
      expect((await t.http().get('/api/swagger.json')).status).toBe(403);
      expect((await t.http().get('/api/swagger.yaml')).status).toBe(403);
      const docs = await t.http().get('/api/docs/').set('Accept', 'text/html');
      expect(docs.status).toBe(302);
      expect(docs.headers.location).toBe('/login/?next=%2Fapi%2Fdocs%2F');
      const ui = await new UiSession(t.baseUrl).login();
      expect((await ui.get('/api/swagger.json')).status).toBe(200);
    });

    it('Low: change-log retention reports how many records it deleted', async () => {
      await t.sql(
        `INSERT INTO core_objectchange (id, created, last_updated, time, user_name, request_id, action, changed_object_type, changed_object_id, object_repr, change_context)
         SELECT gen_random_uuid(), now(), now(), now() - interval '200 days', 'old', gen_random_uuid(), 'create', 'extras.tag', gen_random_uuid(), 'old', 'api'
           FROM generate_series(1, 7)`,
      );
      const result = (await t.app.get(QueueService).run('core.housekeeping')) as { changes: number };
      expect(result.changes).toBe(7);
    });
  });

  describe('accounts', () => {
    it('REST user creation enforces the password validators (CVE-2026-34203)', async () => {
      const cases: [string, string, RegExp][] = [
        ['weak1', 'password', /too common/],
        ['weak2', '12345678901', /entirely numeric/],
        ['charlie', 'charlie123', /too similar to the username/],
        ['weak4', 'Ab1!', /too short/],
      ];
      for (const [username, password, message] of cases) {
        const res = await t.api.post('/api/users/users/', { username, password });
        expect(res.status).toBe(400);
        expect(res.body.password.join(' ')).toMatch(message);
      }
      const user = (await t.api.post('/api/users/users/', { username: 'strong', password: 'tulip-radio-9' }))
        .body;
      expect((await t.api.patch(`/api/users/users/${user.id}/`, { password: 'letmein' })).status).toBe(400);
    });
  });

  describe('API edges', () => {
    it('lists render as CSV with ?format=csv or Accept: text/csv', async () => {
      await t.api.post(TAGS, { name: 'csv-tag', description: 'in csv' });
      const byParam = await t
        .http()
        .get(`${TAGS}?format=csv&name=csv-tag`)
        .set('Authorization', `Token ${t.api.token}`);
      expect(byParam.status).toBe(200);
      expect(byParam.headers['content-type']).toMatch(/^text\/csv/);
      const lines = byParam.text.trim().split('\n');
      expect(lines[0].split(',')).toEqual(expect.arrayContaining(['id', 'name', 'description', 'color']));
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('in csv');
      const byAccept = await t
        .http()
        .get(`${TAGS}?name=csv-tag`)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Accept', 'text/csv');
      expect(byAccept.text).toBe(byParam.text);
      expect((await t.api.get(`${TAGS}?format=xml`)).status).toBe(400);
      // A bad filter is still a clean JSON 400.
      const bad = await t
        .http()
        .get(`${TAGS}?format=csv&nope=1`)
        .set('Authorization', `Token ${t.api.token}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ nope: ['Unknown filter field'] });
    });

    it('API-Version negotiation: a supported version is echoed, another is a 406', async () => {
      const ok = await t
        .http()
        .get(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Accept', 'application/json; version=2.1');
      expect(ok.status).toBe(200);
      expect(ok.headers['api-version']).toBe('2.1');
      const bad = await t
        .http()
        .get(TAGS)
        .set('Authorization', `Token ${t.api.token}`)
        .set('Accept', 'application/json; version=1.3');
      expect(bad.status).toBe(406);
      expect(bad.body.detail).toBe(
        'Invalid version in "Accept" header. Supported versions are 2.0, 2.1, 2.2, 2.3, 2.4.',
      );
      expect((await t.api.get(`${TAGS}?api_version=9.9`)).status).toBe(406);
      const plain = await t.api.get(TAGS);
      expect(plain.headers['api-version']).toBe('2.4');
    });
  });
});

async function adminId(t: TestApp): Promise<string> {
  return String((await t.api.get('/api/users/users/?username=admin')).body.results[0].id);
}

describe(onDatabase('login lockout (M3)'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PLINTH_LOGIN_MAX_FAILURES: '3' } });
    await t.createUser('m3-user');
  });
  afterAll(async () => {
    await t?.close();
  });

  const provision = (username: string, password: string) =>
    t.http().post('/api/users/tokens/provision/').send({ username, password });

  it('M3 repeated failures lock the username out, even for the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await provision('m3-user', 'wrong')).status).toBe(403);
    const locked = await provision('m3-user', 'user-password-1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The web login shares the lockout.
    const res = await new UiSession(t.baseUrl).tryLogin('m3-user', 'user-password-1');
    expect(res.status).toBe(429);
    expect(text(res.text)).toContain('Too many failed login attempts');
  });

  it('M3 an unknown username is locked out the same way', async () => {
    for (let i = 0; i < 3; i++) expect((await provision('no-such-user', 'wrong')).status).toBe(403);
    expect((await provision('no-such-user', 'wrong')).status).toBe(429);
  });

  it('M3 a failure takes as long whether the user exists or not', async () => {
    await t.sql('DELETE FROM core_loginfailure');
    const time = async (username: string): Promise<number> => {
      const started = process.hrtime.bigint();
      await provision(username, 'wrong-password');
      await t.sql('DELETE FROM core_loginfailure');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    // Nine of each: the medians of five moved by up to 40% while other suites ran beside it.
    for (let i = 0; i < 9; i++) {
      known.push(await time('admin'));
      unknown.push(await time(`ghost-${i}`));
    }
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
    expect(median(known) / median(unknown)).toBeGreaterThan(0.6);
  });

  it('M3 the session cookie is Secure behind a trusted HTTPS proxy', async () => {
    const proxied = await createTestApp({ env: { PLINTH_TRUST_PROXY: '1' } });
    try {
      const ui = new UiSession(proxied.baseUrl);
      const form = await ui.agent.get('/login/');
      const login = (proto: string) =>
        ui.agent
          .post('/login/')
          .set('X-Forwarded-Proto', proto)
          .type('form')
          .send({
            username: 'admin',
            password: 'admin-password-1',
            csrfmiddlewaretoken: UiSession.csrfIn(form.text),
          });
      const https = await login('https');
      expect(https.status).toBe(303);
      expect(String(https.headers['set-cookie'])).toMatch(/plinth_session=[^;]+;.*Secure/);
      const http = await login('http');
      expect(String(http.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });
});

describe(onDatabase('GraphQL introspection for staff only (H4)'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PLINTH_GRAPHQL_INTROSPECTION: 'staff' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('H4 introspection can be limited to staff', async () => {
    const { api } = await t.createUser('intro-user', [{ actions: ['view'], object_types: ['extras.tag'] }]);
    const denied = await gql(api, '{ __schema { queryType { name } } }');
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
    expect((await gql(api, '{ tags { name __typename } }')).status).toBe(200);
    expect((await gql(t.api, '{ __schema { queryType { name } } }')).status).toBe(200);
  });
});
