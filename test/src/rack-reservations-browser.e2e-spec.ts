import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj } from './dcim-fixtures';
import { POWER } from './power-fixtures';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  'test-artifacts',
  'rack-reservations',
  testDatabaseKind(),
);

/** Rack reservations in a real browser: the rack page, the elevation, the form and the reservation page. */
describe(onDatabase('rack reservations in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let rack: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const pick = (field: string, search: string, text: string) => pickSearchable(page, field, search, text);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    const s = await buildSite(t);
    rack = await create(t.api, DCIM.racks, {
      name: 'R1',
      location: s.site.id,
      status: 'Active',
      u_height: 12,
    });
    const type = await switchType(t, s.manufacturer, 'SW-1U', 0);
    await create(t.api, DCIM.devices, [
      device(s, type, 'sw-1', { rack: rack.id, position: 1, face: 'front' }),
      device(s, type, 'sw-2', { rack: rack.id, position: 3, face: 'rear' }),
    ]);
    const admin = (await t.api.get('/api/users/users/?username=admin')).body.results[0];
    await create(t.api, POWER.reservations, {
      rack: rack.id,
      units: [10, 11],
      user: admin.id,
      description: 'Future <b>storage</b>',
    });
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists reservations under Racks in the menu', async () => {
    await page.goto(`${t.baseUrl}/`);
    await expect(page.locator('nav a[href="/dcim/rack-reservations/"]').count()).resolves.toBeGreaterThan(0);
  });

  it('shows reservations on the rack page and marks reserved units on the elevation, escaped', async () => {
    await page.goto(`${t.baseUrl}/dcim/racks/${rack.id}/`);
    const reservations = page.locator('table.rack-reservations');
    await expect(reservations.innerText()).resolves.toContain('10-11');
    await expect(reservations.innerText()).resolves.toContain('Future <b>storage</b>');
    for (const face of ['front', 'rear']) {
      const svg = page.locator(`svg.rack-elevation[data-face="${face}"]`);
      await expect(svg.locator('.rack-reserved').count()).resolves.toBe(2);
    }
    await expect(
      page
        .locator('svg.rack-elevation[data-face="front"] .rack-reserved[data-unit="10"] title')
        .textContent(),
    ).resolves.toBe('Reserved: Future <b>storage</b> (admin)');
    await shot('01-rack');
  });

  it('adds a reservation through the form, refuses overlapping and missing units, and shows its page', async () => {
    await page.goto(`${t.baseUrl}/dcim/rack-reservations/add/`);
    await pick('rack', 'R1', 'R1');
    await page.fill('#id_units', '11,12');
    await pick('user', 'adm', 'admin');
    await page.fill('#id_description', 'Clash');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="units"]').innerText()).resolves.toContain(
      'The following units have already been reserved: 11',
    );
    await shot('02-form-overlap');
    await page.fill('#id_units', '13');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="units"]').innerText()).resolves.toContain(
      'Invalid unit(s) for 12U rack: 13',
    );
    await page.fill('#id_units', '12');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/rack-reservations\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('Reservation for rack R1');
    await expect(page.locator('svg.rack-elevation[data-face="front"] .rack-reserved').count()).resolves.toBe(
      3,
    );
    await shot('03-reservation');
    await page.goto(`${t.baseUrl}/dcim/rack-reservations/`);
    await expect(page.locator('table.object-list tbody tr').count()).resolves.toBe(2);
    await shot('04-list');
    expect(scriptErrors).toEqual([]);
  });
});
