import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { buildDomainFixture, type DomainFixture } from './ui-domain-fixtures';
import { launchChromium } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'ui-domains', testDatabaseKind());

/** Vertical centre of an element on the page. */
async function middle(l: Locator): Promise<number> {
  const box = await l.boundingBox();
  if (!box) throw new Error('element not rendered');
  return box.y + box.height / 2;
}

async function cellTexts(rows: Locator, column: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').nth(column).innerText()).trim());
  return out;
}

describe(onDatabase('web UI domain pages in a browser'), () => {
  let t: TestApp;
  let f: DomainFixture;
  let browser: Browser;
  let page: Page;
  const offOrigin: string[] = [];
  const scriptErrors: string[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const open = async (url: string) => {
    const res = await page.goto(`${t.baseUrl}${url}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('.plugin-error').count()).resolves.toBe(0);
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    f = await buildDomainFixture(t.objects);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${t.baseUrl}/`) && !url.startsWith('data:')) offOrigin.push(url);
    });
    page.on('pageerror', (e) => scriptErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') scriptErrors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) scriptErrors.push(`${r.status()} ${r.url()}`);
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

  it('draws the rack elevation: devices at their units, full depth on both faces, linked', async () => {
    await open(`/dcim/racks/${String(f.rack.id)}/`);
    const front = page.locator('svg.rack-elevation[data-face="front"]');
    const rear = page.locator('svg.rack-elevation[data-face="rear"]');
    await expect(front.getAttribute('data-units')).resolves.toBe('12');
    const unitLabel = (svg: Locator, u: number) => svg.locator(`g.rack-unit[data-unit="${u}"] text`);
    const box = (svg: Locator, name: string) => svg.locator(`g.rack-device[data-device-name="${name}"] rect`);

    // Ascending units: U1 at the bottom, the 2U spine over U5 and U6.
    expect(await middle(unitLabel(front, 1))).toBeGreaterThan(await middle(unitLabel(front, 12)));
    expect(
      Math.abs((await middle(box(front, 'ams-leaf-01'))) - (await middle(unitLabel(front, 1)))),
    ).toBeLessThan(2);
    const spine = await middle(box(front, 'ams-spine-01'));
    expect(
      Math.abs(spine - ((await middle(unitLabel(front, 5))) + (await middle(unitLabel(front, 6)))) / 2),
    ).toBeLessThan(2);
    await expect(
      front.locator('g[data-device-name="ams-spine-01"]').getAttribute('data-height'),
    ).resolves.toBe('2');
    // Role colours.
    await expect(box(front, 'ams-leaf-01').getAttribute('fill')).resolves.toBe('#2196f3');
    await expect(box(front, 'ams-spine-01').getAttribute('fill')).resolves.toBe('#ff9800');

    // Rear: the rear-mounted switch, and the full-depth spine seen from behind; not the front switch.
    await expect(rear.locator('g[data-device-name="ams-leaf-02"]').count()).resolves.toBe(1);
    await expect(rear.locator('g[data-device-name="ams-leaf-01"]').count()).resolves.toBe(0);
    await expect(rear.locator('g.rack-device-behind[data-device-name="ams-spine-01"]').count()).resolves.toBe(
      1,
    );
    await expect(front.locator('g[data-device-name="ams-leaf-02"]').count()).resolves.toBe(0);
    await expect(page.locator('.rack-unplaced').innerText()).resolves.toContain('ams-spare-01');
    await shot('01-rack-elevation');

    await front.locator('a:has(g[data-device-name="ams-spine-01"])').click();
    await page.waitForURL(`${t.baseUrl}/dcim/devices/${String(f.spine.id)}/`);
    await expect(page.locator('h1').innerText()).resolves.toBe('ams-spine-01');
  });

  it('numbers descending racks from the top and lists every rack of a location', async () => {
    await open(`/dcim/locations/${String(f.ams.id)}/?tab=elevations`);
    const racks = page.locator('.rack-elevations');
    await expect(racks.count()).resolves.toBe(2);
    const r2 = page.locator(`svg.rack-elevation[data-rack-id="${String(f.descRack.id)}"][data-face="front"]`);
    await expect(r2.getAttribute('data-desc-units')).resolves.toBe('true');
    const unit = (u: number) => r2.locator(`g.rack-unit[data-unit="${u}"] text`);
    expect(await middle(unit(1))).toBeLessThan(await middle(unit(10)));
    const panel = r2.locator('g[data-device-name="ams-pp-01"] rect');
    expect(Math.abs((await middle(panel)) - (await middle(unit(3))))).toBeLessThan(2);
    await shot('02-location-elevations');
  });

  it('lists locations as a tree with rack, device and prefix counts', async () => {
    await open('/dcim/locations/');
    const rows = page.locator('table.object-list tbody tr');
    const names = await cellTexts(rows, 1);
    expect(names.map((n) => n.replace(/^↳\s*/, ''))).toEqual(['Americas', 'Europe', 'AMS', 'AMS-1', 'FRA']);
    const depth = (name: string) =>
      rows.filter({ hasText: name }).first().locator('.tree-indent').getAttribute('data-depth');
    await expect(depth('AMS-1')).resolves.toBe('2');
    const header = await page.locator('table.object-list thead th').allInnerTexts();
    const col = (label: string) => header.findIndex((h) => h.trim() === label);
    const europe = rows.nth(1);
    await expect(europe.locator('td').nth(col('Racks')).innerText()).resolves.toBe('2');
    await expect(europe.locator('td').nth(col('Devices')).innerText()).resolves.toBe('5');
    await expect(europe.locator('td').nth(col('Prefixes')).innerText()).resolves.toBe('2');
    await shot('03-location-tree');
    await europe.locator('td').nth(col('Devices')).locator('a').click();
    await page.waitForURL(/\/dcim\/devices\/\?location=/);
    await expect(page.locator('.list-count').innerText()).resolves.toContain('of 5');
  });

  it('shows a location with its child locations, racks and devices', async () => {
    await open(`/dcim/locations/${String(f.ams.id)}/`);
    await expect(page.locator('table.location-children tbody tr').innerText()).resolves.toMatch(
      /AMS-1\s+Building\s+Active\s+2\s+5/,
    );
    await expect(page.locator('table.location-racks tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('table.location-devices tbody tr').count()).resolves.toBe(5);
    await shot('04-location-detail');
  });

  it('shows a device with its interfaces: cable peers, LAG members, VLANs and IP addresses', async () => {
    await open(`/dcim/devices/${String(f.leaf1.id)}/`);
    await page.click('.nav-tabs a:has-text("Interfaces")');
    const row = (name: string) => page.locator(`table.device-interfaces tr[data-interface="${name}"]`);
    await expect(row('eth1').locator('.cable-end').first().innerText()).resolves.toBe('ams-spine-01 › eth1');
    // The Cable column by its header (families add columns, e.g. Module).
    const headers = await page.locator('table.device-interfaces thead th').allInnerTexts();
    const cableColumn = headers.map((h) => h.trim()).indexOf('Cable');
    expect(cableColumn).toBeGreaterThan(0);
    await expect(row('eth1').locator('td').nth(cableColumn).innerText()).resolves.toBe('C-100');
    await expect(row('eth6').locator('.cable-end').first().innerText()).resolves.toBe('CID-1001 › Side A');
    await expect(row('po1').locator('.lag-members').innerText()).resolves.toBe('eth2, eth3');
    await expect(row('eth2').locator('.lag-parent').innerText()).resolves.toBe('po1');
    await expect(row('eth4').innerText()).resolves.toMatch(/Access\s+Untagged: servers \(10\)/);
    await expect(row('eth5').innerText()).resolves.toMatch(/Tagged: storage \(20\)/);
    await expect(row('eth4').innerText()).resolves.toContain('10.10.1.1/24');
    await shot('05-device-interfaces');
    // The peer's device and port are links.
    await row('eth1').locator('.cable-end a', { hasText: 'ams-spine-01' }).first().click();
    await page.waitForURL(`${t.baseUrl}/dcim/devices/${String(f.spine.id)}/`);
    await page.click('.nav-tabs a:has-text("Interfaces")');
    await expect(row('eth1').locator('.cable-end').first().innerText()).resolves.toBe('ams-leaf-01 › eth1');
  });

  it('shows a prefix with its utilization, child prefixes, addresses and free ranges', async () => {
    await open(`/ipam/prefixes/${String(f.network.id)}/`);
    const bar = page.locator('.prefix-utilization .progress');
    // 4 of 254 usable addresses.
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('1.57');
    await shot('06-prefix-detail');
    await page.click('.nav-tabs a:has-text("IP Addresses")');
    const rows = page.locator('table.prefix-addresses tbody tr');
    await expect(rows.first().innerText()).resolves.toContain('10.10.1.1/24');
    const free = page.locator('table.prefix-addresses tr.available');
    await expect(free.first().innerText()).resolves.toMatch(/10\.10\.1\.4\/24\s*[–-]\s*10\.10\.1\.9\/24/);
    await expect(free.first().innerText()).resolves.toContain('6 free');
    await shot('07-prefix-addresses');

    await open(`/ipam/prefixes/${String(f.container.id)}/?tab=prefixes`);
    const children = page.locator('table.prefix-children tbody tr');
    await expect(children.first().innerText()).resolves.toMatch(/10\.10\.0\.0\/24\s+Available/);
    await expect(page.locator('table.prefix-children tr[data-prefix="10.10.1.0/24"]').count()).resolves.toBe(
      1,
    );
    await expect(page.locator('table.prefix-children tr.available').nth(1).innerText()).resolves.toContain(
      '10.10.2.0/23',
    );
    await shot('08-prefix-children');

    await open('/ipam/prefixes/');
    const util = page.locator('table.object-list tbody tr', { hasText: '10.10.1.0/24' }).locator('.progress');
    await expect(util.getAttribute('aria-valuenow')).resolves.toBe('1.57');
    await shot('09-prefix-list');
  });

  it('shows a VLAN group with its free VLAN IDs and a VLAN with its interfaces and prefixes', async () => {
    await open(`/ipam/vlan-groups/${String(f.vlanGroup.id)}/`);
    const rows = page.locator('table.vlan-group-vlans tbody tr');
    await expect(cellTexts(rows, 0)).resolves.toEqual(['1–9', '10', '11–19', '20', '21', '22–4094']);
    await expect(rows.nth(0).innerText()).resolves.toContain('9 available');
    await shot('10-vlan-group');
    await open(`/ipam/vlans/${String(f.vlan10.id)}/`);
    const ifaces = page.locator('table.vlan-interfaces tbody tr');
    await expect(ifaces.count()).resolves.toBe(2);
    await expect(page.locator('table.vlan-interfaces tr[data-tagging="Untagged"]').count()).resolves.toBe(2);
    await expect(page.locator('table.vlan-prefixes tbody tr').innerText()).resolves.toContain('10.10.1.0/24');
    await shot('11-vlan');
  });

  it('shows a circuit with its A and Z terminations and the cable to the device', async () => {
    await open(`/circuits/circuits/${String(f.circuit.id)}/`);
    const a = page.locator('.circuit-termination[data-side="A"]');
    await expect(a.innerText()).resolves.toMatch(/Location\s+Europe → AMS → AMS-1/);
    await expect(a.innerText()).resolves.toMatch(/Speed\s+10 Gbps/);
    await expect(a.locator('.termination-peer').innerText()).resolves.toBe('ams-leaf-01 › eth6');
    const z = page.locator('.circuit-termination[data-side="Z"]');
    await expect(z.innerText()).resolves.toMatch(/Provider network\s+Acme Backbone/);
    await shot('12-circuit');
    await a.locator('.termination-peer a', { hasText: 'eth6' }).click();
    await page.waitForURL(`${t.baseUrl}/dcim/interfaces/${String(f.iface.eth6.id)}/`);
  });

  it('kept every request on the server and raised no script errors', () => {
    expect(offOrigin).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });
});
