import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium, loggedInPage } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'relationships', testDatabaseKind());

/** Relationships in a real browser: searchable selects on the edit form, the detail-page panel. */
describe(onDatabase('relationships in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    for (const x of await t.objects.create('tenancy.tenant', [{ name: 'acme' }, { name: 'globex' }]))
      ids[String(x.name)] = String(x.id);
    for (const x of await t.objects.create('circuits.provider', [{ name: 'Telia' }, { name: 'Zayo' }]))
      ids[String(x.name)] = String(x.id);
    const created = await t.api.post('/api/extras/relationships/', [
      {
        label: 'Upstream providers',
        key: 'upstreams',
        type: 'many-to-many',
        source_type: 'tenancy.tenant',
        source_label: 'Upstream providers',
        destination_type: 'circuits.provider',
        destination_label: 'Customers',
      },
      {
        label: 'Twin',
        key: 'twin',
        type: 'symmetric-one-to-one',
        source_type: 'tenancy.tenant',
        destination_type: 'tenancy.tenant',
      },
      {
        label: 'Audit trail',
        key: 'audit',
        type: 'many-to-many',
        source_type: 'tenancy.tenant',
        destination_type: 'circuits.provider',
        source_hidden: true,
      },
    ]);
    expect(created.status).toBe(201);
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('picks peers in searchable selects and shows them as links in the panel', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/${ids.acme}/edit/`);
    await expect(page.locator('[data-field="cr_audit__destination"]').count()).resolves.toBe(0);
    await page.click('[data-field="cr_upstreams__destination"] .ts-control');
    await page.keyboard.type('Tel');
    await page
      .locator('[data-field="cr_upstreams__destination"] .ts-dropdown .option', { hasText: 'Telia' })
      .click();
    await page.keyboard.type('Zay');
    await page
      .locator('[data-field="cr_upstreams__destination"] .ts-dropdown .option', { hasText: 'Zayo' })
      .click();
    await page.keyboard.press('Escape');
    await page.click('[data-field="cr_twin__peer"] .ts-control');
    await page.keyboard.type('glo');
    await page.locator('[data-field="cr_twin__peer"] .ts-dropdown .option', { hasText: 'globex' }).click();
    await page.keyboard.press('Escape');
    await shot('01-edit-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${ids.acme}/`);
    const panel = page.locator('.card', { hasText: 'Relationships' }).last();
    await expect(panel.locator(`a[href="/circuits/providers/${ids.Telia}/"]`).innerText()).resolves.toBe(
      'Telia',
    );
    await expect(panel.locator(`a[href="/circuits/providers/${ids.Zayo}/"]`).innerText()).resolves.toBe(
      'Zayo',
    );
    await expect(panel.locator(`a[href="/tenancy/tenants/${ids.globex}/"]`).innerText()).resolves.toBe(
      'globex',
    );
    await expect(panel.innerText()).resolves.not.toContain('Audit trail');
    await shot('02-detail-panel');

    // The other end shows it too, under its own label.
    await page.goto(`${t.baseUrl}/circuits/providers/${ids.Telia}/`);
    const other = page.locator('.card', { hasText: 'Relationships' }).last();
    await expect(other.innerText()).resolves.toContain('Customers');
    await expect(other.locator(`a[href="/tenancy/tenants/${ids.acme}/"]`).innerText()).resolves.toBe('acme');
    await expect(other.innerText()).resolves.toContain('Audit trail');
    await shot('03-other-end');

    // A second twin for globex is refused at the input.
    await page.goto(`${t.baseUrl}/tenancy/tenants/${ids.globex}/edit/`);
    await expect(page.locator('[data-field="cr_twin__peer"] .ts-control .item').innerText()).resolves.toBe(
      'acme',
    );
    expect(scriptErrors).toEqual([]);
  });

  it('filters lists with the cr_ filters of the filter form', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/`);
    const rows = page.locator('table.object-list tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    // A searchable select of the other end's objects, labelled as the relationship is on this side.
    await expect(page.locator('.filter-form').innerText()).resolves.toContain('Upstream providers');
    await page.click('.filter-form [id="filter_cr_upstreams__destination"] + .ts-wrapper .ts-control');
    await page.keyboard.type('Zay');
    await page.locator('.filter-form .ts-dropdown .option', { hasText: 'Zayo' }).click();
    // Submitted as Apply does: a search result arriving late can reopen the dropdown over the
    // button, and the click would wait behind it.
    await page
      .locator('.filter-form')
      .evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
    await page.waitForURL(/cr_upstreams__destination=/);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('acme');
    await shot('04-list-filtered');
  });

  it('lists, shows and adds relationships and associations', async () => {
    await page.goto(`${t.baseUrl}/extras/relationships/`);
    await expect(page.locator('table').first().innerText()).resolves.toContain('Upstream providers');
    await shot('05-relationships-list');
    await page.goto(`${t.baseUrl}/extras/relationships/add/`);
    await page.fill('#id_label', 'Backup provider');
    await page.fill('#id_key', 'backup_provider');
    await page.selectOption('#id_type', 'one-to-one');
    await page.fill('#id_source_type', 'tenancy.tenant');
    await page.fill('#id_destination_type', 'circuits.provider');
    await page.fill('#id_destination_filter', '{"name": ["Zayo"]}');
    await shot('06-relationship-add');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/extras\/relationships\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('backup_provider');
    await page.goto(`${t.baseUrl}/extras/relationship-associations/`);
    await expect(page.locator('table').first().innerText()).resolves.toContain('Upstream providers');
    await shot('07-associations-list');
    expect(scriptErrors).toEqual([]);
  });
});
