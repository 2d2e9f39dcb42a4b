import { generateDemoData, SCALES } from '@plinth/demo-data';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

type Row = Record<string, unknown>;

describe(onDatabase('demo data (small)'), () => {
  let t: TestApp;
  let counts: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    ({ counts } = await generateDemoData(t.objects, { scale: 'small', seed: 7 }));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const total = async (path: string): Promise<number> => {
    const res = await t.api.get(`${path}${path.includes('?') ? '&' : '?'}limit=1`);
    expect(res.status).toBe(200);
    return Number(res.body.count);
  };

  it('builds every site of the scale with racked devices, components from their types and cabling', async () => {
    const { regions, sitesPerRegion, leafs, access } = SCALES.small;
    const sites = regions * sitesPerRegion;
    expect(await total('/api/dcim/devices/')).toBe(sites * (6 + leafs + access));
    expect(counts['dcim.device']).toBe(sites * (6 + leafs + access));
    expect(await total('/api/dcim/locations/')).toBe(regions + sites);
    // Interfaces came from the device types' templates.
    expect(await total('/api/dcim/interfaces/')).toBe(counts['dcim.interface']);
    expect(counts['dcim.interface']).toBeGreaterThan(counts['dcim.device'] * 10);
    expect(await total('/api/dcim/cables/')).toBe(counts['dcim.cable']);
    // Network devices carry inventory: power supplies, a fan tray with fans, line cards with optics.
    expect(await total('/api/dcim/inventory-items/')).toBe(counts['dcim.inventoryitem']);
    expect(counts['dcim.inventoryitem']).toBe(sites * (4 * 8 + leafs * 5));
    const children = await t.api.get('/api/dcim/inventory-items/?parent__isnull=false&limit=1');
    expect(children.body.count).toBe(sites * (4 * 4 + leafs * 2));
    const unracked = await t.api.get('/api/dcim/devices/?rack__isnull=true&role=patch-panel&limit=1');
    expect(unracked.body.count).toBe(0);
  });

  it('is consistent across domains: uplinks trace to spines, management IPs are primary, circuits are cabled', async () => {
    const leaf = (await t.api.get('/api/dcim/devices/?role=leaf&limit=1&sort=name')).body.results[0] as Row;
    const uplink = (await t.api.get(`/api/dcim/interfaces/?device=${String(leaf.id)}&name=Ethernet25`)).body
      .results[0] as Row;
    const trace = (await t.api.get(`/api/dcim/interfaces/${String(uplink.id)}/trace/`)).body as Row[][];
    expect(trace).toHaveLength(1);
    const far = trace[0][2];
    expect(far.name).toBe('Ethernet1');
    const spine = (await t.api.get(`/api/dcim/devices/${String((far.device as Row).id)}/`)).body as Row;
    expect(spine.name).toMatch(/-spine-01$/);

    const withPrimary = await t.api.get('/api/dcim/devices/?has_primary_ip=true&role=spine&limit=1');
    expect(withPrimary.body.count).toBeGreaterThan(0);
    const primary = (withPrimary.body.results[0] as Row).primary_ip4 as Row;
    const ip = (await t.api.get(`/api/ipam/ip-addresses/${String(primary.id)}/`)).body as Row;
    expect(ip.interfaces).toHaveLength(1);

    const terminations = await t.api.get(
      '/api/circuits/circuit-terminations/?term_side=A&cabled=true&limit=1',
    );
    expect(terminations.body.count).toBe(counts['circuits.circuit']);

    // A cluster per site, two VMs per leaf switch, each with an interface and a primary IPv4.
    const { regions, sitesPerRegion, leafs } = SCALES.small;
    const sites = regions * sitesPerRegion;
    expect(await total('/api/virtualization/clusters/')).toBe(sites);
    expect(counts['virtualization.virtualmachine']).toBe(sites * leafs * 2);
    expect(await total('/api/virtualization/virtual-machines/?has_primary_ip=true')).toBe(sites * leafs * 2);
    expect(await total('/api/virtualization/interfaces/?mode=access')).toBe(sites * leafs * 2);

    // Prefixes nest under the site blocks, and the management prefixes report used addresses.
    const mgmt = (await t.api.get('/api/ipam/prefixes/?role=management&limit=1')).body.results[0] as Row;
    expect(mgmt.parent).not.toBeNull();
    const available = await t.api.get(`/api/ipam/prefixes/${String(mgmt.id)}/available-ips/?limit=1`);
    expect(available.status).toBe(200);
    expect((available.body as Row[])[0].address).toMatch(/^10\.\d+\.1\.\d+\/24$/);
  });

  it('powers every rack from the panel of its site and reserves units for growth', async () => {
    const { regions, sitesPerRegion } = SCALES.small;
    const sites = regions * sitesPerRegion;
    const racks = await total('/api/dcim/racks/');
    expect(await total('/api/dcim/power-panels/')).toBe(sites);
    expect(await total('/api/dcim/power-feeds/')).toBe(racks * 2);
    expect(counts['dcim.powerfeed']).toBe(racks * 2);
    expect(await total('/api/dcim/rack-reservations/')).toBe(sites);
    const cabled = (await t.api.get('/api/dcim/power-feeds/?connected=true&phase=three-phase&limit=1')).body;
    expect(cabled.count).toBeGreaterThan(0);
    const feed = cabled.results[0] as Row;
    const psu = (await t.api.get(`/api/dcim/power-ports/${String((feed.connected_endpoint as Row).id)}/`))
      .body as Row;
    expect(psu.power_draw).toMatchObject({ maximum: 450, outlet_count: 0 });
  });

  it('has modular routers: power supplies and fan trays in module bays, a spare per site', async () => {
    const { regions, sitesPerRegion } = SCALES.small;
    const sites = regions * sitesPerRegion;
    const routers = sites * 2;
    const count = async (path: string): Promise<number> => {
      const res = await t.api.get(`${path}&limit=1`);
      expect(res.status).toBe(200);
      return Number(res.body.count);
    };
    expect(await total('/api/dcim/module-bays/')).toBe(routers * 5);
    const installed = await count('/api/dcim/modules/?is_installed=true');
    expect(installed).toBeGreaterThan(routers * 4);
    expect(installed).toBeLessThanOrEqual(routers * 5);
    expect(await count('/api/dcim/modules/?is_installed=false')).toBe(sites);
    expect(counts['dcim.module']).toBe(installed + sites);
    // Each installed power supply brought its inlet, named by its bay's position.
    const psus = await count('/api/dcim/modules/?is_installed=true&module_type=JPSU-650W-AC-AFO');
    expect(await count('/api/dcim/power-ports/?has_module=true')).toBe(psus);
    const router = (await t.api.get('/api/dcim/devices/?role=edge-router&limit=1&sort=name')).body
      .results[0] as Row;
    const inlets = (await t.api.get(`/api/dcim/power-ports/?device=${String(router.id)}&has_module=true`))
      .body.results as Row[];
    expect(inlets.map((p) => p.name)).toEqual(expect.arrayContaining(['PEM 0 inlet']));
  });

  it('gives every site a manager and the NOC team as contacts, and every region the NOC', async () => {
    const { regions, sitesPerRegion } = SCALES.small;
    const sites = regions * sitesPerRegion;
    expect(await total('/api/extras/contact-associations/')).toBe(regions + 2 * sites);
    expect(await total('/api/extras/contacts/')).toBe(3 + sites);
    const site = (await t.api.get('/api/dcim/locations/?location_type=Site&limit=1&sort=name')).body
      .results[0] as Row;
    const withNoc = await t.api.get(`/api/dcim/locations/?teams=Network%20Operations&limit=1`);
    expect(withNoc.body.count).toBe(regions + sites);
    const contacts = await t.api.get(
      `/api/dcim/locations/?contacts=${encodeURIComponent(`${String(site.name)} site manager`)}`,
    );
    expect(contacts.body.results.map((r: Row) => r.name)).toEqual([site.name]);
  });

  it('pairs the edge routers of each site in a device redundancy group and a VRRP group', async () => {
    const { regions, sitesPerRegion } = SCALES.small;
    const sites = regions * sitesPerRegion;
    expect(await total('/api/dcim/device-redundancy-groups/')).toBe(sites);
    expect(await total('/api/dcim/interface-redundancy-groups/')).toBe(sites);
    expect(await total('/api/dcim/interface-redundancy-group-associations/')).toBe(2 * sites);
    const group = (await t.api.get('/api/dcim/device-redundancy-groups/?limit=1&sort=name')).body
      .results[0] as Row;
    const members = await t.api.get(
      `/api/dcim/devices/?device_redundancy_group=${String(group.id)}&sort=device_redundancy_group_priority`,
    );
    expect(members.body.results.map((d: Row) => String(d.name).slice(-7))).toEqual(['edge-01', 'edge-02']);
  });

  it('runs software: versions of every platform with image files, on every device with a platform', async () => {
    expect(counts['dcim.softwareversion']).toBe(10);
    expect(await total('/api/dcim/software-image-files/')).toBe(counts['dcim.softwareversion']);
    const count = async (query: string): Promise<number> =>
      Number((await t.api.get(`${query}&limit=1`)).body.count);
    expect(await count('/api/dcim/software-image-files/?has_device_types=true')).toBe(10);
    const withPlatform = await count('/api/dcim/devices/?platform__isnull=false');
    expect(await count('/api/dcim/devices/?has_software_version=true')).toBe(withPlatform);
    // Mostly the current version; some devices still run the previous (deprecated) one.
    const deprecated = (await t.api.get('/api/dcim/software-versions/?status=Deprecated&limit=10')).body
      .results as Row[];
    const old = await t.api.get(
      `/api/dcim/devices/?${deprecated.map((v) => `software_version=${String(v.id)}`).join('&')}&limit=1`,
    );
    expect(old.body.count).toBeGreaterThan(0);
    expect(old.body.count).toBeLessThan(withPlatform / 2);
  });

  it('refuses to run twice on the same database', async () => {
    await expect(generateDemoData(t.objects, { scale: 'small' })).rejects.toThrow(/already has demo data/);
  });
});
