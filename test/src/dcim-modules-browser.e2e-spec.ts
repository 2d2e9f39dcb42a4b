import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';
import { MODULES, buildModular } from './dcim-modules-fixtures';
import { launchChromium, loggedInPage } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'dcim-modules', testDatabaseKind());

/** Modules in a real browser: installing a module from a device's bay, the module and device pages. */
describe(onDatabase('dcim modules in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let s: Site;
  let sw: Obj;
  let types: Awaited<ReturnType<typeof buildModular>>;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    types = await buildModular(t, s);
    sw = await create(t.api, DCIM.devices, device(s, types.chassis, 'core1'));
    const [slot1] = (await t.api.get(`${MODULES.moduleBays}?parent_device=${sw.id}`)).body.results;
    const lc = await create(t.api, MODULES.modules, {
      module_type: types.card.id,
      parent_module_bay: slot1.id,
      status: 'Active',
      serial: 'LC-A',
    });
    const [sfpBay] = (await t.api.get(`${MODULES.moduleBays}?parent_module=${lc.id}`)).body.results;
    await create(t.api, MODULES.modules, {
      module_type: types.sfp.id,
      parent_module_bay: sfpBay.id,
      status: 'Active',
      serial: 'SFP-A',
    });
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('installs a module from an empty bay on the device Module Bays tab', async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${sw.id}/`);
    await page.click('ul.nav-tabs a:has-text("Module Bays")');
    await page.waitForURL(/\?tab=module-bays$/);
    const rows = await page.locator('table.module-bays tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0].trim())).toEqual(['Slot 1', 'SFP 1', 'SFP 2', 'Slot 2']);
    await shot('01-device-module-bays');
    await page.locator('tr[data-bay="Slot 2"] a.install-module').click();
    await page.waitForURL(/\/dcim\/modules\/add\/\?parent_module_bay=/);
    await page.fill('#id_serial', 'LC-B');
    await page.click('[data-field="module_type"] .ts-control');
    await page.keyboard.type('LC-2');
    await page
      .locator('[data-field="module_type"] .ts-dropdown .option', { hasText: 'LC-2' })
      .first()
      .click();
    await page.keyboard.press('Escape');
    await page.click('[data-field="status"] .ts-control');
    await page.keyboard.type('Active');
    await page.locator('[data-field="status"] .ts-dropdown .option', { hasText: 'Active' }).first().click();
    await page.keyboard.press('Escape');
    // Tom Select may take the focus back on a timer after a pick: the plain field was filled first.
    await expect(page.locator('#id_serial').inputValue()).resolves.toBe('LC-B');
    await shot('02-install-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/devices\/[0-9a-f-]{36}\/\?tab=module-bays$/);
    await expect(page.locator('tr[data-bay="Slot 2"]').innerText()).resolves.toContain('LC-2');
    const modules = (await t.api.get(`${MODULES.modules}?serial=LC-B`)).body.results;
    expect(modules.length).toBe(1);
  });

  it('shows the module on the device interfaces and the components on the module page', async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${sw.id}/?tab=interfaces`);
    const row = await page.locator('table.device-interfaces tr[data-interface="Ethernet2/1"]').innerText();
    expect(row).toContain('LC-2');
    await shot('03-device-interfaces-module-column');
    const lc = (await t.api.get(`${MODULES.modules}?serial=LC-A`)).body.results[0];
    await page.goto(`${t.baseUrl}/dcim/modules/${lc.id}/`);
    const components = await page.locator('table.module-components tbody tr').allInnerTexts();
    expect(components.map((r) => r.split('\t').slice(0, 2))).toEqual([
      ['Power Port', 'PSU1'],
      ['Power Outlet', 'OUT1'],
      ['Interface', 'Ethernet1/1'],
      ['Interface', 'Ethernet1/2'],
    ]);
    await expect(page.locator('table.module-bays').innerText()).resolves.toContain('SFP-10G');
    await shot('04-module-detail');
    await page.goto(`${t.baseUrl}/dcim/module-types/${types.card.id}/`);
    await expect(page.locator('table.module-type-templates').innerText()).resolves.toContain(
      'Ethernet{module}/1',
    );
    await shot('05-module-type-detail');
    await page.goto(`${t.baseUrl}/dcim/modules/`);
    await expect(page.locator('body').innerText()).resolves.toContain('SFP-A');
    await shot('06-module-list');
    await page.goto(`${t.baseUrl}/dcim/interfaces/?device=${sw.id}`);
    await shot('07-interface-list');
    expect(scriptErrors).toEqual([]);
  });
});
