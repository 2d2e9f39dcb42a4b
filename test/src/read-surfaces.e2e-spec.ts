import { createTestApp, onDatabase, type ApiClient, type TestApp } from '@plinth/testing';
import { buildDomainFixture, type DomainFixture } from './ui-domain-fixtures';
import { UiSession, text } from './ui-helpers';

/**
 * Every read surface goes through the one read path: a user who may view devices but not
 * interfaces, locations, prefixes, example widgets or the change log gets nothing of those from
 * any surface — REST lists, details, OPTIONS and nested objects; GraphQL roots and nested fields;
 * every UI page (lists, details, CSV export, change-log tab, home counts, search, related counts,
 * domain tabs, plugin panels); the trace and allocation endpoints; plugin endpoints and resolvers.
 */
describe(onDatabase('read surfaces are permission-scoped'), () => {
  let t: TestApp;
  let f: DomainFixture;
  let api: ApiClient;
  let token: string;
  let ui: UiSession;
  let iface: string;
  let device: string;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    f = await buildDomainFixture(t.objects);
    await t.objects.create('example.widget', [{ name: 'secret-widget', kind: 'gizmo', status: 'Active' }]);
    device = f.leaf1.id;
    iface = Object.values(f.iface)[0].id;
    ({ api, token } = await t.createUser(
      'blind',
      [
        {
          actions: ['view'],
          object_types: ['dcim.device', 'dcim.devicetype', 'extras.status', 'extras.role'],
        },
      ],
      { password: 'blind-password-1' },
    ));
    ui = await new UiSession(t.baseUrl).login('blind', 'blind-password-1');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('REST: lists, details and OPTIONS of unviewable models answer 403', async () => {
    for (const path of ['/api/dcim/interfaces/', `/api/dcim/interfaces/${iface}/`, '/api/dcim/locations/']) {
      expect((await api.get(path)).status).toBe(403);
    }
    expect((await api.options('/api/dcim/interfaces/')).status).toBe(403);
    expect((await api.get('/api/plugins/example/widgets/')).status).toBe(403);
    expect((await api.get('/api/extras/object-changes/')).status).toBe(403);
  });

  it('REST: nested objects the user may not view stay references (?depth=)', async () => {
    const res = await api.get(`/api/dcim/devices/${device}/?depth=2`);
    expect(res.status).toBe(200);
    expect(res.body.location).toEqual({
      id: f.ams1.id,
      object_type: 'dcim.location',
      url: expect.stringContaining('/api/dcim/locations/'),
    });
    expect(res.body.device_type.model).toBeDefined(); // viewable: nested in full
  });

  it('GraphQL: roots are forbidden, nested objects null or left out', async () => {
    const root = await api.post('/api/graphql/', { query: '{ interfaces { name } }' });
    expect(root.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const nested = await api.post('/api/graphql/', {
      query: `{ device(id: "${device}") { name location { name } interfaces { name } } }`,
    });
    expect(nested.body.errors).toBeUndefined();
    expect(nested.body.data.device).toMatchObject({ location: null, interfaces: [] });
    const plugin = await api.post('/api/graphql/', { query: '{ widgets_of_kind(kind: "gizmo") { name } }' });
    expect(plugin.body.data?.widgets_of_kind ?? null).toBeNull();
    expect(plugin.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('domain and plugin endpoints read as the user', async () => {
    expect((await api.get(`/api/dcim/interfaces/${iface}/trace/`)).status).toBe(403);
    expect((await api.get(`/api/ipam/prefixes/${f.network.id}/available-ips/`)).status).toBe(403);
    expect((await api.get('/api/plugins/example/summary/')).status).toBe(403);
  });

  it('user-authored templates render only what the user may view', async () => {
    // An export template on a model the user cannot view: refused like the list itself.
    for (const content_type of ['dcim.interface', 'dcim.device']) {
      const res = await t.api.post('/api/extras/export-templates/', {
        content_type,
        name: 'names',
        template_code:
          '{% for o in queryset %}{{ o.name }}|{{ o.location.name }}|{{ o.location.display }};{% endfor %}',
      });
      expect(res.status).toBe(201);
    }
    expect((await api.get('/api/dcim/interfaces/?export=names')).status).toBe(403);
    // On a model the user can view, nested objects they cannot view stay references.
    const devices = await t
      .http()
      .get('/api/dcim/devices/?export=names')
      .set('Authorization', `Token ${token}`);
    expect(devices.status).toBe(200);
    expect(devices.text).toContain(String(f.leaf1.name));
    expect(devices.text).not.toContain(String(f.ams1.name));
    // Computed fields see the object's own stored values only (related objects as ids).
    await t.api.post('/api/extras/computed-fields/', {
      content_type: 'dcim.device',
      key: 'where',
      label: 'Where',
      template: '{{ obj.location }}',
    });
    const computed = await api.get(`/api/dcim/devices/${device}/?include=computed_fields`);
    expect(computed.status).toBe(200);
    expect(computed.body.computed_fields.where).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('UI: list, detail, CSV export and change-log pages of unviewable models answer 403', async () => {
    for (const path of [
      '/dcim/interfaces/',
      `/dcim/interfaces/${iface}/`,
      `/dcim/interfaces/${iface}/changelog/`,
      '/dcim/interfaces/?export=csv',
      '/plugins/example/widgets/',
    ]) {
      expect([path, (await ui.get(path)).status]).toEqual([path, 403]);
    }
  });

  it('UI: home counts, search, related counts, domain tabs and plugin panels show nothing unviewable', async () => {
    const home = text((await ui.get('/')).text);
    expect(home).toContain('Devices');
    expect(home).not.toMatch(/Interfaces \d/);
    expect(home).not.toContain('Example Plugin');

    const search = text((await ui.get(`/search/?q=${encodeURIComponent(f.leaf1.name as string)}`)).text);
    expect(search).toMatch(/Devices \d+ result/);
    const ifaceSearch = text((await ui.get('/search/?q=eth')).text);
    expect(ifaceSearch).not.toMatch(/Interfaces \d+ result/);

    const page = await ui.get(`/dcim/devices/${device}/`);
    expect(page.status).toBe(200);
    const detail = text(page.text);
    expect(detail).not.toMatch(/Interfaces \d+/);
    // The example plugin's panel counts interfaces through UiContext.objects: none for this user.
    expect(detail).toContain('has 0 interfaces');

    const tab = text((await ui.get(`/dcim/devices/${device}/?tab=interfaces`)).text);
    for (const name of Object.keys(f.iface)) expect(tab).not.toContain(` ${name} `);
  });
});
