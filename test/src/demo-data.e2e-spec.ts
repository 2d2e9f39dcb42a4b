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
    const res = await t.api.get(`${path}?limit=1`);
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

    // Prefixes nest under the site blocks, and the management prefixes report used addresses.
    const mgmt = (await t.api.get('/api/ipam/prefixes/?role=management&limit=1')).body.results[0] as Row;
    expect(mgmt.parent).not.toBeNull();
    const available = await t.api.get(`/api/ipam/prefixes/${String(mgmt.id)}/available-ips/?limit=1`);
    expect(available.status).toBe(200);
    expect((available.body as Row[])[0].address).toMatch(/^10\.\d+\.1\.\d+\/24$/);
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
