import * as path from 'node:path';
import { AuthenticationService, ModelRegistry } from '@plinth/core';
import { GraphQLSchemaFactory, graphqlSchemaSdl, type SchemaFactoryOptions } from '@plinth/graphql';
import { createTestApp, onDatabase, type ApiClient, type ApiResponse, type TestApp } from '@plinth/testing';

const GRAPHQL = '/api/graphql/';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.objects.create('extras.tag', [
    { name: 'alpha', color: 'ff0000', content_types: ['dcim.device'] },
    { name: 'beta', color: '00ff00' },
    { name: 'gamma', color: '0000ff', description: 'third' },
  ]);
});
afterAll(async () => {
  await t?.close();
});

function gql(
  query: string,
  variables?: Record<string, unknown>,
  api: ApiClient = t.api,
): Promise<ApiResponse> {
  return api.post(GRAPHQL, { query, variables });
}

/** A browser session of the superuser (the login page is not this suite's business). */
async function adminSession(): Promise<{ cookie: string; csrf_token: string }> {
  const [admin] = await t.objects.find('users.user', { username: 'admin' });
  return t.app.get(AuthenticationService).createSession({
    id: String(admin.id),
    username: 'admin',
    is_superuser: true,
    is_active: true,
  });
}

/** Users `<prefix>0..n-1`, each in the two groups `<prefix>g0/g1`, with one token each. */
async function usersWithGroupsAndTokens(prefix: string, n: number): Promise<void> {
  const groups = await t.objects.create('users.group', [{ name: `${prefix}g0` }, { name: `${prefix}g1` }]);
  const users = await t.objects.create(
    'users.user',
    Array.from({ length: n }, (_, i) => ({
      username: `${prefix}${String(i).padStart(2, '0')}`,
      groups: groups.map((g) => g.id),
    })),
  );
  await t.objects.create(
    'users.token',
    users.map((u) => ({ user: u.id, description: `token of ${String(u.username)}` })),
  );
}

describe(onDatabase('GraphQL API'), () => {
  describe('endpoint and authentication', () => {
    it('answers token-authenticated queries with Nautobot-style snake_case fields', async () => {
      const res = await gql(
        '{ users { id object_type display url created last_updated username is_superuser } }',
      );
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      const admin = res.body.data.users.find((u: { username: string }) => u.username === 'admin');
      expect(admin).toMatchObject({ object_type: 'users.user', display: 'admin', is_superuser: true });
      expect(admin.url).toBe(`${t.baseUrl}/api/users/users/${admin.id}/`);
      expect(admin.created).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(res.headers['api-version']).toBeDefined();
    });

    it('runs the operation named by operationName', async () => {
      const res = await t.api.post(GRAPHQL, {
        query: 'query A { tags(name: "alpha") { name } } query B($n: String!) { tags(name: [$n]) { name } }',
        variables: { n: 'gamma' },
        operationName: 'B',
      });
      expect(res.body).toEqual({ data: { tags: [{ name: 'gamma' }] } });
    });

    it('refuses anonymous requests with 403 as REST does', async () => {
      for (const url of ['/api/graphql/', '/api/graphql']) {
        const res = await t.http().post(url).send({ query: '{ users { id } }' });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      }
      const bad = await t
        .http()
        .post(GRAPHQL)
        .set('Authorization', 'Token nope')
        .send({ query: '{ tags { id } }' });
      expect(bad.status).toBe(403);
    });

    it('accepts read-only tokens (the API is read-only) and pynautobot’s content type', async () => {
      const { token } = await t.createUser(
        'gql-reader',
        [{ actions: ['view'], object_types: ['extras.tag'] }],
        {
          write_enabled: false,
        },
      );
      const res = await t
        .http()
        .post(GRAPHQL)
        .set('Authorization', `Token ${token}`)
        .set('Content-Type', 'application/json;')
        .send(JSON.stringify({ query: '{ tags(sort: ["name"]) { name } }' }));
      expect(res.status).toBe(200);
      expect(res.body.data.tags.map((x: { name: string }) => x.name)).toEqual(['alpha', 'beta', 'gamma']);
    });

    it('accepts session cookies (as GraphiQL sends them)', async () => {
      const session = await adminSession();
      const res = await t
        .http()
        .post(GRAPHQL)
        .set('Cookie', `plinth_session=${session.cookie}`)
        .set('X-CSRFToken', session.csrf_token)
        .send({ query: '{ tags(name: "beta") { name } }' });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ tags: [{ name: 'beta' }] });
    });

    it('answers malformed requests with 400, never 500', async () => {
      expect((await t.api.post(GRAPHQL, {})).status).toBe(400);
      expect((await t.api.post(GRAPHQL, { query: '{ users { ' })).status).toBe(400);
      const unknownField = await gql('{ users { nope } }');
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.errors[0].message).toBe('Cannot query field "nope" on type "UserType".');
      const unknownFilter = await gql('{ users(nope: "x") { id } }');
      expect(unknownFilter.status).toBe(400);
      expect(unknownFilter.body.errors[0].message).toMatch(/Unknown argument "nope"/);
      const wrongType = await gql('{ users(is_active: "maybe") { id } }');
      expect(wrongType.status).toBe(400);
      const mutation = await gql('mutation { users { id } }');
      expect(mutation.status).toBe(400);
      expect(mutation.body.errors[0].message).toBe(
        "Plinth's GraphQL API is read-only: mutation operations are not supported.",
      );
    });
  });

  describe('single-object queries', () => {
    it('returns an object by id, null when missing, and an error for a malformed id', async () => {
      const [beta] = await t.objects.find('extras.tag', { name: 'beta' });
      const res = await gql('query ($id: ID!) { tag(id: $id) { name color } }', { id: beta.id });
      expect(res.body.data).toEqual({ tag: { name: 'beta', color: '00ff00' } });
      const missing = await gql('{ tag(id: "00000000-0000-4000-8000-000000000000") { name } }');
      expect(missing.body).toEqual({ data: { tag: null } });
      const bad = await gql('{ tag(id: "not-a-uuid") { name } }');
      expect(bad.status).toBe(200);
      expect(bad.body.errors[0]).toMatchObject({
        message: 'id: "not-a-uuid" is not a valid UUID.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });

  describe('list queries take the REST filters', () => {
    const names = (res: ApiResponse, field = 'tags'): string[] =>
      res.body.data[field].map((x: { name: string }) => x.name);

    it('with the same names and lookups, repeated values as lists', async () => {
      const cases: [string, string, string[]][] = [
        ['name: "alpha"', 'name=alpha', ['alpha']],
        ['name: ["alpha", "gamma"]', 'name=alpha&name=gamma', ['alpha', 'gamma']],
        ['name__ic: "ET"', 'name__ic=ET', ['beta']],
        ['name__n: ["alpha"]', 'name__n=alpha', ['beta', 'gamma']],
        ['name__isw: "g"', 'name__isw=g', ['gamma']],
        ['name__re: "^(a|b)"', 'name__re=^(a|b)', ['alpha', 'beta']],
        ['description__ie: "THIRD"', 'description__ie=THIRD', ['gamma']],
        ['content_types: "dcim.device"', 'content_types=dcim.device', ['alpha']],
        ['for_content_type: "dcim.rack"', 'for_content_type=dcim.rack', ['beta', 'gamma']],
        ['q: "amm"', 'q=amm', ['gamma']],
      ];
      for (const [args, query, expected] of cases) {
        const res = await gql(`{ tags(${args}) { name } }`);
        expect({ args, names: names(res) }).toEqual({ args, names: expected });
        const rest = await t.api.get(`/api/extras/tags/?${query}`);
        expect(rest.body.results.map((x: { name: string }) => x.name)).toEqual(expected);
      }
    });

    it('with sort, limit and offset', async () => {
      expect(names(await gql('{ tags(sort: ["-name"]) { name } }'))).toEqual(['gamma', 'beta', 'alpha']);
      expect(names(await gql('{ tags(limit: 1, offset: 1) { name } }'))).toEqual(['beta']);
      expect(names(await gql('{ tags(limit: 0) { name } }'))).toEqual(['alpha', 'beta', 'gamma']);
      const vars = await gql('query ($n: Int, $f: [String!]) { tags(limit: $n, name: $f) { name } }', {
        n: 1,
        f: ['beta', 'gamma'],
      });
      expect(names(vars)).toEqual(['beta']);
    });

    it('on booleans, dates, foreign keys and many-to-many fields', async () => {
      await usersWithGroupsAndTokens('flt-', 2);
      const inactive = await gql('{ users(is_active: false) { username } }');
      expect(inactive.body.data.users).toEqual([]);
      const since = await gql(
        '{ tags(created__gte: "2000-01-01T00:00:00Z", created__lt: "2999-01-01") { name } }',
      );
      expect(names(since)).toEqual(['alpha', 'beta', 'gamma']);
      const byUser = await gql('{ tokens(user: "flt-01") { description user { username } } }');
      expect(byUser.body.data.tokens).toEqual([
        { description: 'token of flt-01', user: { username: 'flt-01' } },
      ]);
      const byGroup = await gql('{ users(groups: ["flt-g1"]) { username } }');
      expect(byGroup.body.data.users.map((u: { username: string }) => u.username)).toEqual([
        'flt-00',
        'flt-01',
      ]);
      const noGroup = await gql('{ users(groups__isnull: true, username: "admin") { username } }');
      expect(noGroup.body.data.users).toEqual([{ username: 'admin' }]);
    });

    it('with the same errors as REST for bad values, as GraphQL errors', async () => {
      const cases: [string, string, string][] = [
        ['object_changes(action: "explode")', '/api/extras/object-changes/?action=explode', 'action'],
        ['tags(created__gte: "not a date")', '/api/extras/tags/?created__gte=not+a+date', 'created__gte'],
        ['tokens(user: "nobody")', '/api/users/tokens/?user=nobody', 'user'],
        ['tags(id: "x")', '/api/extras/tags/?id=x', 'id'],
        ['tags(sort: ["nope"])', '/api/extras/tags/?sort=nope', 'sort'],
      ];
      for (const [field, restUrl, param] of cases) {
        const res = await gql(`{ ${field} { id } }`);
        expect(res.status).toBe(200);
        const error = res.body.errors?.[0];
        const rest = await t.api.get(restUrl);
        expect(rest.status).toBe(400);
        expect({ field, code: error?.extensions?.code, errors: error?.extensions?.field_errors }).toEqual({
          field,
          code: 'BAD_USER_INPUT',
          errors: { [param]: rest.body[param] },
        });
      }
      const regex = await gql('{ tags(name__re: "(") { id } }');
      expect(regex.status).toBe(200);
      expect(regex.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(regex.body.errors[0].message).toMatch(/Invalid regular expression/);
      const page = await gql('{ tags(limit: 1001) { id } }');
      expect(page.body.errors[0]).toMatchObject({
        message: 'limit: Ensure this value is between 0 and 1000.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });

  describe('relations', () => {
    it('resolves foreign keys to objects and lists m2m fields and reverse relations with filters', async () => {
      await usersWithGroupsAndTokens('rel-', 3);
      const res = await gql(`{
        groups(name: "rel-g0") {
          name
          users(username__n: "rel-01", sort: ["-username"]) { username }
          page: users(limit: 1, offset: 1) { username }
        }
        users(username: "rel-00") {
          groups { name }
          tokens { description user { username groups(name__iew: "g1") { name } } }
        }
      }`);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.groups).toEqual([
        {
          name: 'rel-g0',
          users: [{ username: 'rel-02' }, { username: 'rel-00' }],
          page: [{ username: 'rel-01' }],
        },
      ]);
      expect(res.body.data.users).toEqual([
        {
          groups: [{ name: 'rel-g0' }, { name: 'rel-g1' }],
          tokens: [
            { description: 'token of rel-00', user: { username: 'rel-00', groups: [{ name: 'rel-g1' }] } },
          ],
        },
      ]);
    });

    it('reports a bad nested filter once, on the field, not once per parent', async () => {
      const res = await gql(
        '{ groups(name__isw: "rel-") { name users(created__gte: "soon") { username } } }',
      );
      expect(res.status).toBe(200);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({
        path: ['groups', 0, 'users'],
        extensions: {
          code: 'BAD_USER_INPUT',
          field_errors: { created__gte: ['"soon" is not a valid date/time.'] },
        },
      });
      expect(res.body.data.groups).toEqual([
        { name: 'rel-g0', users: null },
        { name: 'rel-g1', users: null },
      ]);
    });

    it('exposes choice values (as Nautobot), their labels and JSON fields', async () => {
      const res = await gql(
        '{ object_changes(changed_object_type: "extras.tag", limit: 1) { action action_label change_context object_data user { username } } }',
      );
      expect(res.body.data.object_changes[0]).toMatchObject({
        action: 'create',
        action_label: 'Created',
        change_context: 'system',
        user: null,
      });
      expect(res.body.data.object_changes[0].object_data).toMatchObject({ name: expect.any(String) });
    });
  });

  describe('batched loading', () => {
    const shape = `query ($prefix: [String!]) {
      users(username__isw: $prefix) {
        username display url
        groups { name users(limit: 3) { username } }
        tokens { key_prefix user { username } }
        object_permissions { name }
      }
      object_changes(changed_object_type: "users.user", user__isnull: true, limit: 100) { object_repr user { username } }
    }`;

    it('runs as many SQL queries for 30 objects as for 2 (the query’s shape decides)', async () => {
      await usersWithGroupsAndTokens('few-', 2);
      await usersWithGroupsAndTokens('many-', 30);
      const few = await gql(shape, { prefix: 'few-' });
      const many = await gql(shape, { prefix: 'many-' });
      expect(few.body.errors).toBeUndefined();
      expect(many.body.errors).toBeUndefined();
      expect(few.body.data.users).toHaveLength(2);
      expect(many.body.data.users).toHaveLength(30);
      expect(many.body.data.users[29].groups[1].users).toHaveLength(3);
      expect(many.body.data.users[29].tokens[0].user.username).toBe('many-29');
      expect(many.queries).toBe(few.queries);
      // token auth, users, groups, groups.users, tokens, permissions, object changes (+ their users)
      expect(many.queries).toBeLessThanOrEqual(8);
    });

    // Levels are loaded ahead from the selection set; what it cannot see ahead (directives,
    // fragments on interfaces) is loaded by the field's resolvers, without reading anything twice.
    it('answers fragments, aliases with other arguments and directives as the plain query', async () => {
      await usersWithGroupsAndTokens('frag-', 3);
      const plain = await gql(`{
        users(username__isw: "frag-") {
          username groups { name users(limit: 2) { username } } tokens { user { username } }
        }
      }`);
      const shaped = `query ($with: Boolean!) {
        users(username__isw: "frag-") {
          ...U
          first: groups(limit: 1) { name }
          skipped: groups @include(if: $with) { name users { username } }
          ... on PlinthObject { object_type }
        }
      }
      fragment U on UserType {
        username
        groups { ... on GroupType { name users(limit: 2) { username } } }
        tokens { user { ...N } }
      }
      fragment N on UserType { username }`;
      const without = await gql(shaped, { with: false });
      const withIt = await gql(shaped, { with: true });
      expect(plain.body.errors).toBeUndefined();
      expect(without.body.errors).toBeUndefined();
      expect(withIt.body.errors).toBeUndefined();
      const users = without.body.data.users as Record<string, unknown>[];
      expect(users.map(({ username, groups, tokens }) => ({ username, groups, tokens }))).toEqual(
        plain.body.data.users,
      );
      expect(users[0].first).toEqual([{ name: 'frag-g0' }]);
      expect(users[0].object_type).toBe('users.user');
      expect(users[0]).not.toHaveProperty('skipped');
      expect(withIt.body.data.users[2].skipped).toEqual(
        (plain.body.data.users[2].groups as { name: string }[]).map((g) => ({
          name: g.name,
          users: expect.any(Array),
        })),
      );
      // Skipped, the field reads nothing; included, its groups are those read already and only
      // its users (without a limit: another query) cost a statement.
      expect(without.queries).toBe(plain.queries + 1);
      expect(withIt.queries).toBe(without.queries + 1);
    });

    // Nested lists are read with the columns their selection shows. A foreign key leading back
    // to objects read that way uses them when they hold what its own selection reads; when they
    // do not (more fields, a display), it reads whole rows: no partial row answers a field.
    it('reads nested lists with the columns the selection needs, and whole rows where they do not suffice', async () => {
      await usersWithGroupsAndTokens('cols-', 3);
      const shape = (userFields: string) => `{
        groups(name__isw: "cols-", limit: 2) {
          name
          users(limit: 5) { username tokens(limit: 2) { description user { ${userFields} } } }
        }
      }`;
      const covered = await gql(shape('username'));
      const wider = await gql(shape('username is_active display created ... on PlinthObject { url }'));
      expect(covered.body.errors).toBeUndefined();
      expect(wider.body.errors).toBeUndefined();
      const user = (res: typeof covered) =>
        (res.body.data.groups[0].users as { tokens: { user: unknown }[] }[])[1].tokens[0].user;
      expect(user(covered)).toEqual({ username: 'cols-01' });
      expect(user(wider)).toEqual({
        username: 'cols-01',
        is_active: true,
        display: 'cols-01',
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        url: expect.stringMatching(/\/api\/users\/users\/[0-9a-f-]{36}\/$/),
      });
      expect(wider.queries).toBe(covered.queries + 1);
    });
  });

  describe('permissions (the authorization service, as REST)', () => {
    let api: ApiClient;

    beforeAll(async () => {
      await usersWithGroupsAndTokens('perm-', 2);
      await usersWithGroupsAndTokens('secret-', 2);
      ({ api } = await t.createUser('gql-viewer', [
        { actions: ['view'], object_types: ['users.user'], constraints: { username__isw: 'perm-' } },
        { actions: ['view'], object_types: ['users.group'] },
        { actions: ['view'], object_types: ['extras.objectchange'] },
      ]));
    });

    it('lists only viewable objects, at the root and nested', async () => {
      const res = await gql(
        '{ users { username } groups(name__isw: "secret-") { name users { username } } }',
        undefined,
        api,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.users.map((u: { username: string }) => u.username)).toEqual([
        'perm-00',
        'perm-01',
      ]);
      expect(res.body.data.groups).toEqual([
        { name: 'secret-g0', users: [] },
        { name: 'secret-g1', users: [] },
      ]);
      const [secret] = await t.objects.find('users.user', { username: 'secret-00' });
      const one = await gql('query ($id: ID!) { user(id: $id) { username } }', { id: secret.id }, api);
      expect(one.body).toEqual({ data: { user: null } });
    });

    it('refuses root queries of models the user may not view, and hides them when nested', async () => {
      const root = await gql('{ permissions { name } }', undefined, api);
      expect(root.status).toBe(200);
      expect(root.body.errors[0]).toMatchObject({
        message: 'You do not have permission to view permissions.',
        extensions: { code: 'FORBIDDEN' },
      });
      const nested = await gql(
        '{ users(username: "perm-00") { username tokens { key_prefix } } }',
        undefined,
        api,
      );
      expect(nested.body).toEqual({ data: { users: [{ username: 'perm-00', tokens: [] }] } });
    });

    it('resolves a foreign key the user may not view to null', async () => {
      const { api: tokenViewer } = await t.createUser('gql-token-viewer', [
        { actions: ['view'], object_types: ['users.token'] },
      ]);
      const tokens = await gql(
        '{ tokens(limit: 2) { key_prefix user { username } } }',
        undefined,
        tokenViewer,
      );
      expect(tokens.body.errors).toBeUndefined();
      // Users see their own tokens only (whose user they may not view here).
      expect(tokens.body.data.tokens).toHaveLength(1);
      for (const token of tokens.body.data.tokens) expect(token.user).toBeNull();
    });
  });

  describe('limits', () => {
    it('rejects queries deeper than 8 levels', async () => {
      const deep =
        '{ users { groups { users { groups { users { groups { users { groups { name } } } } } } } } }';
      const res = await gql(deep);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        message: 'Query depth 9 exceeds the maximum of 8.',
        extensions: { code: 'QUERY_TOO_DEEP' },
      });
      const eight = await gql(
        '{ users(limit: 1) { groups(limit: 1) { users(limit: 1) { groups(limit: 1) { users(limit: 1) { groups(limit: 1) { users(limit: 1) { username } } } } } } } }',
      );
      expect(eight.status).toBe(200);
    });

    it('rejects more than 50 aliases', async () => {
      const aliases = (n: number) =>
        Array.from({ length: n }, (_, i) => `a${i}: tags(limit: 1) { name }`).join(' ');
      expect((await gql(`{ ${aliases(50)} }`)).status).toBe(200);
      const res = await gql(`{ ${aliases(51)} }`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({
        message: 'The query uses 51 aliases; the maximum is 50.',
        extensions: { code: 'TOO_MANY_ALIASES' },
      });
    });

    it('rejects queries whose estimated cost is too high, counting limits (also from variables)', async () => {
      const wide = '{ users { groups { users { groups { users { username } } } } } }';
      const res = await gql(wide);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors[0].message).toMatch(
        /^Query cost \d+ exceeds the maximum of 1000000: give its lists smaller limits\.$/,
      );
      const narrowed = await gql(
        'query ($n: Int) { users(limit: $n) { groups(limit: $n) { users(limit: $n) { groups(limit: $n) { users { username } } } } } }',
        { n: 5 },
      );
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.errors).toBeUndefined();
    });

    it('refuses huge documents while parsing', async () => {
      const fields = Array.from({ length: 20_001 }, () => 'name').join(' ');
      const res = await gql(`{ tags(limit: 1) { ${fields} } }`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(
        /^Syntax Error: Document contains more tha[nt] 20000 tokens/,
      );
    });

    it('allows introspection (GraphiQL needs it) whatever its depth', async () => {
      const res = await gql(
        '{ __schema { types { name fields { name type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } }',
      );
      expect(res.status).toBe(200);
      expect(res.body.data.__schema.types.map((x: { name: string }) => x.name)).toContain('UserType');
    });
  });

  describe('GraphiQL', () => {
    it('redirects anonymous browsers to the login page', async () => {
      const res = await t.http().get('/graphql/');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/login/?next=%2Fgraphql%2F');
    });

    it('serves logged-in users a page that loads only local assets', async () => {
      const session = await adminSession();
      const page = await t.http().get('/graphql/').set('Cookie', `plinth_session=${session.cookie}`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.text).toContain(`content="${session.csrf_token}"`);
      expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual(
        expect.arrayContaining([
          'static/graphiql.min.js',
          'static/react.production.min.js',
          'static/graphiql.min.css',
        ]),
      );
      for (const asset of assets) {
        const res = await t.http().get(`/graphql/${asset}`).buffer(true);
        expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
        expect(res.headers['content-type']).toMatch(/javascript|css/);
      }
      expect((await t.http().get('/graphql/static/../../package.json')).status).toBe(404);
      expect((await t.http().get('/graphql/static/nope.js')).status).toBe(404);
    });
  });
});

describe('GraphQL schema', () => {
  it('matches the reviewed SDL (update with jest -u when the models change on purpose)', async () => {
    expect(await graphqlSchemaSdl(t.app)).toMatchSnapshot();
  });
});

describe(onDatabase('GraphQL schema build'), () => {
  it('waits for the first request; concurrent first requests share one build', async () => {
    const build = jest.spyOn(GraphQLSchemaFactory.prototype, 'build');
    const app = await createTestApp();
    try {
      // Builds of this app's served schema (start-up checks plugins against the outline only).
      const models = app.app.get(ModelRegistry);
      const fullBuilds = () =>
        build.mock.contexts.filter((f) => {
          const factory = f as unknown as { models: unknown; options: SchemaFactoryOptions };
          return factory.models === models && factory.options.withArguments !== false;
        }).length;
      expect(fullBuilds()).toBe(0);
      const answers = await Promise.all([1, 2, 3].map(() => gql('{ tags { name } }', undefined, app.api)));
      expect(answers.map((r) => [r.status, r.body.errors])).toEqual([
        [200, undefined],
        [200, undefined],
        [200, undefined],
      ]);
      expect(fullBuilds()).toBe(1);
      await gql('{ users { username } }', undefined, app.api);
      expect(fullBuilds()).toBe(1);
    } finally {
      build.mockRestore();
      await app.close();
    }
  });
});

describe(onDatabase('GraphQL plugin clashes'), () => {
  it('fail start-up with one line naming the plugin', async () => {
    const fixture = path.resolve(__dirname, '../../libs/core/src/plugins/__fixtures__/graphql-clash');
    let message = '';
    try {
      const app = await createTestApp({ plugins: [fixture] });
      await app.close();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      'plugin "graphql_clash": GraphQL type "UserType" clashes with the type generated for model users.user',
    );
  });
});
