import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, type Obj, type Site } from './dcim-fixtures';
import { launchChromium, loggedInPage } from './ui-helpers';
import { VIRT } from './virtualization-fixtures';

/** Screenshots are kept as test artifacts (gitignored). */
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'virtualization', testDatabaseKind());

/** Virtualization pages in a real browser: menu, lists, cluster, VM and VM interface pages. */
describe(onDatabase('virtualization in a browser'), () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let s: Site;
  let cluster: Obj;
  let vm: Obj;
  let eth0: Obj;
  let host: Obj;
  const scriptErrors: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp();
    s = await buildSite(t);
    await t.api.patch(`${DCIM.locationTypes}${s.types.site.id}/`, {
      content_types: ['dcim.device', 'virtualization.cluster', 'virtualization.virtualmachine'],
    });
    const type = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'Server' });
    const kvm = await create(t.api, VIRT.clusterTypes, { name: 'KVM' });
    cluster = await create(t.api, VIRT.clusters, {
      name: 'ams-kvm',
      cluster_type: kvm.id,
      location: s.site.id,
      comments: 'Primary **KVM** cluster',
    });
    host = await create(t.api, DCIM.devices, {
      name: 'hv1',
      device_type: type.id,
      role: s.role.id,
      status: 'Active',
      location: s.site.id,
      cluster: cluster.id,
    });
    const role = await create(t.api, '/api/extras/roles/', {
      name: 'Web',
      content_types: ['virtualization.virtualmachine'],
    });
    [vm] = await create(t.api, VIRT.virtualMachines, [
      {
        name: 'web1',
        status: 'Active',
        cluster: cluster.id,
        role: role.id,
        vcpus: 2,
        memory: 4096,
        disk: 40,
      },
      { name: 'web2', status: 'Planned', cluster: cluster.id, vcpus: 4 },
    ]);
    const vlan = await create(t.api, '/api/ipam/vlans/', { vid: 100, name: 'web', status: 'Active' });
    await create(t.api, '/api/ipam/prefixes/', { prefix: '192.0.2.0/24', status: 'Active' });
    const ip = await create(t.api, '/api/ipam/ip-addresses/', { address: '192.0.2.10/24', status: 'Active' });
    [eth0] = await create(t.api, VIRT.interfaces, [
      {
        virtual_machine: vm.id,
        name: 'eth0',
        mac_address: '52:54:00:12:34:56',
        mtu: 1500,
        mode: 'access',
        untagged_vlan: vlan.id,
        ip_addresses: [ip.id],
      },
      { virtual_machine: vm.id, name: 'eth1', enabled: false },
    ]);
    await t.api.patch(`${VIRT.virtualMachines}${vm.id}/`, { primary_ip4: ip.id });
    browser = await launchChromium();
    page = await loggedInPage(browser, t.baseUrl, scriptErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists virtual machines from the Virtualization menu', async () => {
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('button', { name: 'Virtualization' }).click();
    await page.getByRole('link', { name: 'Virtual Machines', exact: true }).click();
    await page.waitForURL(`${t.baseUrl}/virtualization/virtual-machines/`);
    expect(await page.locator('table tbody tr').count()).toBe(2);
    expect(await page.locator('table').innerText()).toContain('ams-kvm');
    await shot('vm-list');
  });

  it('shows a cluster with its hosts and virtual machines', async () => {
    await page.goto(`${t.baseUrl}/virtualization/clusters/${cluster.id}/`);
    const hosts = page.locator('table.cluster-hosts');
    expect(await hosts.innerText()).toContain('hv1');
    expect(await hosts.innerText()).toContain('Active');
    const vms = page.locator('table.cluster-virtual-machines');
    expect(await vms.locator('tbody tr').count()).toBe(2);
    expect(await vms.innerText()).toContain('web2');
    await shot('cluster');
  });

  it('shows a virtual machine with its interfaces and addresses', async () => {
    await page.goto(`${t.baseUrl}/virtualization/virtual-machines/${vm.id}/`);
    const table = page.locator('table.vm-interfaces');
    const first = table.locator('tbody tr[data-interface="eth0"]');
    expect(await first.innerText()).toContain('192.0.2.10/24');
    expect(await first.innerText()).toContain('Access');
    expect(await table.locator('tbody tr[data-interface="eth1"]').innerText()).toContain('Disabled');
    expect(await page.locator('body').innerText()).toContain('4096');
    await shot('vm');
  });

  it('shows a VM interface with its addresses, and edits it in the form', async () => {
    await page.goto(`${t.baseUrl}/virtualization/interfaces/${eth0.id}/`);
    const addresses = page.locator('table.vm-interface-addresses');
    expect(await addresses.innerText()).toContain('192.0.2.10/24');
    expect(await addresses.innerText()).toContain('Active');
    await shot('vm-interface');
    await page.goto(`${t.baseUrl}/virtualization/interfaces/${eth0.id}/edit/`);
    await page.fill('#id_mtu', '9000');
    await page.click('form.object-form button[type=submit]');
    await page.waitForURL(`${t.baseUrl}/virtualization/interfaces/${eth0.id}/`);
    expect((await t.api.get(`${VIRT.interfaces}${eth0.id}/`)).body.mtu).toBe(9000);
    expect((await t.api.get(`${DCIM.devices}${host.id}/`)).body.cluster.id).toBe(cluster.id);
    // The host device names its cluster.
    await page.goto(`${t.baseUrl}/dcim/devices/${host.id}/`);
    const row = page.locator('tr', { has: page.locator('th', { hasText: /^Cluster$/ }) });
    expect(await row.innerText()).toContain('ams-kvm');
    await shot('host-device');
    expect(scriptErrors).toEqual([]);
  });
});
