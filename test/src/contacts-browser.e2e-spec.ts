import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'contacts', testDatabaseKind());

/** Contacts in a real browser: the Contacts tab of detail pages, the association form, the pages. */
describe(onDatabase('contacts in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  const pick = (field: string, search: string, text: string) => pickSearchable(page, field, search, text);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    for (const x of await t.objects.create('tenancy.tenant', [{ name: 'acme' }]))
      ids[String(x.name)] = String(x.id);
    const contacts = await t.objects.create('extras.contact', [
      { name: 'Alice Ng', phone: '+1-555-0100', email: 'alice@example.com', address: '1 Main St' },
      { name: 'Bob Ruiz', email: 'bob@example.com' },
    ]);
    for (const x of contacts) ids[String(x.name)] = String(x.id);
    const [team] = await t.objects.create('extras.team', [
      { name: 'NOC', email: 'noc@example.com', contacts: contacts.map((c) => c.id) },
    ]);
    ids.NOC = String(team.id);
    await t.objects.create('extras.role', [
      { name: 'Administrative', color: '2196f3', content_types: ['extras.contactassociation'] },
      { name: 'On Site', color: 'ff9800', content_types: ['extras.contactassociation'] },
    ]);
    await t.objects.create('extras.contactassociation', [
      {
        team: ids.NOC,
        associated_object_type: 'tenancy.tenant',
        associated_object_id: ids.acme,
        role: 'On Site',
        status: 'Active',
      },
    ]);
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a Contacts tab, associates a contact from it and removes an association', async () => {
    await page.goto(`${t.baseUrl}/tenancy/tenants/${ids.acme}/`);
    await page.click('.nav-tabs a:has-text("Contacts")');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${ids.acme}/?tab=contacts`);
    const table = page.locator('table.contact-associations');
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await expect(table.locator(`a[href="/extras/teams/${ids.NOC}/"]`).innerText()).resolves.toBe('NOC');
    await shot('01-contacts-tab');

    await page.click('a.add-contact');
    await expect(page.inputValue('[name="associated_object_type"]')).resolves.toBe('tenancy.tenant');
    await expect(page.inputValue('[name="associated_object_id"]')).resolves.toBe(ids.acme);
    await pick('contact', 'Ali', 'Alice Ng');
    await pick('role', 'Adm', 'Administrative');
    await pick('status', 'Act', 'Active');
    await shot('02-association-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${ids.acme}/?tab=contacts`);
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    const alice = table.locator('tbody tr', { hasText: 'Alice Ng' });
    await expect(alice.innerText()).resolves.toContain('Administrative');
    await expect(alice.locator('a[href="mailto:alice@example.com"]').count()).resolves.toBe(1);
    await shot('03-contact-added');

    await table.locator('tbody tr', { hasText: 'NOC' }).locator('button.contact-remove').click();
    await page.waitForURL(`${t.baseUrl}/tenancy/tenants/${ids.acme}/?tab=contacts`);
    await expect(table.locator('tbody tr').count()).resolves.toBe(1);
    await expect(table.innerText()).resolves.not.toContain('NOC');
    await shot('04-association-removed');
  });

  it('refuses an association with both a contact and a team on the form, naming the field', async () => {
    // The form filled in from the URL (as the Contacts tab's button does), both sides given.
    const role = (await t.api.get('/api/extras/roles/?name=On%20Site')).body.results[0].id as string;
    const status = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id as string;
    await page.goto(
      `${t.baseUrl}/extras/contact-associations/add/?associated_object_type=tenancy.tenant&associated_object_id=${ids.acme}&contact=${ids['Bob Ruiz']}&team=${ids.NOC}&role=${role}&status=${status}`,
    );
    await expect(page.locator('[data-field="team"]').innerText()).resolves.toContain('NOC');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="team"]').innerText()).resolves.toContain(
      'A contact and a team cannot be both specified at once.',
    );
    await shot('05-form-error');
  });

  it('has contact and team pages, a menu entry, and the tab on plugin models', async () => {
    await page.goto(`${t.baseUrl}/extras/contacts/`);
    await expect(page.locator('table').innerText()).resolves.toContain('alice@example.com');
    await shot('06-contact-list');
    await page.goto(`${t.baseUrl}/extras/teams/${ids.NOC}/`);
    await expect(page.locator('main').innerText()).resolves.toContain('Bob Ruiz');
    await shot('07-team-detail');
    await page.goto(`${t.baseUrl}/extras/contacts/${ids['Alice Ng']}/`);
    await expect(page.locator('main').innerText()).resolves.toContain('1 Main St');
    const objects = page.locator('table.contact-associated-objects');
    await expect(objects.locator(`a[href="/tenancy/tenants/${ids.acme}/"]`).innerText()).resolves.toBe(
      'acme',
    );
    await expect(objects.innerText()).resolves.toContain('Administrative');
    await shot('08-contact-detail');
    const menu = page.locator('nav[aria-label="Main menu"]');
    for (const href of ['/extras/contacts/', '/extras/teams/', '/extras/contact-associations/'])
      await expect(menu.locator(`a[href="${href}"]`).count()).resolves.toBeGreaterThan(0);

    const [widget] = await t.objects.create('example.widget', [{ name: 'w1', status: 'Active' }]);
    await page.goto(`${t.baseUrl}/plugins/example/widgets/${widget.id}/?tab=contacts`);
    await expect(page.locator('.card', { hasText: 'Contacts' }).innerText()).resolves.toContain(
      'No contacts or teams are associated with this object.',
    );
    await shot('09-plugin-model-tab');
    expect(scriptErrors).toEqual([]);
  });
});
