import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';
import { launchChromium, loggedInPage } from './ui-helpers';

const ITEMS = '/api/dcim/inventory-items/';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'dcim-inventory', testDatabaseKind());

/**
 * Inventory items and the device-type library's fields in a real browser: the item list (a tree),
 * the add form and detail page, the device's Inventory tab, a device type's airflow and weight,
 * an interface's PoE fields.
 */
describe(onDatabase('inventory items in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let s: Site;
  let sw: Obj;
  let type: Obj;
  let chassis: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    type = await create(t.api, DCIM.deviceTypes, {
      manufacturer: s.manufacturer.id,
      model: 'PoE-48',
      airflow: 'front-to-rear',
      weight: '7.5',
      weight_unit: 'kg',
      description: 'A PoE access switch',
    });
    await create(t.api, DCIM.interfaceTemplates, {
      device_type: type.id,
      name: 'ge-0/0/1',
      type: '1000base-t',
      poe_mode: 'pse',
      poe_type: 'type2-ieee802.3at',
    });
    sw = await create(t.api, DCIM.devices, device(s, type, 'access-1'));
    chassis = await create(t.api, ITEMS, {
      device: sw.id,
      name: 'Chassis',
      serial: 'SN-CH',
      asset_tag: 'AT-9',
    });
    const lc = await create(t.api, ITEMS, {
      device: sw.id,
      parent: chassis.id,
      name: 'Uplink module',
      discovered: true,
    });
    await create(t.api, ITEMS, [
      {
        device: sw.id,
        parent: lc.id,
        name: 'Optic 1',
        part_id: 'SFP-10G-SR',
        manufacturer: s.manufacturer.id,
      },
      {
        device: sw.id,
        parent: lc.id,
        name: 'Optic 2',
        part_id: 'SFP-10G-SR',
        manufacturer: s.manufacturer.id,
      },
      { device: sw.id, name: 'PSU 1', part_id: 'PWR-350' },
    ]);
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists inventory items as a tree, from the Components menu', async () => {
    await page.goto(`${t.baseUrl}/`);
    await expect(page.locator('a[href="/dcim/inventory-items/"]').count()).resolves.toBeGreaterThan(0);
    await page.goto(`${t.baseUrl}/dcim/inventory-items/`);
    const rows = await page.locator('table tbody tr').allInnerTexts();
    expect(
      rows.map((r) =>
        r
          .split('\t')
          .find((c) => c.trim())
          ?.trim(),
      ),
    ).toEqual(['Chassis', 'Uplink module', 'Optic 1', 'Optic 2', 'PSU 1']);
    await expect(page.locator('table tbody tr .tree-indent[data-depth="2"]').count()).resolves.toBe(2);
    await shot('01-inventory-list');
  });

  it('adds an item from the form, prefilled with the device, and shows it', async () => {
    await page.goto(`${t.baseUrl}/dcim/inventory-items/add/?device=${sw.id}`);
    await page.fill('#id_name', 'Fan tray');
    await page.fill('#id_part_id', 'FAN-1');
    await page.fill('#id_serial', 'SN-FAN');
    await page.check('#id_discovered');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/inventory-items\/[0-9a-f-]{36}\/$/);
    const body = await page.locator('body').innerText();
    expect(body).toContain('FAN-1');
    expect(body).toContain('SN-FAN');
    expect(body).toContain('access-1');
    await shot('02-inventory-item-detail');
    // A duplicate name on the same device is refused on the name field.
    await page.goto(`${t.baseUrl}/dcim/inventory-items/add/?device=${sw.id}`);
    await page.fill('#id_name', 'Fan tray');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="name"] .field-error').innerText()).resolves.toContain(
      'already exists on this device',
    );
    await shot('03-inventory-item-duplicate');
  });

  it("shows the device's items as a tree on its Inventory tab", async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${sw.id}/`);
    await page.click('ul.nav-tabs a:has-text("Inventory")');
    await page.waitForURL(/\?tab=inventory$/);
    const rows = page.locator('table.device-inventory tbody tr');
    const tree = await rows.evaluateAll((trs: { getAttribute(name: string): string | null }[]) =>
      trs.map((tr) => `${tr.getAttribute('data-depth')}:${tr.getAttribute('data-item')}`),
    );
    expect(tree).toEqual(['0:Chassis', '1:Uplink module', '2:Optic 1', '2:Optic 2', '0:Fan tray', '0:PSU 1']);
    const optic = await rows.filter({ hasText: 'Optic 1' }).innerText();
    expect(optic).toContain('SFP-10G-SR');
    expect(optic).toContain(s.manufacturer.name);
    await shot('04-device-inventory-tab');
    await page.click('table.device-inventory a:has-text("Uplink module")');
    await page.waitForURL(/\/dcim\/inventory-items\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('Chassis');
  });

  it("shows a device type's airflow and weight, and an interface's PoE fields", async () => {
    await page.goto(`${t.baseUrl}/dcim/device-types/${type.id}/`);
    const body = await page.locator('body').innerText();
    expect(body).toContain('Front to rear');
    expect(body).toContain('7.5');
    expect(body).toContain('Kilograms');
    expect(body).toContain('A PoE access switch');
    await shot('05-device-type-airflow-weight');
    const iface = (await t.api.get(`${DCIM.interfaces}?device=${sw.id}&name=ge-0/0/1`)).body
      .results[0] as Obj;
    expect(iface).toMatchObject({ poe_mode: { value: 'pse' }, poe_type: { value: 'type2-ieee802.3at' } });
    await page.goto(`${t.baseUrl}/dcim/interfaces/${iface.id}/edit/`);
    await expect(page.locator('#id_poe_mode').inputValue()).resolves.toBe('pse');
    await page.selectOption('#id_poe_mode', '');
    await page.click('form.object-form button[type=submit]');
    await shot('06-interface-poe-error');
    await expect(page.locator('[data-field="poe_type"] .field-error').innerText()).resolves.toContain(
      'Must specify PoE mode',
    );
    await shot('06-interface-poe-error');
    expect(scriptErrors).toEqual([]);
  });
});
