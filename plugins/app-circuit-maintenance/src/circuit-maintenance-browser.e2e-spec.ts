import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/plugin-sdk/testing';
import { createCircuits, createSoon } from './e2e-fixtures';

const ARTIFACTS = resolve(__dirname, '..', '..', '..', 'test-artifacts', 'ui', testDatabaseKind());
const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

describe(onDatabase('circuit maintenance app in the browser'), () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let circuits: Record<string, string>;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/app-circuit-maintenance'],
      pluginsConfig: { circuit_maintenance: { provider_map: { 'acmetransit.example': 'Acme Transit' } } },
    });
    circuits = await createCircuits(t);
    browser = await chromium.launch({
      executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
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

  it('uploads a notification file from the upload page', async () => {
    // The maintenance list's button leads to the upload page.
    await page.goto(`${t.baseUrl}/plugins/circuit-maintenance/maintenance/`);
    await page.click('a.btn:has-text("Upload notification")');
    await page.waitForURL(`${t.baseUrl}/plugins/circuit-maintenance/upload/`);
    await page.setInputFiles('#cm_file', join(FIXTURES, 'bcop-email.eml'));
    // The layout's script reads the chosen file into the text area.
    await page.waitForFunction(
      "document.getElementById('cm_raw').value.includes('X-MAINTNOTE-MAINTENANCE-ID')",
    );
    await page.fill('#cm_filename', 'bcop-email.eml');
    await shot('circuit-maintenance-upload-form');
    await page.click('.cm-upload-form button[type=submit]');
    await page.waitForSelector('.cm-upload-result');
    expect(await page.textContent('.cm-upload-result')).toContain('ACME-MAINT-2 created');
    await shot('circuit-maintenance-upload-result');
    await page.click('.cm-upload-result a:has-text("ACME-MAINT-2")');
    await page.waitForURL(/\/plugins\/circuit-maintenance\/maintenance\/[0-9a-f-]{36}\/$/);
    expect(await page.textContent('.cm-impacts')).toContain('ACME-1002');
  });

  it('shows impacts and overlap warnings on the maintenance page, and the home and circuit panels', async () => {
    await createSoon(t, circuits['ACME-1001']);
    // SOON-1 also takes down dxcon-fgq9cbd1, which terminates at FRA1 too.
    const soon = (await t.api.get('/api/plugins/circuit-maintenance/maintenance/?name=SOON-1')).body
      .results[0];
    await t.api.post('/api/plugins/circuit-maintenance/circuitimpact/', {
      maintenance: soon.id,
      circuit: circuits['dxcon-fgq9cbd1'],
      impact: 'DEGRADED',
    });
    await page.goto(`${t.baseUrl}/plugins/circuit-maintenance/maintenance/${soon.id}/`);
    const warning = await page.textContent('.cm-overlap-warning');
    expect(warning).toContain('Circuit ACME-1001 is also in maintenance SOON-2');
    expect(warning).toContain('Redundancy at FRA1');
    expect(await page.textContent('.cm-impacts')).toContain('dxcon-fgq9cbd1');
    await shot('circuit-maintenance-detail');

    await page.goto(`${t.baseUrl}/`);
    const panel = page.locator('.card', { hasText: 'Upcoming circuit maintenance' });
    expect(await panel.locator('.cm-upcoming').textContent()).toContain('SOON-2');
    expect(await panel.locator('.cm-overlap-badge').count()).toBe(2);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(ARTIFACTS, 'circuit-maintenance-home-panel.png') });
    await shot('circuit-maintenance-home');

    await page.goto(`${t.baseUrl}/circuits/circuits/${circuits['ACME-1001']}/`);
    expect(await page.textContent('.cm-upcoming')).toContain('SOON-1');
    await shot('circuit-maintenance-circuit');
    expect(errors).toEqual([]);
  });
});
