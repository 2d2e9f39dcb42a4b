import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/plugin-sdk/testing';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test-artifacts',
  'capacity-metrics',
  testDatabaseKind(),
);

describe(onDatabase('capacity metrics page in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/app-capacity-metrics'],
      pluginsConfig: { capacity_metrics: { cache_ttl_seconds: 120, max_series: 50 } },
    });
    browser = await chromium.launch({
      executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.baseUrl}/login/`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is reached from the Plugins menu and says when nothing is computed yet', async () => {
    await page.click('nav >> text=Plugins');
    await page.click('a:has-text("Capacity Metrics")');
    await page.waitForURL(`${t.baseUrl}/plugins/capacity-metrics/`);
    expect(await page.textContent('.capacity-last-computed')).toContain('not yet');
    expect(await page.textContent('.capacity-summary')).toContain('120 s');
  });

  it('lists the metrics with their series counts after a scrape', async () => {
    const [site] = await t.objects.create('dcim.locationtype', [
      { name: 'Site', content_types: ['dcim.device'] },
    ]);
    await t.objects.create('dcim.location', [
      { name: 'AMS', location_type: site.id, status: 'Active' },
      { name: 'FRA', location_type: site.id, status: 'Active' },
    ]);
    await t.objects.create('ipam.vlangroup', [{ name: 'Campus' }, { name: 'Core' }, { name: 'Lab' }]);
    const res = await t.http().get('/metrics').set('Authorization', `Token ${t.api.token}`);
    expect(res.status).toBe(200);
    await page.goto(`${t.baseUrl}/plugins/capacity-metrics/`);
    const row = (name: string) => page.locator('table.capacity-metrics tr', { hasText: name }).first();
    expect(await row('capacity_metrics_vlan_group_used_vlans').locator('td').nth(3).textContent()).toBe('3');
    expect(await row('capacity_metrics_devices').locator('td').nth(3).textContent()).toBe('0');
    const computed = (await page.textContent('.capacity-last-computed'))?.replace(/\s+/g, ' ');
    expect(computed).toMatch(/7 SQL statements; 1 computation by this process/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'capacity-metrics-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('lists its contributions on the installed plugin page', async () => {
    await page.goto(`${t.baseUrl}/plugins/installed-plugins/capacity_metrics`);
    const body = (await page.textContent('main'))?.replace(/\s+/g, ' ') ?? '';
    expect(body).toContain('Capacity Metrics');
    expect(body).toContain('capacity_metrics_devices');
    expect(body).toContain('capacity_metrics_webhook_deliveries');
    await page.screenshot({ path: path.join(ARTIFACTS, 'installed-plugin.png'), fullPage: true });
  });

  it('is refused to users who are not staff', async () => {
    const { token } = await t.createUser('viewer');
    const res = await t.http().get('/plugins/capacity-metrics/').set('Authorization', `Token ${token}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('staff users only');
  });
});
