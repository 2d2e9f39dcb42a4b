import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';

const CF = '/api/extras/custom-fields/';
const CHOICES = '/api/extras/custom-field-choices/';
const TENANTS = '/api/tenancy/tenants/';

interface Tenant {
  id: string;
  name: string;
  custom_fields: Record<string, unknown>;
}

/**
 * Custom fields (Nautobot's shapes): definitions at /api/extras/custom-fields/, values as
 * `custom_fields` on every model with the feature, `cf_<key>` filters, GraphQL fields that appear
 * without a restart, CSV columns, the change log, permissions and bad input.
 */
describe(onDatabase('custom fields'), () => {
  let t: TestApp;
  const names = async (query: string): Promise<string[]> => {
    const res = await t.api.get(`${TENANTS}?${query}`);
    expect(res.status).toBe(200);
    return (res.body.results as Tenant[]).map((x) => x.name).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.objects.create('tenancy.tenant', [{ name: 'acme' }, { name: 'globex' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a text field and back-fills existing objects with its default', async () => {
    const res = await t.api.post(CF, {
      label: 'Cost centre',
      key: 'cost_centre',
      type: 'text',
      content_types: ['tenancy.tenant'],
      default: 'none',
      grouping: 'Finance',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'cost_centre',
      type: { value: 'text' },
      filter_logic: { value: 'loose' },
    });
    const list = await t.api.get(TENANTS);
    expect((list.body.results as Tenant[]).map((x) => x.custom_fields)).toEqual([
      { cost_centre: 'none' },
      { cost_centre: 'none' },
    ]);
  });

  it('writes values through REST and filters them with cf_<key>', async () => {
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    const res = await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { cost_centre: 'CC-100' } });
    expect(res.status).toBe(200);
    expect(res.body.custom_fields).toEqual({ cost_centre: 'CC-100' });
    expect(await names('cf_cost_centre=cc-1')).toEqual(['acme']);
    expect(await names('cf_cost_centre__ie=CC-100')).toEqual(['acme']);
    expect(await names('cf_cost_centre__n=CC-100')).toEqual(['globex']);
    expect(await names('cf_cost_centre__isw=no')).toEqual(['globex']);
  });

  it('refuses unknown keys and bad values with 400 naming custom_fields.<key>', async () => {
    const unknown = await t.api.post(TENANTS, { name: 'x', custom_fields: { nope: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body['custom_fields.nope']).toBeDefined();
    await t.api.post(CF, {
      label: 'Seats',
      key: 'seats',
      type: 'integer',
      content_types: ['tenancy.tenant'],
      validation_minimum: 1,
      validation_maximum: 10,
    });
    const bad = await t.api.post(TENANTS, { name: 'y', custom_fields: { seats: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.body['custom_fields.seats']).toBeDefined();
    const high = await t.api.post(TENANTS, { name: 'y', custom_fields: { seats: 11 } });
    expect(high.status).toBe(400);
    expect(high.body['custom_fields.seats']).toEqual(['Value must not exceed 10']);
  });

  it('shows cf_<key> fields and filter arguments in GraphQL without a restart', async () => {
    const before = await t.api.post('/api/graphql/', { query: '{ tenants { name cf_region } }' });
    expect(before.body.errors?.[0]?.message).toMatch(/cf_region/);
    await t.api.post(CF, {
      label: 'Region',
      key: 'region',
      type: 'select',
      content_types: ['tenancy.tenant'],
    });
    const field = (await t.api.get(`${CF}?key=region`)).body.results[0] as { id: string };
    for (const value of ['emea', 'apac'])
      expect((await t.api.post(CHOICES, { custom_field: field.id, value })).status).toBe(201);
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { region: 'emea' } });
    const after = await t.api.post('/api/graphql/', {
      query: '{ tenants(cf_region: ["emea"]) { name cf_region cf_cost_centre cf_seats custom_fields } }',
    });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.tenants).toEqual([
      {
        name: 'acme',
        cf_region: 'emea',
        cf_cost_centre: 'CC-100',
        cf_seats: null,
        custom_fields: { cost_centre: 'CC-100', region: 'emea', seats: null },
      },
    ]);
    const bad = await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { region: 'mars' } });
    expect(bad.status).toBe(400);
    expect(bad.body['custom_fields.region'][0]).toMatch(/Invalid choice/);
    // A choice in use cannot be deleted.
    const emea = (await t.api.get(`${CHOICES}?value=emea`)).body.results[0] as { id: string };
    const del = await t.api.delete(`${CHOICES}${emea.id}/`);
    expect(del.status).toBe(400);
    expect(del.body.value).toBeDefined();
  });

  it('filters integers, dates and multi-selects with their lookups', async () => {
    const globex = (await t.api.get(`${TENANTS}?name=globex`)).body.results[0] as Tenant;
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    await t.api.post(CF, { label: 'Since', key: 'since', type: 'date', content_types: ['tenancy.tenant'] });
    await t.api.post(CF, {
      label: 'Tiers',
      key: 'tiers',
      type: 'multi-select',
      content_types: ['tenancy.tenant'],
    });
    const tiers = (await t.api.get(`${CF}?key=tiers`)).body.results[0] as { id: string };
    await t.api.post(CHOICES, [
      { custom_field: tiers.id, value: 'gold' },
      { custom_field: tiers.id, value: 'silver' },
    ]);
    expect(
      (
        await t.api.patch(`${TENANTS}${acme.id}/`, {
          custom_fields: { seats: 3, since: '2020-01-31', tiers: ['gold', 'silver'] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.api.patch(`${TENANTS}${globex.id}/`, {
          custom_fields: { seats: 8, since: '2024-02-29', tiers: ['silver'] },
        })
      ).status,
    ).toBe(200);
    expect(await names('cf_seats__gte=5')).toEqual(['globex']);
    expect(await names('cf_seats__lt=5')).toEqual(['acme']);
    expect(await names('cf_seats=3&cf_seats=8')).toEqual(['acme', 'globex']);
    expect(await names('cf_since__lte=2021-01-01')).toEqual(['acme']);
    expect(await names('cf_tiers=gold')).toEqual(['acme']);
    expect(await names('cf_tiers=silver')).toEqual(['acme', 'globex']);
    expect(await names('cf_region__isnull=true')).toEqual(['globex']);
    const badDate = await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { since: '2023-02-30' } });
    expect(badDate.status).toBe(400);
    expect(badDate.body['custom_fields.since']).toBeDefined();
    const badFilter = await t.api.get(`${TENANTS}?cf_seats__gte=lots`);
    expect(badFilter.status).toBe(400);
  });

  it('writes bulk creates atomically: one bad value keeps nothing', async () => {
    const res = await t.api.post(TENANTS, [
      { name: 'ok-1', custom_fields: { seats: 2 } },
      { name: 'bad-1', custom_fields: { seats: 'two' } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body[1]['custom_fields.seats']).toBeDefined();
    expect((await t.api.get(`${TENANTS}?name=ok-1`)).body.count).toBe(0);
  });

  it('keeps key immutable, validates definitions and existing values on a type change', async () => {
    const seats = (await t.api.get(`${CF}?key=seats`)).body.results[0] as { id: string };
    const rename = await t.api.patch(`${CF}${seats.id}/`, { key: 'places' });
    expect(rename.status).toBe(400);
    expect(rename.body.key).toBeDefined();
    const badKey = await t.api.post(CF, {
      label: 'X',
      key: 'Bad Key',
      type: 'text',
      content_types: ['tenancy.tenant'],
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.key).toBeDefined();
    const badRegex = await t.api.post(CF, {
      label: 'X',
      key: 'x1',
      type: 'text',
      validation_regex: '(',
      content_types: ['tenancy.tenant'],
    });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.validation_regex).toBeDefined();
    const badDefault = await t.api.post(CF, {
      label: 'X',
      key: 'x2',
      type: 'integer',
      default: 'ten',
      content_types: ['tenancy.tenant'],
    });
    expect(badDefault.status).toBe(400);
    expect(badDefault.body.default).toBeDefined();
    const badType = await t.api.post(CF, {
      label: 'X',
      key: 'x3',
      type: 'colour',
      content_types: ['tenancy.tenant'],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.type).toBeDefined();
    const badCt = await t.api.post(CF, {
      label: 'X',
      key: 'x4',
      type: 'text',
      content_types: ['users.user'],
    });
    expect(badCt.status).toBe(400);
    expect(badCt.body.content_types).toBeDefined();
    // "CC-100" is not a date: the change is refused and nothing changes.
    const cc = (await t.api.get(`${CF}?key=cost_centre`)).body.results[0] as { id: string };
    const toDate = await t.api.patch(`${CF}${cc.id}/`, { type: 'date' });
    expect(toDate.status).toBe(400);
    expect(toDate.body.type).toBeDefined();
    expect((await t.api.get(`${CF}${cc.id}/`)).body.type.value).toBe('text');
    // Integers fit a text field? No: the stored numbers are not strings.
    const toText = await t.api.patch(`${CF}${seats.id}/`, { type: 'text' });
    expect(toText.status).toBe(400);
    // Renaming the label leaves data alone.
    expect((await t.api.patch(`${CF}${cc.id}/`, { label: 'Cost center' })).status).toBe(200);
    expect(await names('cf_cost_centre__ie=CC-100')).toEqual(['acme']);
  });

  it('back-fills a new required field from its default, refuses one without a default', async () => {
    const none = await t.api.post(CF, {
      label: 'Owner',
      key: 'owner',
      type: 'text',
      required: true,
      content_types: ['tenancy.tenant'],
    });
    expect(none.status).toBe(400);
    expect(none.body.default).toBeDefined();
    const res = await t.api.post(CF, {
      label: 'Tier',
      key: 'tier',
      type: 'integer',
      required: true,
      default: 1,
      content_types: ['tenancy.tenant'],
    });
    expect(res.status).toBe(201);
    const all = (await t.api.get(TENANTS)).body.results as Tenant[];
    expect(all.every((x) => x.custom_fields.tier === 1)).toBe(true);
    const clear = await t.api.patch(`${TENANTS}${all[0].id}/`, { custom_fields: { tier: null } });
    expect(clear.status).toBe(400);
    expect(clear.body['custom_fields.tier']).toEqual(['Required field cannot be empty.']);
    // A new object takes the default.
    const created = await t.api.post(TENANTS, { name: 'initech' });
    expect(created.status).toBe(201);
    expect(created.body.custom_fields.tier).toBe(1);
  });

  it('records custom field changes in the change log', async () => {
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { cost_centre: 'CC-200' } });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${acme.id}`);
    const latest = changes.body.results[0] as { prechange_data: Tenant; postchange_data: Tenant };
    expect(latest.prechange_data.custom_fields.cost_centre).toBe('CC-100');
    expect(latest.postchange_data.custom_fields.cost_centre).toBe('CC-200');
  });

  it('exports and imports cf_<key> CSV columns', async () => {
    const csv = await t
      .http()
      .get(`${TENANTS}?format=csv&name=acme`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    const cols = header.split(',');
    expect(cols).toEqual(expect.arrayContaining(['cf_cost_centre', 'cf_seats', 'cf_tiers', 'cf_region']));
    expect(cols).not.toContain('custom_fields');
    expect(row).toContain('CC-200');
    expect(row).toContain('"gold,silver"');
    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/tenancy/tenants/import/', { csv_data: 'name,cf_seats\numbrella,many\n' });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('custom_fields.seats');
    const ok = await ui.post('/tenancy/tenants/import/', {
      csv_data: 'name,cf_seats,cf_tiers,cf_region\numbrella,4,"gold,silver",apac\n',
    });
    expect(ok.status).toBe(303);
    const umbrella = (await t.api.get(`${TENANTS}?name=umbrella`)).body.results[0] as Tenant;
    expect(umbrella.custom_fields).toMatchObject({
      seats: 4,
      tiers: ['gold', 'silver'],
      region: 'apac',
      tier: 1,
    });
  });

  it('needs permissions: custom field definitions are their own object type', async () => {
    const { api } = await t.createUser('cf-viewer', [
      { actions: ['view'], object_types: ['tenancy.tenant'] },
    ]);
    expect((await api.get(CF)).status).toBe(403);
    expect((await api.get(`${TENANTS}?cf_seats__gte=1`)).status).toBe(200);
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    expect((await api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { seats: 5 } })).status).toBe(403);
  });

  it('deleting a field removes its data and its filters', async () => {
    const since = (await t.api.get(`${CF}?key=since`)).body.results[0] as { id: string };
    expect((await t.api.delete(`${CF}${since.id}/`)).status).toBe(204);
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tenancy_tenant WHERE _custom_field_data ? 'since'`,
    );
    expect(rows[0].n).toBe(0);
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    expect(acme.custom_fields).not.toHaveProperty('since');
    expect((await t.api.get(`${TENANTS}?cf_since=2020-01-31`)).status).toBe(400);
  });

  it('edits values in UI forms and shows them grouped on the detail page', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    const form = await ui.get(`/tenancy/tenants/${acme.id}/edit/`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="cf_cost_centre"');
    expect(form.text).toContain('name="cf_region"');
    const bad = await ui.post(`/tenancy/tenants/${acme.id}/edit/`, {
      name: 'acme',
      cf_seats: '99',
      cf_tier: '1',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('Value must not exceed 10');
    const ok = await ui.post(`/tenancy/tenants/${acme.id}/edit/`, {
      name: 'acme',
      cf_seats: '6',
      cf_tier: '2',
      cf_cost_centre: 'CC-300',
      cf_region: 'apac',
      cf_tiers: ['gold'],
    });
    expect(ok.status).toBe(303);
    const saved = (await t.api.get(`${TENANTS}${acme.id}/`)).body as Tenant;
    expect(saved.custom_fields).toMatchObject({
      seats: 6,
      tier: 2,
      cost_centre: 'CC-300',
      region: 'apac',
      tiers: ['gold'],
    });
    const detail = await ui.get(`/tenancy/tenants/${acme.id}/`);
    expect(detail.text).toContain('data-group="Finance"');
    expect(text(detail.text)).toMatch(/Finance Cost center CC-300/);
    const list = await ui.get('/tenancy/tenants/');
    expect(list.text).toContain('cf_seats__gte');
  });

  it('bulk edit sets and clears custom fields for the selected objects, atomically', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const all = (await t.api.get(`${TENANTS}?name=acme&name=globex`)).body.results as Tenant[];
    const pk = all.map((x) => x.id);
    const set = await ui.post('/tenancy/tenants/edit/', { pk, _apply: '1', cf_seats: '9' });
    expect(set.status).toBe(303);
    expect(await names('cf_seats=9')).toEqual(['acme', 'globex']);
    const bad = await ui.post('/tenancy/tenants/edit/', { pk, _apply: '1', cf_seats: '99' });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('Value must not exceed 10');
    expect(await names('cf_seats=9')).toEqual(['acme', 'globex']);
    const clear = await ui.post('/tenancy/tenants/edit/', { pk, _apply: '1', _nullify: 'cf_seats' });
    expect(clear.status).toBe(303);
    expect(await names('cf_seats__isnull=true')).toEqual(expect.arrayContaining(['acme', 'globex']));
  });

  it('uses cf_ filters as permission constraints', async () => {
    const acme = (await t.api.get(`${TENANTS}?name=acme`)).body.results[0] as Tenant;
    await t.api.patch(`${TENANTS}${acme.id}/`, { custom_fields: { region: 'emea' } });
    const { api } = await t.createUser('cf-scoped', [
      { actions: ['view'], object_types: ['tenancy.tenant'], constraints: { cf_region: 'emea' } },
    ]);
    const res = await api.get(TENANTS);
    expect((res.body.results as Tenant[]).map((x) => x.name)).toEqual(['acme']);
  });
  it('has a GIN index on _custom_field_data of every model with the feature, which cf_ equality uses', async () => {
    const ds = t.ctx.database.dataSource;
    const tables = t.ctx.models
      .all()
      .filter((m) => m.features.has('custom_fields'))
      .map((m) => m.table);
    expect(tables).toEqual(expect.arrayContaining(['dcim_interface', 'tenancy_tenant', 'ipam_prefix']));
    const rows = (await ds.query(
      `SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gin (_custom_field_data jsonb_path_ops)%'`,
    )) as { tablename: string }[];
    expect(tables.filter((x) => !rows.some((r) => r.tablename === x))).toEqual([]);
    // The containment test cf_<key>=<value> compiles to (filters.ts); sequential scans off, as the
    // planner chooses on a large table, since this one is tiny.
    const runner = ds.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      const plan = (await runner.query(
        `EXPLAIN SELECT id FROM tenancy_tenant t WHERE t."_custom_field_data" @> jsonb_build_object($1::text, $2::jsonb)`,
        ['cost_centre', JSON.stringify('CC-100')],
      )) as { 'QUERY PLAN': string }[];
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('tenancy_tenant_cfdata_gin');
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  });
});
