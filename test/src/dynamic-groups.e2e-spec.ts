import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

const GROUPS = '/api/extras/dynamic-groups/';
const MEMBERSHIPS = '/api/extras/dynamic-group-memberships/';
const STATIC = '/api/extras/static-group-associations/';
const TENANTS = '/api/tenancy/tenants/';

interface Named {
  id: string;
  name: string;
}

/**
 * Dynamic groups (Nautobot 2.3's shapes): filter-defined, group-of-groups and static groups,
 * their members at `<id>/members/` and as the `dynamic_groups` filter of every model with the
 * feature (REST, GraphQL, UI, permission constraints), an object's groups (`member_id`), and
 * bad definitions refused with the field named.
 */
describe(onDatabase('dynamic groups'), () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const names = (list: Named[]): string[] => list.map((x) => x.name).sort();
  const members = async (group: string): Promise<string[]> => {
    const res = await t.api.get(`${GROUPS}${group}/members/?limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(res.body.results.length);
    return names(res.body.results as Named[]);
  };
  const group = async (body: Record<string, unknown>): Promise<string> => {
    const res = await t.api.post(GROUPS, { content_type: 'tenancy.tenant', ...body });
    expect(res.status).toBe(201);
    return String(res.body.id);
  };

  beforeAll(async () => {
    t = await createTestApp();
    const [emea, apac] = await t.objects.create('tenancy.tenantgroup', [{ name: 'EMEA' }, { name: 'APAC' }]);
    const tenants = await t.objects.create('tenancy.tenant', [
      { name: 'acme', tenant_group: emea.id },
      { name: 'alpha', tenant_group: apac.id },
      { name: 'beta', tenant_group: emea.id },
      { name: 'gamma' },
    ]);
    for (const x of tenants) ids[String(x.name)] = String(x.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('collects objects by filter: members endpoint, dynamic_groups filter, GraphQL', async () => {
    const g = await group({ name: 'emea-tenants', filter: { tenant_group: ['EMEA'] } });
    ids.emea = g;
    expect(await members(g)).toEqual(['acme', 'beta']);
    // The same list from the content type's endpoint, with other filters beside it.
    const list = await t.api.get(`${TENANTS}?dynamic_groups=emea-tenants&name__isw=b`);
    expect(names(list.body.results as Named[])).toEqual(['beta']);
    const gql = await t.api.post('/api/graphql/', {
      query: `{ tenants(dynamic_groups: ["${g}"]) { name } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(names(gql.body.data.tenants as Named[])).toEqual(['acme', 'beta']);
    // Membership follows the data, with no refresh.
    await t.api.patch(`${TENANTS}${ids.gamma}/`, { tenant_group: 'EMEA' });
    expect(await members(g)).toEqual(['acme', 'beta', 'gamma']);
    await t.api.patch(`${TENANTS}${ids.gamma}/`, { tenant_group: null });
    // {} is the unfiltered list.
    const all = await group({ name: 'all-tenants', filter: {} });
    ids.all = all;
    expect(await members(all)).toEqual(['acme', 'alpha', 'beta', 'gamma']);
  });

  it('assigns members to static groups and combines groups with set operations', async () => {
    const fav = await group({ name: 'favourites', group_type: 'static' });
    ids.fav = fav;
    const res = await t.api.post(STATIC, [
      { dynamic_group: fav, associated_object_type: 'tenancy.tenant', associated_object_id: ids.alpha },
      { dynamic_group: fav, associated_object_type: 'tenancy.tenant', associated_object_id: ids.acme },
    ]);
    expect(res.status).toBe(201);
    expect(await members(fav)).toEqual(['acme', 'alpha']);

    const set = await group({ name: 'emea-or-fav-not-acme', group_type: 'dynamic-set' });
    ids.set = set;
    const links = await t.api.post(MEMBERSHIPS, [
      { parent_group: set, group: ids.emea, operator: 'union', weight: 10 },
      { parent_group: set, group: fav, operator: 'union', weight: 20 },
    ]);
    expect(links.status).toBe(201);
    expect(await members(set)).toEqual(['acme', 'alpha', 'beta']);
    const acmeOnly = await group({ name: 'acme-only', filter: { name: 'acme' } });
    const difference = await t.api.post(MEMBERSHIPS, {
      parent_group: set,
      group: acmeOnly,
      operator: 'difference',
      weight: 30,
    });
    expect(difference.status).toBe(201);
    expect(await members(set)).toEqual(['alpha', 'beta']);
    const intersection = await t.api.post(MEMBERSHIPS, {
      parent_group: set,
      group: ids.emea,
      operator: 'intersection',
      weight: 40,
    });
    expect(intersection.status).toBe(201);
    expect(await members(set)).toEqual(['beta']);
  });

  it('refuses bad definitions with the field named, keeping nothing', async () => {
    const bad = async (path: string, body: unknown, field: string): Promise<void> => {
      const res = await t.api.post(path, body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toContain(field);
    };
    await bad(
      GROUPS,
      { name: 'x1', content_type: 'tenancy.tenant', filter: { colour: 'red' } },
      'filter.colour',
    );
    await bad(
      GROUPS,
      { name: 'x2', content_type: 'tenancy.tenant', filter: { tenant_group: 'nowhere' } },
      'filter.tenant_group',
    );
    await bad(GROUPS, { name: 'x3', content_type: 'tenancy.tenant', filter: { name: { a: 1 } } }, 'filter');
    await bad(
      GROUPS,
      { name: 'x4', content_type: 'tenancy.tenant', filter: { dynamic_groups: 'favourites' } },
      'filter',
    );
    await bad(GROUPS, { name: 'x5', content_type: 'no.such', filter: {} }, 'content_type');
    await bad(
      GROUPS,
      { name: 'x6', content_type: 'tenancy.tenant', group_type: 'static', filter: { name: 'a' } },
      'filter',
    );
    // Static assignment: only to static groups, only of the group's type, only existing objects.
    await bad(
      STATIC,
      { dynamic_group: ids.emea, associated_object_type: 'tenancy.tenant', associated_object_id: ids.gamma },
      'dynamic_group',
    );
    await bad(
      STATIC,
      {
        dynamic_group: ids.fav,
        associated_object_type: 'tenancy.tenantgroup',
        associated_object_id: ids.gamma,
      },
      'associated_object_type',
    );
    await bad(
      STATIC,
      {
        dynamic_group: ids.fav,
        associated_object_type: 'tenancy.tenant',
        associated_object_id: '00000000-0000-4000-8000-000000000000',
      },
      'associated_object_id',
    );
    // Groups of groups: only under a dynamic-set parent, same content type, no cycles.
    await bad(
      MEMBERSHIPS,
      { parent_group: ids.emea, group: ids.fav, operator: 'union', weight: 1 },
      'parent_group',
    );
    const other = await t.api.post(GROUPS, {
      name: 'groups-of-tenant-groups',
      content_type: 'tenancy.tenantgroup',
      filter: {},
    });
    expect(other.status).toBe(201);
    await bad(
      MEMBERSHIPS,
      { parent_group: ids.set, group: other.body.id, operator: 'union', weight: 50 },
      'group',
    );
    const outer = await group({ name: 'outer', group_type: 'dynamic-set' });
    expect(
      (await t.api.post(MEMBERSHIPS, { parent_group: outer, group: ids.set, operator: 'union', weight: 1 }))
        .status,
    ).toBe(201);
    await bad(MEMBERSHIPS, { parent_group: ids.set, group: outer, operator: 'union', weight: 60 }, 'group');
    await bad(MEMBERSHIPS, { parent_group: ids.set, group: ids.set, operator: 'union', weight: 60 }, 'group');
    // The content type stays while the group has members assigned; a bulk write is atomic.
    const moved = await t.api.patch(`${GROUPS}${ids.fav}/`, { content_type: 'tenancy.tenantgroup' });
    expect(moved.status).toBe(400);
    expect(moved.body).toHaveProperty('content_type');
    const bulk = await t.api.post(GROUPS, [
      { name: 'fine', content_type: 'tenancy.tenant', filter: {} },
      { name: 'broken', content_type: 'tenancy.tenant', filter: { colour: 'red' } },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${GROUPS}?name=fine`)).body.count).toBe(0);
    // An unknown group in the filter of a list is a 400 naming it.
    const unknown = await t.api.get(`${TENANTS}?dynamic_groups=nope`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toHaveProperty('dynamic_groups');
    const wrongType = await t.api.get(`/api/tenancy/tenant-groups/?dynamic_groups=emea-tenants`);
    expect(wrongType.status).toBe(400);
  });

  it("lists an object's groups and scopes permissions by group membership", async () => {
    const holding = await t.api.get(`${GROUPS}?member_id=${ids.acme}`);
    expect(names(holding.body.results as Named[])).toEqual([
      'acme-only',
      'all-tenants',
      'emea-tenants',
      'favourites',
    ]);
    const { api } = await t.createUser('emea-viewer', [
      { actions: ['view'], object_types: ['tenancy.tenant'], constraints: { dynamic_groups: ids.emea } },
    ]);
    const scoped = await api.get(TENANTS);
    expect(names(scoped.body.results as Named[])).toEqual(['acme', 'beta']);
    expect((await api.get(`${TENANTS}${ids.alpha}/`)).status).toBe(404);
    // Members are listed only as far as the user may view them; the group itself needs view too.
    expect((await api.get(`${GROUPS}${ids.all}/members/`)).status).toBe(403);
  });

  it('shows members on the group page and the groups on the object page', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const tab = await ui.get(`/extras/dynamic-groups/${ids.emea}/?tab=members`);
    expect(tab.status).toBe(200);
    expect(text(tab.text)).toContain('acme');
    expect(tab.text).toContain(`/tenancy/tenants/?dynamic_groups=${ids.emea}`);
    const page = await ui.get(`/tenancy/tenants/${ids.beta}/`);
    expect(page.status).toBe(200);
    const body = text(page.text);
    expect(body).toContain('Dynamic Groups');
    expect(body).toContain('emea-tenants');
    expect(body).not.toContain('favourites');
    const filtered = await ui.get(`/tenancy/tenants/?dynamic_groups=${ids.fav}`);
    expect(text(filtered.text)).toContain('alpha');
    expect(text(filtered.text)).not.toContain('beta');
  });

  it('removes static assignments with the object, change-logged', async () => {
    await t.api.delete(`${TENANTS}${ids.alpha}/`);
    expect(await members(ids.fav)).toEqual(['acme']);
    const changes = await t.api.get(
      `/api/extras/object-changes/?changed_object_type=extras.staticgroupassociation&action=delete`,
    );
    expect(changes.body.count).toBe(1);
    // A group that is a child of another cannot be deleted out from under it.
    expect((await t.api.delete(`${GROUPS}${ids.emea}/`)).status).toBe(409);
  });
});
