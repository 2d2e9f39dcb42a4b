import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, until, type TestApp } from '@plinth/plugin-sdk/testing';

/** Screenshots are kept as test artifacts (gitignored), beside the core suites' ones. */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'test-artifacts',
  'data-validation',
  testDatabaseKind(),
);
const DV = '/api/plugins/data-validation/';

/** The rule form, a rule enforced on a core model's form, and the dashboard, in a real browser. */
describe(onDatabase('data validation in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const fieldError = (field: string) =>
    page.locator(`.form-field[data-field="${field}"] .field-error`).innerText();

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({ plugins: ['@plinth/app-data-validation'], worker: true });
    await t.api.post('/api/extras/custom-fields/', {
      key: 'seats',
      label: 'Seats',
      type: 'integer',
      content_types: ['tenancy.tenant'],
    });
    await t.api.post(`${DV}min-max-rules/`, {
      name: 'seats-range',
      content_type: 'tenancy.tenant',
      field: 'cf_seats',
      min: 1,
      max: 10,
    });
    // Objects stored before the rules exist: the audit finds them.
    await t.objects.create('tenancy.tenant', [
      { name: 'Legacy Corp' },
      { name: 'Old Shop' },
      { name: 'acme' },
    ]);
    browser = await chromium.launch({
      executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => scriptErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        scriptErrors.push(m.text());
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

  it('adds a regular expression rule through its form, field errors first', async () => {
    await page.goto(`${t.baseUrl}/plugins/data-validation/regex-rules/add/`);
    await page.fill('#id_name', 'tenant-slug');
    await page.fill('#id_content_type', 'tenancy.tenant');
    await page.fill('#id_field', 'title');
    await page.fill('#id_regular_expression', '^[a-z][a-z0-9-]*$(');
    await page.fill('#id_error_message', 'Tenant names are lower-case slugs.');
    await page.click('form.object-form button[type=submit]');
    await expect(fieldError('field')).resolves.toBe('Tenants have no field "title".');
    await expect(fieldError('regular_expression')).resolves.toContain('missing closing )');
    await shot('01-rule-form-errors');
    await page.fill('#id_field', 'name');
    await page.fill('#id_regular_expression', '^[a-z][a-z0-9-]*$');
    await shot('02-rule-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/plugins\/data-validation\/regex-rules\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('^[a-z][a-z0-9-]*$');
    await shot('03-rule-detail');
  });

  it("reports the rule's message on the field of a core model's form", async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/add/`);
    await page.fill('#id_name', 'Mixed Case');
    await page.fill('#id_cf_seats', '12');
    await page.click('form.object-form button[type=submit]');
    await expect(fieldError('name')).resolves.toBe('Tenant names are lower-case slugs.');
    await expect(fieldError('cf_seats')).resolves.toBe(
      'Value is more than the maximum of 10 (rule "seats-range").',
    );
    await shot('04-enforced-form-errors');
    await page.fill('#id_name', 'mixed-case');
    await page.fill('#id_cf_seats', '4');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/tenancy\/tenants\/[0-9a-f-]{36}\/$/);
  });

  it('shows the violations per rule of the latest audit on the dashboard', async () => {
    await page.goto(`${t.baseUrl}/plugins/data-validation/`);
    await expect(page.locator('.data-validation-summary').innerText()).resolves.toContain(
      'No audit has run yet.',
    );
    const job = (await t.api.get('/api/extras/jobs/?job_class_name=data_validation.audit')).body.results[0];
    await expect(page.locator('a.data-validation-run').getAttribute('href')).resolves.toBe(
      `/extras/jobs/${job.id}/`,
    );
    await t.api.patch(`/api/extras/jobs/${job.id}/`, { enabled: true });
    const run = await t.api.post(`/api/extras/jobs/${job.id}/run/`, { data: {} });
    await until('the audit', async () => {
      const r = (await t.api.get(`/api/extras/job-results/${run.body.job_result.id}/`)).body;
      return r.status.value === 'SUCCESS' ? r : null;
    });
    // The navigation's item leads there.
    await page.goto(`${t.baseUrl}/`);
    await page.goto(
      `${t.baseUrl}${await page.locator('a[href="/plugins/data-validation/"]').first().getAttribute('href')}`,
    );
    const row = page.locator('table.data-validation-dashboard tr[data-rule="tenant-slug"]');
    await expect(row.getAttribute('data-violations')).resolves.toBe('2');
    await expect(row.innerText()).resolves.toContain('Legacy Corp');
    await expect(
      page
        .locator('table.data-validation-dashboard tr[data-rule="seats-range"]')
        .getAttribute('data-violations'),
    ).resolves.toBe('0');
    await expect(page.locator('.data-validation-total').innerText()).resolves.toBe('2');
    await shot('05-dashboard');
    await row.locator('a', { hasText: 'Legacy Corp' }).click();
    await page.waitForURL(/\/tenancy\/tenants\/[0-9a-f-]{36}\/$/);
    expect(scriptErrors).toEqual([]);
  });
});
