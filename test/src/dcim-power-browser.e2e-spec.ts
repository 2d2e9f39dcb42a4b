import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';
import { POWER, allowPowerPanels, cable, powerTypes } from './power-fixtures';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'dcim-power', testDatabaseKind());

/** Power panels, feeds and utilization in a real browser. */
describe(onDatabase('power in a browser'), () => {
  let t: TestApp;
  let s: Site;
  let browser: Browser;
  let page: Page;
  let rack: Obj;
  let panel: Obj;
  let feed3p: Obj;
  let pdu: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const port = async (p: string, d: Obj, name: string): Promise<Obj> =>
    (await t.api.get(`${p}?device=${d.id}&name=${encodeURIComponent(name)}`)).body.results[0];
  const pick = (field: string, search: string, text: string) => pickSearchable(page, field, search, text);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    await allowPowerPanels(t, s);
    rack = await create(t.api, DCIM.racks, {
      name: 'R1',
      location: s.site.id,
      status: 'Active',
      u_height: 12,
    });
    panel = await create(t.api, POWER.panels, { name: 'MDF-1', location: s.site.id });
    const types = await powerTypes(t, s);
    pdu = await create(t.api, DCIM.devices, device(s, types.pdu, 'pdu-1', { rack: rack.id }));
    const servers = await create(
      t.api,
      DCIM.devices,
      [1, 2, 3].map((i) =>
        device(s, types.server, `srv-${i}`, { rack: rack.id, position: i * 2, face: 'front' }),
      ),
    );
    for (const [i, outletName] of ['o1', 'o3', 'o5'].entries()) {
      const outlet = await port(DCIM.powerOutlets, pdu, outletName);
      const psu = await port(DCIM.powerPorts, servers[i], 'PSU');
      await create(t.api, DCIM.cables, cable(['dcim.poweroutlet', outlet], ['dcim.powerport', psu]));
    }
    // 230 V × 10 A × 80 % × √3 = 3187 VA: 300 VA allocated is 9.4 %.
    feed3p = await create(t.api, POWER.feeds, {
      power_panel: panel.id,
      rack: rack.id,
      name: 'Feed-A',
      status: 'Active',
      phase: 'three-phase',
      voltage: 230,
      amperage: 10,
    });
    await create(
      t.api,
      DCIM.cables,
      cable(['dcim.powerfeed', feed3p], ['dcim.powerport', await port(DCIM.powerPorts, pdu, 'in')]),
    );
    await create(t.api, POWER.feeds, {
      power_panel: panel.id,
      rack: rack.id,
      name: 'Feed-B',
      status: 'Planned',
      type: 'redundant',
    });
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('has a Power menu with feeds and panels', async () => {
    await page.goto(`${t.baseUrl}/`);
    const nav = page.locator('nav');
    await expect(nav.locator('a[href="/dcim/power-feeds/"]').count()).resolves.toBeGreaterThan(0);
    await expect(nav.locator('a[href="/dcim/power-panels/"]').count()).resolves.toBeGreaterThan(0);
  });

  it('shows a panel with its feeds, what they feed and their utilization', async () => {
    await page.goto(`${t.baseUrl}/dcim/power-panels/`);
    await expect(page.locator('table.object-list tbody').innerText()).resolves.toContain('MDF-1');
    await shot('01-power-panels');
    await page.goto(`${t.baseUrl}/dcim/power-panels/${panel.id}/`);
    const feeds = page.locator('table.power-panel-feeds');
    await expect(feeds.locator('tbody tr').count()).resolves.toBe(2);
    const row = feeds.locator('tr[data-feed="Feed-A"]');
    await expect(row.innerText()).resolves.toContain('pdu-1 › in');
    await expect(row.locator('.utilization').getAttribute('aria-valuenow')).resolves.toBe('9.4');
    await expect(feeds.locator('tr[data-feed="Feed-B"] .utilization').count()).resolves.toBe(0);
    await shot('02-power-panel');
  });

  it('shows a feed with its connection and per-leg utilization', async () => {
    await page.goto(`${t.baseUrl}/dcim/power-feeds/`);
    await expect(page.locator('table.object-list tbody tr').count()).resolves.toBe(2);
    await shot('03-power-feeds');
    await page.goto(`${t.baseUrl}/dcim/power-feeds/${feed3p.id}/`);
    const body = await page.locator('body').innerText();
    expect(body).toContain('3187');
    const util = page.locator('table.power-feed-utilization');
    await expect(util.locator('tbody tr').count()).resolves.toBe(4);
    await expect(util.innerText()).resolves.toContain('Leg A');
    // Each leg against a third of the feed (1062 VA): 100 VA is 9.4 %.
    await expect(util.locator('.utilization').nth(1).getAttribute('aria-valuenow')).resolves.toBe('9.4');
    await shot('04-power-feed');
  });

  it('adds a feed through the form and refuses a rack of another location, naming the field', async () => {
    const other = await create(t.api, DCIM.racks, {
      name: 'R-fra',
      location: s.otherSite.id,
      status: 'Active',
    });
    await page.goto(`${t.baseUrl}/dcim/power-feeds/add/`);
    await pick('power_panel', 'MDF', 'MDF-1');
    await page.fill('#id_name', 'Feed-C');
    await pick('status', 'Act', 'Active');
    await pick('rack', 'R-f', 'R-fra');
    await page.selectOption('#id_phase', 'three-phase');
    await page.fill('#id_amperage', '32');
    await shot('05-feed-form');
    await page.click('form.object-form button[type=submit]');
    await expect(page.locator('[data-field="rack"]').innerText()).resolves.toContain('different locations');
    await shot('06-feed-form-error');
    expect(other.id).toBeDefined();
    await pick('rack', 'R1', 'R1');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/power-feeds\/[0-9a-f-]{36}\/$/);
    await expect(page.locator('body').innerText()).resolves.toContain('Feed-C');
    const created = (await t.api.get(`${POWER.feeds}?name=Feed-C`)).body.results[0];
    expect(created.available_power).toBe(Math.round(120 * 32 * 0.8 * 1.732));
  });

  it('shows the feeds into a rack with their utilization on the rack page', async () => {
    await page.goto(`${t.baseUrl}/dcim/racks/${rack.id}/`);
    const feeds = page.locator('table.rack-power-feeds');
    await expect(feeds.locator('tbody tr').count()).resolves.toBe(3);
    await expect(
      feeds.locator('tr[data-feed="Feed-A"] .utilization').getAttribute('aria-valuenow'),
    ).resolves.toBe('9.4');
    await expect(feeds.locator('tr[data-feed="Feed-A"]').innerText()).resolves.toContain('pdu-1 › in');
    await shot('07-rack');
  });

  it('shows power utilization on the device page', async () => {
    await page.goto(`${t.baseUrl}/dcim/devices/${pdu.id}/`);
    const util = page.locator('table.device-power-utilization');
    await expect(util.locator('tbody tr').count()).resolves.toBe(4);
    const text = await util.innerText();
    expect(text).toContain('300 VA');
    expect(text).toContain('3187 VA');
    expect(text).toContain('Leg C');
    await shot('08-device');
  });

  it('raised no script errors', () => {
    expect(scriptErrors).toEqual([]);
  });
});
