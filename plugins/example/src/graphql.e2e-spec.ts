import {
  createTestApp,
  onDatabase,
  type ApiClient,
  type ApiResponse,
  type TestApp,
} from '@plinth/plugin-sdk/testing';

const WIDGETS = '/api/plugins/example/widgets/';

describe(onDatabase('example plugin in GraphQL'), () => {
  let t: TestApp;

  const gql = (
    query: string,
    variables?: Record<string, unknown>,
    api: ApiClient = t.api,
  ): Promise<ApiResponse> => api.post('/api/graphql/', { query, variables });

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab', greeting: 'Hi' } },
    });
    await t.objects.create('extras.tag', [{ name: 'blue' }]);
    const owners = await t.objects.create(
      'users.user',
      Array.from({ length: 20 }, (_, i) => ({ username: `owner-${String(i).padStart(2, '0')}` })),
    );
    const kinds = ['gadget', 'gizmo', 'doohickey'];
    await t.objects.create(
      'example.widget',
      owners.flatMap((o, i) => [
        { name: `w-${i}-a`, kind: kinds[i % 3], status: 'Active', owner: o.id, tags: ['blue'] },
        { name: `w-${i}-b`, kind: kinds[(i + 1) % 3], status: 'Active', owner: o.id, quantity: 3 },
      ]),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exposes the plugin model automatically: type, single and list queries, REST filters', async () => {
    const res = await gql(`{
      widgets(owner: "owner-01", sort: ["name"]) {
        name kind kind_label quantity url object_type
        status { name } owner { username } tags { name } status_color
      }
      tagged: widgets(tags: "blue", quantity__gte: 1, limit: 2) { name }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.widgets).toEqual([
      expect.objectContaining({
        name: 'w-1-a',
        kind: 'gizmo',
        kind_label: 'Gizmo',
        quantity: 1,
        object_type: 'example.widget',
        status: { name: 'Active' },
        owner: { username: 'owner-01' },
        tags: [{ name: 'blue' }],
        status_color: '4caf50',
      }),
      expect.objectContaining({ name: 'w-1-b', kind: 'doohickey', quantity: 3, tags: [] }),
    ]);
    expect(res.body.data.widgets[0].url).toMatch(/\/api\/plugins\/example\/widgets\/[0-9a-f-]{36}\/$/);
    expect(res.body.data.tagged).toHaveLength(2);
    const bad = await gql('{ widgets(kind: "thing") { name } }');
    expect(bad.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field_errors: { kind: ['Select a valid choice. thing is not one of the available choices.'] },
    });
    const one = await gql('query ($id: ID!) { widget(id: $id) { name same_kind { name } } }', {
      id: res.body.data.widgets[0].url.split('/').at(-2),
    });
    expect(one.body.data.widget.name).toBe('w-1-a');
    expect(one.body.data.widget.same_kind.length).toBeGreaterThan(0);
    // Reverse relations of core models towards the plugin model appear too.
    const owners = await gql(
      '{ users(username: "owner-02") { widgets { name } } statuses(name: "Active") { widgets(limit: 1) { name } } }',
    );
    expect(owners.body.data.users).toEqual([{ widgets: [{ name: 'w-2-a' }, { name: 'w-2-b' }] }]);
    expect(owners.body.data.statuses[0].widgets).toHaveLength(1);
  });

  it('serves its own queries and fields, written as plain Nest resolvers', async () => {
    const res = await gql(`{
      widget_summary { instance_name total by_kind { kind label count } }
      widgets_of_kind(kind: "gizmo", limit: 2) { name kind greeting }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.widget_summary).toEqual({
      instance_name: 'lab',
      total: 40,
      by_kind: [
        { kind: 'gadget', label: 'Gadget', count: 13 },
        { kind: 'gizmo', label: 'Gizmo', count: 14 },
        { kind: 'doohickey', label: 'Doohickey', count: 13 },
      ],
    });
    expect(res.body.data.widgets_of_kind).toHaveLength(2);
    for (const w of res.body.data.widgets_of_kind) {
      expect(w.kind).toBe('gizmo');
      expect(w.greeting).toBe(`Hi (lab): ${w.name}`);
    }
  });

  it('batches its field on a core type: the same SQL queries for 2 users as for 20', async () => {
    const query = 'query ($n: Int) { users(username__isw: "owner-", limit: $n) { username widget_kinds } }';
    const few = await gql(query, { n: 2 });
    const many = await gql(query, { n: 20 });
    expect(few.body.errors).toBeUndefined();
    expect(many.body.data.users).toHaveLength(20);
    expect(many.body.data.users[0]).toEqual({ username: 'owner-00', widget_kinds: ['gadget', 'gizmo'] });
    expect(many.body.data.users[1]).toEqual({ username: 'owner-01', widget_kinds: ['doohickey', 'gizmo'] });
    expect(many.queries).toBe(few.queries);
  });

  it('reads through the authorization service in its resolvers too', async () => {
    const { api } = await t.createUser('gql-no-widgets', [
      { actions: ['view'], object_types: ['users.user'] },
    ]);
    const summary = await gql('{ widget_summary { total } }', undefined, api);
    expect(summary.body.errors[0]).toMatchObject({
      message: 'You do not have permission to view widgets.',
      extensions: { code: 'FORBIDDEN' },
    });
    const nested = await gql('{ users(username: "owner-00") { widgets { name } } }', undefined, api);
    expect(nested.body).toEqual({ data: { users: [{ widgets: [] }] } });
  });

  it('adds a field to every model with a feature, core and plugin alike, loaded per batch', async () => {
    const tags = await gql('{ tags(name: "blue") { name last_change { action object_repr } } }');
    expect(tags.body).toEqual({
      data: { tags: [{ name: 'blue', last_change: { action: 'create', object_repr: 'blue' } }] },
    });
    const query =
      'query ($n: Int) { widgets(limit: $n) { name last_change { action changed_object_type } } }';
    const few = await gql(query, { n: 2 });
    const many = await gql(query, { n: 30 });
    expect(many.body.data.widgets).toHaveLength(30);
    for (const w of many.body.data.widgets)
      expect(w.last_change).toEqual({ action: 'create', changed_object_type: 'example.widget' });
    expect(many.queries).toBe(few.queries);
    // Object changes have no change log of their own: no such field.
    const changes = await gql('{ object_changes { last_change { id } } }');
    expect(changes.status).toBe(400);
  });

  it('adds its types and fields to the schema', async () => {
    const res = await gql('{ __type(name: "UserType") { fields { name } } }');
    const fields = res.body.data.__type.fields.map((f: { name: string }) => f.name);
    expect(fields).toEqual(expect.arrayContaining(['username', 'widgets', 'widget_kinds']));
    const root = await gql('{ __schema { queryType { fields { name } } } }');
    expect(root.body.data.__schema.queryType.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['widget', 'widgets', 'widget_summary', 'widgets_of_kind']),
    );
  });

  it('keeps its REST summary endpoint on the same service', async () => {
    const res = await t.api.get('/api/plugins/example/summary/');
    expect(res.body).toEqual({ total: 40, by_kind: { gadget: 13, gizmo: 14, doohickey: 13 } });
    expect((await t.http().get(WIDGETS)).status).toBe(403);
  });
});
