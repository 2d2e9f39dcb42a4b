import {
  GRAPHQL_EXECUTOR,
  TEMPLATE_RENDERER,
  toAuthUser,
  type AuthUser,
  type GraphQLExecutor,
  type TemplateRenderer,
} from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

/** The SDK doors plugins use to render user-authored templates and run saved GraphQL queries. */
describe(onDatabase('SDK doors: TEMPLATE_RENDERER and GRAPHQL_EXECUTOR'), () => {
  let t: TestApp;
  let graphql: GraphQLExecutor;
  let admin: AuthUser;

  beforeAll(async () => {
    t = await createTestApp();
    graphql = t.app.get<GraphQLExecutor>(GRAPHQL_EXECUTOR);
    const [row] = await t.objects.find('users.user', { username: 'admin' });
    admin = toAuthUser(row as unknown as AuthUser);
    await t.api.post('/api/dcim/manufacturers/', [{ name: 'Acme' }, { name: 'Globex' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('renders templates in the sandbox', async () => {
    const renderer = t.app.get<TemplateRenderer>(TEMPLATE_RENDERER);
    await expect(renderer.render('{{ a | upper }}-{{ b.c }}', { a: 'x', b: { c: 2 } })).resolves.toBe('X-2');
    await expect(renderer.render('{{ a.constructor }}', { a: 'x' })).rejects.toThrow(/not allowed/);
    expect(renderer.syntaxError('{% if %}')).toBeTruthy();
    expect(renderer.syntaxError('{{ a }}')).toBeNull();
    await expect(
      renderer.renderMany([
        { source: '{{ n }}', context: { n: 1 } },
        { source: '{% for %}', context: {} },
      ]),
    ).resolves.toEqual([{ ok: true, output: '1' }, expect.objectContaining({ ok: false })]);
  });

  it('runs queries with variables as the given user, scoped by their permissions', async () => {
    const query = 'query ($name: [String!]) { manufacturers(name: $name) { name } }';
    await expect(graphql.execute(query, { user: admin, variables: { name: ['Acme'] } })).resolves.toEqual({
      data: { manufacturers: [{ name: 'Acme' }] },
      errors: [],
    });
    const { user } = await t.createUser('only-globex', [
      { actions: ['view'], object_types: ['dcim.manufacturer'], constraints: { name: 'Globex' } },
    ]);
    const scoped = await graphql.execute('{ manufacturers { name } }', { user: toAuthUser(user as never) });
    expect(scoped).toEqual({ data: { manufacturers: [{ name: 'Globex' }] }, errors: [] });
    const anonymous = await graphql.execute('{ manufacturers { name } }', { user: null });
    expect(anonymous.errors.length).toBeGreaterThan(0);
  });

  it('refuses mutations, bad syntax and queries over the limits without running them', async () => {
    const mutation = await graphql.execute('mutation { x }', { user: admin });
    expect(mutation.data).toBeNull();
    expect(mutation.errors.join(' ')).toMatch(/read-only/);
    expect((await graphql.execute('{ manufacturers {', { user: admin })).errors[0]).toMatch(/Syntax Error/);
    const deep = `{ devices { location { ${'parent { '.repeat(30)}name${' }'.repeat(30)} } } }`;
    expect((await graphql.execute(deep, { user: admin })).errors[0]).toMatch(/depth/);
  });
});
