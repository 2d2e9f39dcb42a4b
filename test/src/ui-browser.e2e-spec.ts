import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { launchChromium } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui', testDatabaseKind());

describe(onDatabase('web UI in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const offOrigin: string[] = [];
  const scriptErrors: string[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Every request must stay on Plinth's origin (air-gapped networks), and no script may fail.
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:')) offOrigin.push(url);
    });
    page.on('pageerror', (e) => scriptErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Form pages answer 400 on validation errors; Chromium logs that as a failed load.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        scriptErrors.push(`console: ${m.text()}`);
    });
    // Assets and API calls made by the pages themselves must all succeed.
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.request().isNavigationRequest())
        scriptErrors.push(`${r.status()} ${r.request().resourceType()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs in and shows the home page with the example plugin panel and banner', async () => {
    await page.goto(`${t.baseUrl}/extras/tags/`);
    expect(page.url()).toBe(`${t.baseUrl}/login/?next=%2Fextras%2Ftags%2F`);
    await shot('01-login');
    await page.fill('#id_username', 'admin');
    await page.fill('#id_password', 'admin-password-1');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/extras/tags/`);
    await page.goto(`${t.baseUrl}/`);
    await expect(page.locator('.plugin-banner').innerText()).resolves.toBe('Plinth example banner for admin');
    const panel = page.locator('.plugin-panel[data-plugin="example"]');
    await expect(panel.locator('.card-header').innerText()).resolves.toBe('Example Plugin');
    await expect(page.locator('.home-section[data-section="Extensibility"]').innerText()).resolves.toContain(
      'Tags',
    );
    await shot('02-home');
  });

  it('builds the menu from the registry: a plugin tab and an item inside Circuits', async () => {
    await page.click('[data-nav-tab="Circuits"] > a');
    const circuits = page.locator('[data-nav-tab="Circuits"] .dropdown-menu');
    await circuits.waitFor({ state: 'visible' });
    await expect(circuits.innerText()).resolves.toContain('Example Circuit Item');
    await shot('03-nav-circuits');
    await page.click('[data-nav-tab="Example Plugin"] > a');
    const tab = page.locator('[data-nav-tab="Example Plugin"] .dropdown-menu');
    await tab.waitFor({ state: 'visible' });
    await expect(tab.locator('.dropdown-header').innerText()).resolves.toBe('Example');
    await expect(tab.innerText()).resolves.toContain('Widgets');
    await tab.getByText('Example Home').click();
    await page.waitForURL(`${t.baseUrl}/plugins/example/`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Example Plugin');
  });

  it('creates a tag through the form, shows a validation error next to the field, and edits it', async () => {
    await page.goto(`${t.baseUrl}/extras/tags/add/`);
    await page.fill('#id_name', 'core-router');
    await page.fill('#id_color', '2196f3');
    await page.fill('#id_description', 'Core routers');
    await page.click('button:has-text("Create")');
    await page.waitForURL(/\/extras\/tags\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('.alert-success').innerText()).resolves.toContain('Created tag core-router');
    await shot('04-tag-detail');

    await page.goto(`${t.baseUrl}/extras/tags/add/`);
    await page.fill('#id_name', 'core-router');
    await page.click('button:has-text("Create")');
    await page.waitForLoadState();
    const error = page.locator('[data-field="name"] .field-error');
    await expect(error.innerText()).resolves.toBe('Tag with this name already exists.');
    await expect(page.locator('#id_name').getAttribute('class')).resolves.toContain('is-invalid');
    await shot('05-validation-error');
    expect(await t.objects.count('extras.tag', { name: 'core-router' })).toBe(1);

    const [tag] = await t.objects.find('extras.tag', { name: 'core-router' });
    await page.goto(`${t.baseUrl}/extras/tags/${String(tag.id)}/`);
    await page.click('.object-buttons a:has-text("Edit")');
    await page.fill('#id_description', 'Core routers (edited)');
    await page.click('button:has-text("Update")');
    await page.waitForURL(`${t.baseUrl}/extras/tags/${String(tag.id)}/`);
    await expect(page.locator('[data-attribute="description"] td').innerText()).resolves.toBe(
      'Core routers (edited)',
    );
    await page.click('.nav-tabs a:has-text("Change Log")');
    await expect(page.locator('table.changelog tbody tr').count()).resolves.toBe(2);
  });

  it('creates a widget choosing its status in the REST-backed searchable select', async () => {
    await page.goto(`${t.baseUrl}/plugins/example/widgets/add/`);
    await page.fill('#id_name', 'gizmo-1');
    await page.selectOption('#id_kind', 'gizmo');
    // Tom Select: type to search the statuses API (limited to statuses for widgets), pick one.
    await page.click('[data-field="status"] .ts-control');
    await page.keyboard.type('Act');
    await page.locator('[data-field="status"] .ts-dropdown .option', { hasText: 'Active' }).click();
    await page.click('button:has-text("Create")');
    await page.waitForURL(/\/plugins\/example\/widgets\/[0-9a-f-]{36}\/$/);
    const [w] = await t.objects.find('example.widget', { name: 'gizmo-1' });
    expect(w).toMatchObject({ kind: 'gizmo' });
    const [active] = await t.objects.find('extras.status', { name: 'Active' });
    expect(w.status).toBe(active.id);
  });

  it('shows every example plugin slot on a detail page', async () => {
    const [w] = await t.objects.find('example.widget', { name: 'gizmo-1' });
    await page.goto(`${t.baseUrl}/plugins/example/widgets/${String(w.id)}/`);
    const right = page.locator('.col-lg-5 .plugin-panel[data-plugin="example"]');
    await expect(right.locator('.card-header').innerText()).resolves.toBe('Example Plugin');
    await expect(
      page.locator('.plugin-panel', { hasText: 'Example Plugin (full width)' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('.plugin-panel', { hasText: 'Example Plugin (left)' }).count()).resolves.toBe(
      1,
    );
    await expect(page.locator('.example-widget-card').count()).resolves.toBe(1);
    await expect(page.locator('a.plugin-button').innerText()).resolves.toBe('Example Action');
    await shot('06-widget-detail-slots');
    await page.click('.nav-tabs a:has-text("Example Tab")');
    await expect(page.locator('.example-tab').innerText()).resolves.toContain(
      'Example Tab content for gizmo-1',
    );
    await shot('07-example-tab');
    await page.goto(`${t.baseUrl}/plugins/example/widgets/`);
    await expect(page.locator('.list-buttons a.plugin-button').innerText()).resolves.toBe(
      'Example List Action',
    );
  });

  it('creates and edits a manufacturer through the form', async () => {
    await page.goto(`${t.baseUrl}/dcim/manufacturers/add/`);
    await page.fill('#id_name', 'Acme Networks');
    await page.click('button:has-text("Create")');
    await page.waitForURL(/\/dcim\/manufacturers\/[0-9a-f-]{36}\/$/);
    await page.click('.object-buttons a:has-text("Edit")');
    await page.fill('#id_description', 'Switches and routers');
    await page.click('button:has-text("Update")');
    await page.waitForLoadState();
    await expect(page.locator('[data-attribute="description"] td').innerText()).resolves.toBe(
      'Switches and routers',
    );
    const [m] = await t.objects.find('dcim.manufacturer', { name: 'Acme Networks' });
    expect(m.description).toBe('Switches and routers');
  });

  it('shows the example plugin slots on a device page (right panel with the interface count, full width, button, tab)', async () => {
    const [lt] = await t.objects.create('dcim.locationtype', [
      { name: 'Site', content_types: ['dcim.device'] },
    ]);
    const [loc] = await t.objects.create('dcim.location', [
      { name: 'AMS', location_type: lt.id, status: 'Active' },
    ]);
    const [role] = await t.objects.create('extras.role', [{ name: 'leaf', content_types: ['dcim.device'] }]);
    const [dt] = await t.objects.create('dcim.devicetype', [
      { manufacturer: 'Acme Networks', model: 'AX-1' },
    ]);
    const [device] = await t.objects.create('dcim.device', [
      { name: 'ams-leaf-01', device_type: dt.id, role: role.id, location: loc.id, status: 'Active' },
    ]);
    await t.objects.create(
      'dcim.interface',
      ['eth0', 'eth1', 'eth2'].map((name) => ({
        device: device.id,
        name,
        type: '1000base-t',
        status: 'Active',
      })),
    );
    await page.goto(`${t.baseUrl}/dcim/devices/${String(device.id)}/`);
    const right = page.locator('.col-lg-5 .plugin-panel[data-plugin="example"]');
    await expect(right.locator('.card-header').innerText()).resolves.toBe('Example Plugin');
    await expect(right.locator('.example-interface-count').innerText()).resolves.toBe(
      'ams-leaf-01 has 3 interfaces.',
    );
    await expect(
      page.locator('.plugin-panel', { hasText: 'Example Plugin (full width)' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('a.plugin-button').innerText()).resolves.toBe('Example Action');
    await expect(page.locator('.related-objects').innerText()).resolves.toMatch(/Interfaces\s+3/);
    await shot('12-device-detail-slots');
    await page.click('.nav-tabs a:has-text("Example Tab")');
    await expect(page.locator('.example-tab').innerText()).resolves.toContain(
      'Example Tab content for ams-leaf-01',
    );
  });

  it('browses the device list, filters it by role and opens a device', async () => {
    const [leaf] = await t.objects.find('dcim.device', { name: 'ams-leaf-01' });
    const [spine] = await t.objects.create('extras.role', [
      { name: 'spine', content_types: ['dcim.device'] },
    ]);
    await t.objects.create('dcim.device', [
      {
        name: 'ams-spine-01',
        device_type: leaf.device_type,
        role: spine.id,
        location: leaf.location,
        status: 'Active',
      },
    ]);
    await page.goto(`${t.baseUrl}/dcim/devices/`);
    const rows = page.locator('table.object-list tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    // The role filter is a searchable select backed by the roles API.
    await page.click('.filter-form [id="filter_role"] + .ts-wrapper .ts-control');
    await page.keyboard.type('spi');
    await page.locator('.filter-form .ts-dropdown .option', { hasText: 'spine' }).click();
    // Submitted as Apply does: a late search result can reopen the dropdown over the button.
    await page
      .locator('.filter-form')
      .evaluate((f) => (f as unknown as { requestSubmit(): void }).requestSubmit());
    await page.waitForURL(/role=/);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('ams-spine-01');
    await shot('13-device-list-filtered');
    await rows.first().locator('a', { hasText: 'ams-spine-01' }).click();
    await page.waitForURL(/\/dcim\/devices\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('h1').innerText()).resolves.toBe('ams-spine-01');
    await expect(page.locator('[data-attribute="role"] td').innerText()).resolves.toBe('spine');
  });

  it('browses and filters a list, then bulk deletes with confirmation', async () => {
    await t.objects.create(
      'extras.tag',
      ['edge-1', 'edge-2', 'edge-3', 'access-1'].map((name) => ({ name })),
    );
    await page.goto(`${t.baseUrl}/extras/tags/`);
    await expect(page.locator('table.object-list tbody tr').count()).resolves.toBe(5);
    await page.fill('.filter-form input[name=q]', 'edge');
    await page.click('.filter-form button:has-text("Apply")');
    await page.waitForURL(/q=edge/);
    await expect(page.locator('table.object-list tbody tr').count()).resolves.toBe(3);
    await shot('08-list-filtered');

    const rows = page.locator('table.object-list tbody tr');
    await rows.nth(0).locator('input[name=pk]').check();
    await rows.nth(1).locator('input[name=pk]').check();
    await page.click('button:has-text("Delete selected")');
    await expect(page.locator('.delete-confirmation ul.objects li').count()).resolves.toBe(2);
    await shot('09-bulk-delete-confirm');
    await page.click('button:has-text("Confirm delete")');
    await page.waitForURL(/\/extras\/tags\/\?q=edge$/);
    await expect(page.locator('.alert-success').innerText()).resolves.toContain('Deleted 2 tags');
    expect(await t.objects.count('extras.tag', { name__isw: 'edge-' })).toBe(1);
  });

  it('imports CSV: all rows or none, with per-row errors', async () => {
    await page.goto(`${t.baseUrl}/extras/tags/import/`);
    await page.fill('#id_csv_data', 'name,color\ncsv-1,aaaaaa\ncsv-2,not-a-color\n');
    await page.click('button:has-text("Import")');
    await expect(page.locator('.import-row-errors tbody tr').innerText()).resolves.toMatch(
      /3\s+color\s+Enter a valid/,
    );
    expect(await t.objects.count('extras.tag', { name__isw: 'csv-' })).toBe(0);
    await shot('10-import-errors');
    await page.fill('#id_csv_data', 'name,color\ncsv-1,aaaaaa\ncsv-2,bbbbbb\n');
    await page.click('button:has-text("Import")');
    await page.waitForURL(`${t.baseUrl}/extras/tags/`);
    await expect(page.locator('.alert-success').innerText()).resolves.toContain('Imported 2 tags');
    expect(await t.objects.count('extras.tag', { name__isw: 'csv-' })).toBe(2);
  });

  it('shows the installed plugins and what each contributes', async () => {
    await page.goto(`${t.baseUrl}/plugins/installed-plugins/`);
    await page.click('table.installed-plugins a:has-text("Example Plugin")');
    await expect(page.locator('.plugin-version').innerText()).resolves.toBe('1.0.0');
    await expect(page.locator('.plugin-contributions').innerText()).resolves.toContain(
      'Example Circuit Item',
    );
    await shot('11-plugin-detail');
  });

  it('kept every request on the server and raised no script errors', () => {
    expect(offOrigin).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });
});
