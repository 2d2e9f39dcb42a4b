import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigContextFolder, syncConfigContexts } from '@plinth/dcim';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, type Obj, type Site } from './dcim-fixtures';
import { UiSession, text } from './ui-helpers';

const CONTEXTS = '/api/extras/config-contexts/';
const SCHEMAS = '/api/extras/config-context-schemas/';

/**
 * Config contexts and config context schemas (Nautobot 2.x shapes): scoping (every non-empty
 * scope list must match; locations and tenant groups with descendants; active only), the merge
 * (weight, then name, deep; local data last), JSON Schema validation, `?include=config_context`
 * with a constant number of queries, GraphQL, CSV, the change log, permissions and data-source
 * ownership.
 */
describe(onDatabase('config contexts'), () => {
  let t: TestApp;
  let s: Site;
  let platform: Obj;
  let otherPlatform: Obj;
  let deviceType: Obj;
  let parentGroup: Obj;
  let tenant: Obj;
  let tag: Obj;
  let d1: Obj;
  let d2: Obj;

  const device = async (name: string, extra: Obj): Promise<Obj> =>
    create(t.api, DCIM.devices, {
      name,
      device_type: deviceType.id,
      role: s.role.id,
      status: 'Active',
      ...extra,
    });
  const rendered = async (id: string): Promise<Obj> => {
    const res = await t.api.get(`${DCIM.devices}${id}/?include=config_context`);
    expect(res.status).toBe(200);
    return res.body.config_context as Obj;
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    deviceType = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'S1' });
    platform = await create(t.api, DCIM.platforms, { name: 'eos' });
    otherPlatform = await create(t.api, DCIM.platforms, { name: 'junos' });
    parentGroup = await create(t.api, '/api/tenancy/tenant-groups/', { name: 'Customers' });
    const childGroup = await create(t.api, '/api/tenancy/tenant-groups/', {
      name: 'Retail',
      parent: parentGroup.id,
    });
    tenant = await create(t.api, '/api/tenancy/tenants/', { name: 'Shop', tenant_group: childGroup.id });
    tag = await create(t.api, '/api/extras/tags/', { name: 'edge' });
    d1 = await device('leaf1', {
      location: s.room.id,
      platform: platform.id,
      tenant: tenant.id,
      tags: [tag.id],
    });
    d2 = await device('leaf2', { location: s.otherSite.id, platform: otherPlatform.id });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('validates config context schemas as JSON Schema documents (400 naming data_schema)', async () => {
    const bad = await t.api.post(SCHEMAS, { name: 'broken', data_schema: { type: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.data_schema[0]).toMatch(/Invalid JSON Schema/);
    const notObject = await t.api.post(SCHEMAS, { name: 'list', data_schema: [1] });
    expect(notObject.status).toBe(400);
    expect(notObject.body.data_schema).toBeDefined();
    const ok = await t.api.post(SCHEMAS, {
      name: 'ntp',
      description: 'NTP servers',
      data_schema: {
        type: 'object',
        properties: { ntp: { type: 'array', items: { type: 'string', format: 'ipv4' } } },
        required: ['ntp'],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'ntp', description: 'NTP servers', owner_content_type: '' });
  });

  it('validates context data against its schema: 400 naming data with the schema error path', async () => {
    const schema = (await t.api.get(`${SCHEMAS}?name=ntp`)).body.results[0] as Obj;
    const bad = await t.api.post(CONTEXTS, {
      name: 'bad-ntp',
      data: { ntp: ['not-an-ip'] },
      config_context_schema: schema.id,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.data[0]).toContain('/ntp/0');
    expect(bad.body.data[0]).toContain('ipv4');
    const notObject = await t.api.post(CONTEXTS, { name: 'list', data: [1, 2] });
    expect(notObject.status).toBe(400);
    expect(notObject.body.data).toBeDefined();
    // Bulk create is atomic: one bad context keeps the good one out.
    const bulk = await t.api.post(CONTEXTS, [
      { name: 'fine', data: { ntp: ['10.0.0.1'] }, config_context_schema: schema.id },
      { name: 'wrong', data: {}, config_context_schema: schema.id },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${CONTEXTS}?name=fine`)).body.count).toBe(0);
  });

  it('scopes and merges contexts as Nautobot does', async () => {
    const schema = (await t.api.get(`${SCHEMAS}?name=ntp`)).body.results[0] as Obj;
    const contexts = [
      {
        name: 'global',
        weight: 100,
        data: { ntp: ['10.0.0.1'], dns: { primary: '1.1.1.1', search: ['a'] } },
      },
      {
        name: 'europe',
        weight: 200,
        config_context_schema: schema.id,
        locations: [s.region.id],
        data: { ntp: ['10.0.0.2'], dns: { secondary: '8.8.8.8', search: ['b'] } },
      },
      { name: 'fra-only', weight: 200, locations: [s.otherSite.id], data: { site: 'fra' } },
      { name: 'eos-leaf', weight: 300, roles: [s.role.id], platforms: [platform.id], data: { os: 'eos' } },
      {
        name: 'eos-other-role',
        weight: 300,
        roles: [s.role.id],
        platforms: [otherPlatform.id],
        device_types: [deviceType.id],
        data: { os: 'junos' },
      },
      { name: 'customers', weight: 400, tenant_groups: [parentGroup.id], data: { billing: 'group' } },
      { name: 'shop', weight: 400, tenants: [tenant.id], data: { billing: 'tenant' } },
      { name: 'tagged', weight: 400, tags: [tag.id], data: { edge: true } },
      { name: 'disabled', weight: 900, is_active: false, data: { ntp: ['0.0.0.0'] } },
      // An ancestor and its descendant in one list still count as one matched list.
      { name: 'both-levels', weight: 250, locations: [s.region.id, s.room.id], data: { levels: 2 } },
      { name: 'loc-and-tag', weight: 250, locations: [s.region.id], tags: [tag.id], data: { both: true } },
      { name: 'b-same', weight: 500, data: { same: 'b' } },
      { name: 'a-same', weight: 500, data: { same: 'a' } },
    ];
    const res = await t.api.post(CONTEXTS, contexts);
    expect(res.status).toBe(201);
    const eur = (res.body as Obj[]).find((c) => c.name === 'europe')!;
    expect(eur).toMatchObject({
      weight: 200,
      is_active: true,
      locations: [{ id: s.region.id }],
      roles: [],
      device_types: [],
      platforms: [],
      tenant_groups: [],
      tenants: [],
      tags: [],
      config_context_schema: { id: schema.id },
    });

    expect(await rendered(d1.id)).toEqual({
      ntp: ['10.0.0.2'],
      dns: { primary: '1.1.1.1', secondary: '8.8.8.8', search: ['b'] },
      levels: 2,
      both: true,
      os: 'eos',
      billing: 'tenant',
      edge: true,
      same: 'b',
    });
    expect(await rendered(d2.id)).toEqual({
      ntp: ['10.0.0.2'],
      dns: { primary: '1.1.1.1', secondary: '8.8.8.8', search: ['b'] },
      site: 'fra',
      levels: 2,
      os: 'junos',
      same: 'b',
    });
  });

  it('merges local config context data last and validates it against the local schema', async () => {
    const schema = (await t.api.get(`${SCHEMAS}?name=ntp`)).body.results[0] as Obj;
    const bad = await t.api.patch(`${DCIM.devices}${d1.id}/`, {
      local_config_context_schema: schema.id,
      local_config_context_data: { ntp: [42] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.local_config_context_data[0]).toContain('/ntp/0');
    const noData = await t.api.patch(`${DCIM.devices}${d1.id}/`, { local_config_context_schema: schema.id });
    expect(noData.status).toBe(400);
    expect(noData.body.local_config_context_schema).toBeDefined();
    const ok = await t.api.patch(`${DCIM.devices}${d1.id}/`, {
      local_config_context_schema: schema.id,
      local_config_context_data: { ntp: ['192.0.2.1'], dns: { primary: '9.9.9.9' } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.local_config_context_schema).toMatchObject({ id: schema.id });
    expect(ok.body).not.toHaveProperty('config_context');
    expect(await rendered(d1.id)).toMatchObject({
      ntp: ['192.0.2.1'],
      dns: { primary: '9.9.9.9', secondary: '8.8.8.8', search: ['b'] },
    });
    // A schema in use by a device cannot be deleted (Nautobot's PROTECT).
    expect((await t.api.delete(`${SCHEMAS}${schema.id}/`)).status).toBe(409);
  });

  it('renders config_context for a page of devices in a constant number of queries', async () => {
    const loc = [s.room.id, s.site.id, s.otherSite.id];
    await t.api.post(
      DCIM.devices,
      Array.from({ length: 50 }, (_, i) => ({
        name: `bulk${String(i).padStart(2, '0')}`,
        device_type: deviceType.id,
        role: s.role.id,
        status: 'Active',
        location: loc[i % 3],
        platform: i % 2 ? platform.id : otherPlatform.id,
        tenant: i % 4 ? null : tenant.id,
      })),
    );
    const few = await t.api.get(`${DCIM.devices}?name__isw=bulk&limit=5&include=config_context`);
    const many = await t.api.get(`${DCIM.devices}?name__isw=bulk&limit=50&include=config_context`);
    const plain = await t.api.get(`${DCIM.devices}?name__isw=bulk&limit=50`);
    expect(many.body.results).toHaveLength(50);
    expect(many.queries).toBe(few.queries);
    expect(many.queries - plain.queries).toBe(3);
    expect(plain.body.results[0]).not.toHaveProperty('config_context');
    const fra = (many.body.results as Obj[]).find((d) => d.location.id === s.otherSite.id)!;
    expect(fra.config_context.site).toBe('fra');
  });

  it('shows config_context on the GraphQL device type, and contexts with their scopes', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ devices(name: "leaf2") { name config_context }
                config_contexts(name: "europe") { name weight is_active locations { name } config_context_schema { name } } }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.devices[0].config_context).toMatchObject({ site: 'fra', os: 'junos' });
    expect(res.body.data.config_contexts).toEqual([
      {
        name: 'europe',
        weight: 200,
        is_active: true,
        locations: [{ name: s.region.name }],
        config_context_schema: { name: 'ntp' },
      },
    ]);
  });

  it('exports and imports contexts as CSV, and change-logs them', async () => {
    const csv = await t
      .http()
      .get(`${CONTEXTS}?format=csv&name=europe`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(expect.arrayContaining(['name', 'weight', 'data', 'locations']));
    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/extras/config-contexts/import/', {
      csv_data: 'name,weight,data\ncsv1,10,[1]\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('data');
    const ok = await ui.post('/extras/config-contexts/import/', {
      csv_data: 'name,weight,data\ncsv1,10,"{""vlan"": 10}"\n',
    });
    expect(ok.status).toBe(303);
    const csv1 = (await t.api.get(`${CONTEXTS}?name=csv1`)).body.results[0] as Obj;
    expect(csv1).toMatchObject({ weight: 10, data: { vlan: 10 } });

    await t.api.patch(`${CONTEXTS}${csv1.id}/`, { data: { vlan: 20 } });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${csv1.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      changed_object_type: 'extras.configcontext',
      prechange_data: { data: { vlan: 10 } },
      postchange_data: { data: { vlan: 20 } },
    });
  });

  it('needs permissions on config contexts themselves', async () => {
    const { api } = await t.createUser('cc-viewer', [
      { actions: ['view'], object_types: ['extras.configcontext', 'dcim.device'] },
    ]);
    expect((await api.get(CONTEXTS)).status).toBe(200);
    expect((await api.get(SCHEMAS)).status).toBe(403);
    expect((await api.post(CONTEXTS, { name: 'nope', data: {} })).status).toBe(403);
    const d = await api.get(`${DCIM.devices}${d2.id}/?include=config_context`);
    expect(d.body.config_context).toMatchObject({ site: 'fra' });
  });

  it('syncs contexts from a folder of files, owned by the data source and read-only for users', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-cc-e2e-'));
    const write = (file: string, value: unknown): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
    };
    write('config_context_schemas/vlans.json', {
      _metadata: { name: 'vlans' },
      data_schema: { type: 'object', properties: { vlans: { type: 'array', items: { type: 'integer' } } } },
    });
    write('config_contexts/git-fra.json', {
      _metadata: { name: 'git-fra', weight: 950, schema: 'vlans', locations: [{ name: s.otherSite.name }] },
      vlans: [10, 20],
    });
    write('config_contexts/git-bad.json', { _metadata: { name: 'git-bad', schema: 'vlans' }, vlans: ['x'] });
    write('config_contexts/git-nowhere.json', { _metadata: { name: 'git-nowhere', tenants: ['Nobody'] } });
    const owner = { content_type: 'extras.gitrepository', object_id: '00000000-0000-4000-8000-000000000001' };
    const loaded = await loadConfigContextFolder(dir);
    const first = await syncConfigContexts(t.objects, owner, loaded);
    expect(first.created.sort()).toEqual([
      'extras.configcontext:git-fra',
      'extras.configcontextschema:vlans',
    ]);
    expect(first.problems.map((p) => p.file).sort()).toEqual([
      'config_contexts/git-bad.json',
      'config_contexts/git-nowhere.json',
    ]);
    expect(first.problems.find((p) => p.file.endsWith('git-bad.json'))!.error).toContain('/vlans/0');
    expect(await rendered(d2.id)).toMatchObject({ vlans: [10, 20] });

    const owned = (await t.api.get(`${CONTEXTS}?name=git-fra`)).body.results[0] as Obj;
    expect(owned).toMatchObject({
      owner_content_type: 'extras.gitrepository',
      owner_object_id: owner.object_id,
      weight: 950,
      locations: [{ id: s.otherSite.id }],
    });
    const edit = await t.api.patch(`${CONTEXTS}${owned.id}/`, { weight: 1 });
    expect(edit.status).toBe(400);
    expect(edit.body.__all__[0]).toContain('Git repository');
    expect((await t.api.delete(`${CONTEXTS}${owned.id}/`)).status).toBe(400);
    // The owner fields are read-only to clients.
    const spoof = await t.api.post(CONTEXTS, { name: 'spoof', data: {}, owner_content_type: 'x.y' });
    expect(spoof.status).toBe(201);
    expect(spoof.body.owner_content_type).toBe('');

    // A file removed from the folder removes its row; an unchanged one is updated in place.
    fs.rmSync(path.join(dir, 'config_contexts', 'git-fra.json'));
    const second = await syncConfigContexts(t.objects, owner, await loadConfigContextFolder(dir));
    expect(second.deleted).toEqual(['extras.configcontext:git-fra']);
    expect(second.updated).toEqual(['extras.configcontextschema:vlans']);
    expect((await t.api.get(`${CONTEXTS}?name=git-fra`)).body.count).toBe(0);
    // Another data source cannot take over these rows.
    const other = await syncConfigContexts(
      t.objects,
      { ...owner, object_id: '00000000-0000-4000-8000-000000000002' },
      loaded,
    );
    expect(other.problems.find((p) => p.file.endsWith('vlans.json'))!.error).toContain('another data source');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
