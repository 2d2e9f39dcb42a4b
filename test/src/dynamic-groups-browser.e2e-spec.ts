import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium } from './ui-helpers';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());

/** A dynamic group made in the browser: the form (a bad filter refused on its field), Members tab, object panel. */
describe(onDatabase('dynamic groups in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    const [emea] = await t.objects.create('tenancy.tenantgroup', [{ name: 'EMEA' }]);
    await t.objects.create('tenancy.tenant', [
      { name: 'acme', tenant_group: emea.id },
      { name: 'globex', tenant_group: emea.id },
      { name: 'initech' },
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('creates a group, lists its members, and shows it on a member page', async () => {
    await page.goto(`${t.baseUrl}/login/?next=/extras/dynamic-groups/add/`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/extras/dynamic-groups/add/`);

    await page.fill('#id_name', 'EMEA tenants');
    await page.fill('#id_content_type', 'tenancy.tenant');
    await page.fill('#id_filter', '{"tenant_group": ["Nowhere"]}');
    await Promise.all([page.waitForNavigation(), page.click('form.object-form button[type=submit]')]);
    await shot('dynamic-group-add-bad-filter');
    await expect(page.locator('[data-field="filter"]').innerText()).resolves.toContain('Nowhere');
    await page.fill('#id_filter', '{"tenant_group": ["EMEA"]}');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/extras\/dynamic-groups\/[0-9a-f-]{36}\/$/);

    await page.click('.nav-tabs a:has-text("Members")');
    const members = await page.locator('table.dynamic-group-members').innerText();
    expect(members).toContain('acme');
    expect(members).toContain('globex');
    expect(members).not.toContain('initech');
    await shot('dynamic-group-members');

    await page.click('table.dynamic-group-members a:has-text("acme")');
    await page.waitForURL(/\/tenancy\/tenants\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('.dynamic-groups').innerText()).resolves.toContain('EMEA tenants');
    await shot('tenant-dynamic-groups-panel');
    expect(errors).toEqual([]);
  });
});
