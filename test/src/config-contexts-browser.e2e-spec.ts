import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, type Obj, type Site } from './dcim-fixtures';
import { launchChromium, loggedInPage } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  'test-artifacts',
  'config-contexts',
  testDatabaseKind(),
);

/** Config contexts in a real browser: the context form (schema validation, scopes) and the device's Config Context tab. */
describe(onDatabase('config contexts in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let s: Site;
  let device: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    const type = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'S1' });
    device = await create(t.api, DCIM.devices, {
      name: 'leaf1',
      device_type: type.id,
      role: s.role.id,
      status: 'Active',
      location: s.room.id,
      local_config_context_data: { hostname: 'leaf1' },
    });
    await create(t.api, '/api/extras/config-context-schemas/', {
      name: 'ntp',
      data_schema: {
        type: 'object',
        properties: { ntp: { type: 'array', items: { type: 'string', format: 'ipv4' } } },
      },
    });
    await create(t.api, '/api/extras/config-contexts/', {
      name: 'global',
      weight: 100,
      data: { ntp: ['10.0.0.1'], syslog: '10.0.0.9' },
    });
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a context in the form: schema errors on the data field, then scoped to a location', async () => {
    await page.goto(`${t.baseUrl}/extras/config-contexts/add/`);
    await page.fill('#id_name', 'europe');
    await page.fill('#id_weight', '200');
    await page.fill('#id_data', '{"ntp": ["not-an-ip"]}');
    // Tom Selects last: after a pick they take focus back on a timer (see the webhooks test).
    await page.click('[data-field="config_context_schema"] .ts-control');
    await page.keyboard.type('ntp');
    await page
      .locator('[data-field="config_context_schema"] .ts-dropdown .option', { hasText: 'ntp' })
      .click();
    await page.keyboard.press('Escape');
    await page.click('[data-field="locations"] .ts-control');
    await page.keyboard.type(s.region.name);
    await page
      .locator('[data-field="locations"] .ts-dropdown .option', { hasText: s.region.name })
      .first()
      .click();
    await page.keyboard.press('Escape');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="data"] .field-error').innerText()).resolves.toContain('/ntp/0');
    await shot('01-form-schema-error');
    await page.fill('#id_data', '{"ntp": ["10.0.0.2"], "dns": "1.1.1.1"}');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/extras\/config-contexts\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain(s.region.name);
    await shot('02-context-detail');
  });

  it("shows the device's rendered context and its sources with weights on the Config Context tab", async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${device.id}/`);
    await page.click('ul.nav-tabs a:has-text("Config Context")');
    await page.waitForURL(/\?tab=config-context$/);
    const rendered = JSON.parse(await page.locator('[data-rendered-context] code').innerText()) as Obj;
    expect(rendered).toEqual({ ntp: ['10.0.0.2'], syslog: '10.0.0.9', dns: '1.1.1.1', hostname: 'leaf1' });
    const sources = await page.locator('[data-source-contexts] tbody tr').allInnerTexts();
    expect(sources.map((r) => r.split('\t').slice(0, 2))).toEqual([
      ['global', '100'],
      ['europe', '200'],
    ]);
    await expect(page.locator('[data-source-contexts] a', { hasText: 'europe' }).count()).resolves.toBe(1);
    await shot('03-device-config-context-tab');
    // Models without the feature have no such tab.
    await page.goto(`${t.baseUrl}/dcim/locations/${s.room.id}/`);
    await expect(page.locator('ul.nav-tabs a:has-text("Config Context")').count()).resolves.toBe(0);
    expect(scriptErrors).toEqual([]);
  });
});
