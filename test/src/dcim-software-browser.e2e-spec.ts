import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'dcim-software', testDatabaseKind());

/** Software in a real browser: the menu, the version form and page, a device's and a device type's software. */
describe(onDatabase('dcim software in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let s: Site;
  let platform: Obj;
  let type: Obj;
  let leaf: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  const pick = (field: string, label: string) => pickSearchable(page, field, label.slice(0, 6), label);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    platform = await create(t.api, DCIM.platforms, { name: 'EOS', manufacturer: s.manufacturer.id });
    type = await switchType(t, s.manufacturer, 'DCS-7050', 0);
    leaf = await create(t.api, DCIM.devices, device(s, type, 'leaf1', { platform: platform.id }));
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists software under Devices in the menu', async () => {
    await page.click('[data-nav-tab="Devices"] > a');
    const menu = page.locator('[data-nav-tab="Devices"] .dropdown-menu');
    await menu.waitFor({ state: 'visible' });
    await expect(menu.innerText()).resolves.toMatch(
      /Software[\s\S]*Software versions[\s\S]*Software image files/i,
    );
    await shot('01-menu');
    await menu.getByText(/Software versions/i).click();
    await page.waitForURL(`${t.baseUrl}/dcim/software-versions/`);
  });

  it('creates a version in the form, refusing a bad documentation URL next to the field', async () => {
    await page.goto(`${t.baseUrl}/dcim/software-versions/add/`);
    await page.fill('#id_version', '4.32.2F');
    await page.fill('#id_alias', 'EOS 4.32.2F');
    await page.fill('#id_release_date', '2024-08-05');
    await page.fill('#id_documentation_url', 'javascript:alert(1)');
    await pick('platform', 'EOS');
    await pick('status', 'Active');
    await page.click('form.object-form button[type=submit]');
    await page.waitForLoadState();
    await expect(page.locator('[data-field="documentation_url"] .field-error').innerText()).resolves.toMatch(
      /valid URL/,
    );
    await shot('02-version-form-error');
    expect(await t.objects.count('dcim.softwareversion', {})).toBe(0);
    await page.fill('#id_documentation_url', 'https://www.arista.com/en/support/software-download');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/software-versions\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('h1').innerText()).resolves.toContain('EOS 4.32.2F');
  });

  it("shows a version's image files and the devices running it", async () => {
    const [version] = await t.objects.find('dcim.softwareversion', { version: '4.32.2F' });
    await create(t.api, '/api/dcim/software-image-files/', {
      software_version: version.id,
      image_file_name: 'EOS-4.32.2F.swi',
      image_file_checksum: 'b'.repeat(64),
      hashing_algorithm: 'sha256',
      image_file_size: 1073741824,
      download_url: 'https://software.example.com/EOS-4.32.2F.swi',
      device_types: [type.id],
      status: 'Active',
    });
    await t.api.patch(`${DCIM.devices}${leaf.id}/`, { software_version: version.id });
    await page.goto(`${t.baseUrl}/dcim/software-versions/${String(version.id)}/`);
    const images = page.locator('table.software-image-files tbody tr');
    await expect(images.count()).resolves.toBe(1);
    await expect(images.first().innerText()).resolves.toContain('EOS-4.32.2F.swi');
    const devices = page.locator('table.software-devices tbody tr');
    await expect(devices.first().innerText()).resolves.toContain('leaf1');
    await shot('03-version-detail');
  });

  it("shows a device's software and a device type's image files", async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${leaf.id}/`);
    const software = page.locator('table.device-software');
    await expect(software.innerText()).resolves.toContain('EOS 4.32.2F');
    // No image of its own: the version's image for its device type.
    await expect(page.locator('table.software-image-files').last().innerText()).resolves.toContain(
      'EOS-4.32.2F.swi',
    );
    await shot('04-device-software');
    await page.goto(`${t.baseUrl}/dcim/device-types/${type.id}/`);
    await expect(page.locator('table.software-image-files').innerText()).resolves.toContain(
      'EOS-4.32.2F.swi',
    );
    await shot('05-device-type-images');
    await page.goto(`${t.baseUrl}/dcim/software-image-files/`);
    await expect(page.locator('body').innerText()).resolves.toContain('EOS-4.32.2F.swi');
    await shot('06-image-file-list');
    expect(scriptErrors).toEqual([]);
  });

  it("assigns an image file to the device in its edit form; the file's page lists the device", async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${leaf.id}/edit/`);
    await pick('software_image_files', 'EOS-4.32.2F.swi');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/dcim/devices/${leaf.id}/`);
    const [file] = await t.objects.find('dcim.softwareimagefile', { image_file_name: 'EOS-4.32.2F.swi' });
    const [stored] = await t.objects.find('dcim.device', { id: leaf.id });
    expect(stored.software_image_files).toEqual([file.id]);
    await page.goto(`${t.baseUrl}/dcim/software-image-files/${String(file.id)}/`);
    await expect(page.locator('table.software-devices tbody tr').first().innerText()).resolves.toContain(
      'leaf1',
    );
    await shot('07-image-file-detail');
    expect(scriptErrors).toEqual([]);
  });
});
