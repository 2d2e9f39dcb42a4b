import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { UiSession, launchChromium, loggedInPage, text } from './ui-helpers';

const QUERIES = '/api/extras/graphql-queries/';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());
const BY_LOCATION =
  'query ($location: [String!], $limit: Int = 10) { devices(location: $location, limit: $limit) { name } }';

type Obj = Record<string, unknown>;

/** Saved GraphQL queries (Nautobot's extras.GraphQLQuery): REST, run, GraphQL, CSV, UI, permissions. */
describe(onDatabase('saved GraphQL queries'), () => {
  let t: TestApp;
  let saved: Obj;

  beforeAll(async () => {
    t = await createTestApp();
    const [manufacturer] = await t.objects.create('dcim.manufacturer', [{ name: 'Acme' }]);
    const [type] = await t.objects.create('dcim.devicetype', [
      { manufacturer: manufacturer.id, model: 'R1' },
    ]);
    const [role] = await t.objects.create('extras.role', [
      { name: 'Router', content_types: ['dcim.device'] },
    ]);
    const [locationType] = await t.objects.create('dcim.locationtype', [
      { name: 'Site', content_types: ['dcim.device'] },
    ]);
    const [active] = await t.objects.find('extras.status', { name: 'Active' });
    const locations = await t.objects.create(
      'dcim.location',
      ['ams', 'fra'].map((name) => ({ name, location_type: locationType.id, status: active.id })),
    );
    await t.objects.create(
      'dcim.device',
      ['ams-r1', 'ams-r2', 'fra-r1'].map((name) => ({
        name,
        device_type: type.id,
        role: role.id,
        status: active.id,
        location: locations[name.startsWith('ams') ? 0 : 1].id,
      })),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('saves a query, derives its variables and checks it against the schema (400 naming query)', async () => {
    const syntax = await t.api.post(QUERIES, { name: 'Broken', query: 'query { devices {' });
    expect(syntax.status).toBe(400);
    expect(Object.keys(syntax.body)).toEqual(['query']);
    expect(syntax.body.query[0]).toMatch(/^Not a valid GraphQL query: Syntax Error/);
    const unknownField = await t.api.post(QUERIES, { name: 'Typo', query: '{ devices { hostname } }' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.query[0]).toMatch(
      /^Not a valid GraphQL query: Cannot query field "hostname" on type "DeviceType"\./,
    );
    const mutation = await t.api.post(QUERIES, { name: 'Write', query: 'mutation { x }' });
    expect(mutation.body.query).toEqual(['Enter one GraphQL query operation.']);
    expect((await t.api.get(QUERIES)).body.count).toBe(0);

    const res = await t.api.post(QUERIES, {
      name: 'Devices by location',
      query: BY_LOCATION,
      variables: { x: 1 },
    });
    expect(res.status).toBe(201);
    saved = res.body as Obj;
    // variables are read-only: derived from the query's declarations and defaults.
    expect(saved).toMatchObject({
      object_type: 'extras.graphqlquery',
      display: 'Devices by location',
      variables: { location: null, limit: 10 },
    });
    const dup = await t.api.post(QUERIES, { name: 'Devices by location', query: '{ devices { name } }' });
    expect(dup.status).toBe(400);
    expect(Object.keys(dup.body)).toEqual(['name']);

    const patched = await t.api.patch(`${QUERIES}${String(saved.id)}/`, {
      query: 'query ($location: [String!]) { devices(location: $location) { name } }',
    });
    expect(patched.body.variables).toEqual({ location: null });
    await t.api.patch(`${QUERIES}${String(saved.id)}/`, { query: BY_LOCATION });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${String(saved.id)}`);
    expect(changes.body.count).toBe(3);
  });

  it('runs a saved query with variables (POST …/run/), answering as GraphQL does', async () => {
    const run = await t.api.post(`${QUERIES}${String(saved.id)}/run/`, { variables: { location: ['ams'] } });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ data: { devices: [{ name: 'ams-r1' }, { name: 'ams-r2' }] } });
    const all = await t.api.post(`${QUERIES}${String(saved.id)}/run/`, {});
    expect(all.body.data.devices).toHaveLength(3);
    const badVariable = await t.api.post(`${QUERIES}${String(saved.id)}/run/`, { variables: { limit: 'x' } });
    expect(badVariable.status).toBe(400);
    expect(badVariable.body.data).toBeNull();
    expect(badVariable.body.errors[0].message).toMatch(/\$limit/);
    const notAnObject = await t.api.post(`${QUERIES}${String(saved.id)}/run/`, { variables: [1] });
    expect(notAnObject.status).toBe(400);
    expect(Object.keys(notAnObject.body)).toEqual(['variables']);
    // by name, as pynautobot resolves objects, is not an id: 404
    expect((await t.api.post(`${QUERIES}not-an-id/run/`, {})).status).toBe(404);
  });

  it('runs as the requesting user: their view permissions scope the data', async () => {
    const none = await t.createUser('gq-none', []);
    expect((await none.api.post(`${QUERIES}${String(saved.id)}/run/`, {})).status).toBe(403);
    const fra = await t.createUser('gq-fra', [
      { actions: ['view'], object_types: ['extras.graphqlquery'] },
      { actions: ['view'], object_types: ['dcim.device'], constraints: { name__isw: 'fra' } },
    ]);
    const run = await fra.api.post(`${QUERIES}${String(saved.id)}/run/`, {});
    expect(run.body).toEqual({ data: { devices: [{ name: 'fra-r1' }] } });
    // Saving needs the add permission.
    expect((await fra.api.post(QUERIES, { name: 'Mine', query: '{ devices { name } }' })).status).toBe(403);
  });

  it('is listed in GraphQL and exported and imported as CSV', async () => {
    const gql = await t.api.post('/api/graphql/', { query: '{ graphql_queries { name variables } }' });
    expect(gql.body.data.graphql_queries).toEqual([
      { name: 'Devices by location', variables: { location: null, limit: 10 } },
    ]);
    const csv = await t
      .http()
      .get(`${QUERIES}?format=csv`)
      .set('Authorization', `Token ${String(t.api.token)}`);
    expect(csv.status).toBe(200);
    expect(csv.text.split(/\r?\n/)[0].split(',')).toEqual(
      expect.arrayContaining(['name', 'query', 'variables']),
    );

    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/extras/graphql-queries/import/', {
      csv_data: 'name,query\ncsv-bad,"{ devices { nope } }"\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('Cannot query field "nope"');
    const ok = await ui.post('/extras/graphql-queries/import/', {
      csv_data: 'name,query\ncsv-names,"query ($n: [String!]) { devices(name: $n) { name } }"\n',
    });
    expect(ok.status).toBe(303);
    const imported = (await t.api.get(`${QUERIES}?name=csv-names`)).body.results[0] as Obj;
    expect(imported.variables).toEqual({ n: null });
  });

  describe('in a browser', () => {
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];
    const shot = (name: string) =>
      page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

    beforeAll(async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      browser = await launchChromium();
      page = await loggedInPage(browser, t.baseUrl, errors);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('creates a query from the form, runs it on its page and opens it in GraphiQL', async () => {
      await page.goto(`${t.baseUrl}/extras/graphql-queries/add/`);
      await page.fill('#id_name', 'Devices of a location');
      await page.fill('#id_query', '{ devices { hostname } }');
      await page.click('form.object-form button[type=submit]');
      await expect(page.locator('body').innerText()).resolves.toContain('Cannot query field "hostname"');
      await page.fill('#id_query', 'query ($location: [String!]) { devices(location: $location) { name } }');
      await page.click('form.object-form button[type=submit]');
      await page.waitForURL(/\/extras\/graphql-queries\/[0-9a-f-]{36}\/$/);
      await expect(page.locator('.graphql-query-text').innerText()).resolves.toContain('devices(location');

      await page.fill('#graphql-query-variables', '{"location": ["fra"]}');
      await page.click('form.graphql-query-run button[type=submit]');
      await page.locator('.graphql-query-result').waitFor();
      const result = JSON.parse(await page.locator('.graphql-query-result').innerText()) as unknown;
      expect(result).toEqual({ data: { devices: [{ name: 'fra-r1' }] } });
      await shot('graphql-query-run');

      await page.fill('#graphql-query-variables', '{not json');
      await page.click('form.graphql-query-run button[type=submit]');
      await expect(page.locator('.graphql-query-error').innerText()).resolves.toBe(
        'Enter the variables as a JSON object.',
      );

      await page.click('a:has-text("Open in GraphiQL")');
      await page.waitForURL(/\/graphql\/\?query=/);
      await page.locator('.graphiql-query-editor').waitFor();
      await expect(page.locator('.graphiql-query-editor').innerText()).resolves.toContain('devices(location');
      await shot('graphql-query-graphiql');
      expect(errors).toEqual([]);
    });
  });
});
