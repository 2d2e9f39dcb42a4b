import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';
import { launchChromium, loggedInPage, pickSearchable } from './ui-helpers';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(
  __dirname,
  '..',
  '..',
  'test-artifacts',
  'redundancy-groups',
  testDatabaseKind(),
);

/** Redundancy groups in a real browser: the edit forms, the group pages with their members. */
describe(onDatabase('redundancy groups in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let fw1: Obj;
  let fw2: Obj;
  let site: Site;
  let fwType: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  const pick = (field: string, search: string, text: string) => pickSearchable(page, field, search, text);

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    site = await buildSite(t);
    fwType = await switchType(t, site.manufacturer, 'FW-1000', 2);
    [fw1, fw2] = await create(t.api, DCIM.devices, [
      device(site, fwType, 'fw1'),
      device(site, fwType, 'fw2'),
    ]);
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('adds a device redundancy group and its members from the forms; the group page lists them', async () => {
    await page.goto(`${t.baseUrl}/dcim/device-redundancy-groups/add/`);
    await page.fill('[name="name"]', 'fw-cluster');
    await pick('status', 'Act', 'Active');
    await page.selectOption('[name="failover_strategy"]', 'active-passive');
    await shot('01-group-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(/\/dcim\/device-redundancy-groups\/[0-9a-f-]{36}\/$/);
    const groupUrl = page.url();

    for (const [d, priority] of [
      [fw1, '1'],
      [fw2, '2'],
    ] as const) {
      await page.goto(`${t.baseUrl}/dcim/devices/${String(d.id)}/edit/`);
      await pick('device_redundancy_group', 'fw-c', 'fw-cluster');
      await page.fill('[name="device_redundancy_group_priority"]', priority);
      await page.click('form.object-form button[type=submit]');
      await page.waitForURL(`${t.baseUrl}/dcim/devices/${String(d.id)}/`);
    }
    await shot('02-device-page');
    await page.goto(groupUrl);
    const members = page.locator('table.redundancy-members tbody tr');
    await expect(members.count()).resolves.toBe(2);
    await expect(members.nth(0).innerText()).resolves.toMatch(/fw1\s+1/);
    await expect(members.nth(1).innerText()).resolves.toMatch(/fw2\s+2/);
    await shot('03-group-members');
  });

  it('refuses a priority without a group on the device form, naming the field', async () => {
    const [lone] = await create(t.api, DCIM.devices, [device(site, fwType, 'fw3')]);
    await page.goto(`${t.baseUrl}/dcim/devices/${String(lone.id)}/edit/`);
    await page.fill('[name="device_redundancy_group_priority"]', '3');
    await page.click('form.object-form button[type=submit]');
    await expect(
      page.locator('[data-field="device_redundancy_group_priority"]').innerText(),
    ).resolves.toContain('Must assign a redundancy group when defining a redundancy group priority.');
    await shot('04-priority-error');
  });

  it('lists the member interfaces of an interface redundancy group and adds one from its page', async () => {
    const group = await create(t.api, '/api/dcim/interface-redundancy-groups/', {
      name: 'edge-vrrp',
      status: 'Active',
      protocol: 'vrrp',
      protocol_group_id: '7',
    });
    const ifaces = (
      await t.api.get(`${DCIM.interfaces}?device=${String(fw1.id)}&device=${String(fw2.id)}&name=eth1`)
    ).body.results as Obj[];
    await create(t.api, '/api/dcim/interface-redundancy-group-associations/', {
      interface_redundancy_group: group.id,
      interface: ifaces.find((i) => i.device.id === fw1.id)!.id,
      priority: 200,
    });
    await page.goto(`${t.baseUrl}/dcim/interface-redundancy-groups/${String(group.id)}/`);
    await page.click('a.add-member');
    await pick('interface', 'eth1', 'fw2 eth1');
    await page.fill('[name="priority"]', '100');
    await shot('05-member-form');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/dcim/interface-redundancy-groups/${String(group.id)}/`);
    const members = page.locator('table.redundancy-members tbody tr');
    await expect(members.count()).resolves.toBe(2);
    await expect(members.nth(0).innerText()).resolves.toMatch(/fw1\s+eth1\s+200/);
    await expect(members.nth(1).innerText()).resolves.toMatch(/fw2\s+eth1\s+100/);
    await shot('06-interface-group');
    await page.goto(`${t.baseUrl}/dcim/device-redundancy-groups/`);
    await shot('07-group-list');
    const menu = page.locator('nav[aria-label="Main menu"]');
    for (const href of ['/dcim/device-redundancy-groups/', '/dcim/interface-redundancy-groups/'])
      await expect(menu.locator(`a[href="${href}"]`).count()).resolves.toBeGreaterThan(0);
    expect(scriptErrors).toEqual([]);
  });
});
