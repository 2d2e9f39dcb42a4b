import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium, loggedInPage } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'custom-fields', testDatabaseKind());

/** Custom fields and notes in a real browser: the edit form, the grouped detail panel and the Notes tab. */
describe(onDatabase('custom fields and notes in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let tenant: string;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    [{ id: tenant }] = await t.objects.create('tenancy.tenant', [{ name: 'acme' }]);
    await t.api.post('/api/extras/custom-fields/', [
      {
        label: 'Cost centre',
        key: 'cost_centre',
        type: 'text',
        grouping: 'Finance',
        content_types: ['tenancy.tenant'],
        validation_regex: '^CC-\\d+$',
      },
      {
        label: 'Seats',
        key: 'seats',
        type: 'integer',
        grouping: 'Finance',
        content_types: ['tenancy.tenant'],
        validation_maximum: 10,
      },
      {
        label: 'Runbook',
        key: 'runbook',
        type: 'markdown',
        grouping: 'Operations',
        content_types: ['tenancy.tenant'],
      },
    ]);
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('edits custom fields with validation and shows them grouped on the detail page', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/${tenant}/edit/`);
    await page.fill('#id_cf_cost_centre', 'nope');
    await page.fill('#id_cf_seats', '12');
    await page.click('form.object-form button[type=submit]');
    await expect(
      page.locator('.form-field[data-field="cf_cost_centre"] .field-error').innerText(),
    ).resolves.toContain('must match regex');
    await expect(page.locator('.form-field[data-field="cf_seats"] .field-error').innerText()).resolves.toBe(
      'Value must not exceed 10',
    );
    await shot('01-edit-errors');
    await page.fill('#id_cf_cost_centre', 'CC-42');
    await page.fill('#id_cf_seats', '7');
    await page.fill('#id_cf_runbook', 'Call **ops** <b>now</b>');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${tenant}/`);
    const finance = page.locator('.custom-fields-panel[data-group="Finance"]');
    await expect(finance.locator('[data-attribute="cf_cost_centre"] td').innerText()).resolves.toBe('CC-42');
    await expect(finance.locator('[data-attribute="cf_seats"] td').innerText()).resolves.toBe('7');
    const runbook = page.locator(
      '.custom-fields-panel[data-group="Operations"] [data-attribute="cf_runbook"] td',
    );
    await expect(runbook.locator('strong').innerText()).resolves.toBe('ops');
    await expect(runbook.locator('b').count()).resolves.toBe(0);
    await expect(runbook.innerText()).resolves.toContain('<b>now</b>');
    await shot('02-detail-panels');
  });

  it('filters the list with the cf_ filters of the filter form', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/?cf_seats__gte=5`);
    await expect(page.locator('table').first().innerText()).resolves.toContain('acme');
    await page.goto(`${t.baseUrl}/tenancy/tenants/?cf_seats__gte=8`);
    await expect(page.locator('body').innerText()).resolves.not.toMatch(/\bacme\b/);
    const html = await page.content();
    expect(html).toContain('cf_seats__gte');
    await shot('03-list-filter');
  });

  it('adds a note from the Notes tab and shows it with author and time', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/${tenant}/`);
    await page.click('ul.nav-tabs a:has-text("Notes")');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${tenant}/notes/`);
    await page.fill('#id_note', 'Renewal due **March**\n\n<script>alert(1)</script>');
    await page.click('form.note-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${tenant}/notes/`);
    const note = page.locator('.note').first();
    await expect(note.locator('.note-author').innerText()).resolves.toBe('admin');
    await expect(note.locator('.note-body strong').innerText()).resolves.toBe('March');
    await expect(note.locator('.note-body').innerText()).resolves.toContain('<script>alert(1)</script>');
    await shot('04-notes');
    expect(scriptErrors).toEqual([]);
  });
});
