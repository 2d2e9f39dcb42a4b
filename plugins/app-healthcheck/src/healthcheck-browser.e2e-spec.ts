import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/plugin-sdk/testing';

/** Screenshots are kept as test artifacts (gitignored), beside the platform's. */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test-artifacts',
  'healthcheck',
  testDatabaseKind(),
);

describe(onDatabase('healthcheck pages in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      cwd: path.resolve(__dirname, '..'),
      plugins: ['@plinth/app-healthcheck', './test-fixtures/probes'],
      pluginsConfig: { healthcheck: { cache_seconds: 0, timeout_ms: 1500 } },
    });
    await t.startWorker();
    browser = await chromium.launch({
      executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    page.on('pageerror', (e) => scriptErrors.push(`pageerror: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the summary to an anonymous visitor, without the login page', async () => {
    const res = await page.goto(`${t.baseUrl}/plugins/healthcheck/`);
    // The fixture plugin's checks fail: 503, and the page says which.
    expect(res?.status()).toBe(503);
    expect(page.url()).toBe(`${t.baseUrl}/plugins/healthcheck/`);
    await expect(page.locator('.healthcheck-overall').innerText()).resolves.toMatch(
      /Unhealthy: failing checks hc_probes_failing, hc_probes_hanging\./,
    );
    await expect(page.locator('tr[data-check="database"] .healthcheck-status').innerText()).resolves.toBe(
      'ok',
    );
    await expect(page.locator('tr[data-check="redis"] .healthcheck-status').innerText()).resolves.toBe(
      'skipped',
    );
    await expect(page.locator('.healthcheck-message').count()).resolves.toBe(0);
    await shot('01-summary-anonymous');
  });

  it('sends the detail to the login page, then shows messages, durations and figures', async () => {
    await page.goto(`${t.baseUrl}/plugins/healthcheck/detail/`);
    expect(page.url()).toBe(`${t.baseUrl}/login/?next=%2Fplugins%2Fhealthcheck%2Fdetail%2F`);
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/plugins/healthcheck/detail/`);
    const hanging = page.locator('tr[data-check="hc_probes_hanging"]');
    await expect(hanging.locator('.healthcheck-message').innerText()).resolves.toBe(
      'No answer within 1500 ms (timed out).',
    );
    await expect(page.locator('tr[data-check="disk"]').innerText()).resolves.toContain('free_mb');
    await shot('02-detail');
    // The menu links the page for logged-in users.
    await page.click('[data-nav-tab="Plugins"] > a');
    const menu = page.locator('[data-nav-tab="Plugins"] .dropdown-menu');
    await menu.waitFor({ state: 'visible' });
    await menu.getByText('Health checks').click();
    await page.waitForURL(`${t.baseUrl}/plugins/healthcheck/`);
    await expect(page.locator('.healthcheck-table').innerText()).resolves.toContain('Database');
    await shot('03-summary-logged-in');
    expect(scriptErrors).toEqual([]);
  });
});
