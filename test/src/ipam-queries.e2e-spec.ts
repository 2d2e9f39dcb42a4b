import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { IpamFixtures } from './ipam-fixtures';

const PREFIXES = '/api/ipam/prefixes/';
const IPS = '/api/ipam/ip-addresses/';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(onDatabase('ipam utilization, derived fields, filters and query counts'), () => {
  let t: TestApp;
  let fx: IpamFixtures;
  const ids: Record<string, string> = {};

  const post = async (url: string, body: unknown): Promise<Obj> => {
    const res = await t.api.post(url, body);
    expect({ url, body, status: res.status, res: res.status === 201 ? null : res.body }).toMatchObject({
      status: 201,
    });
    return res.body;
  };
  /** The `prefix` (or `address`) values a filtered list returns, sorted. */
  const values = async (url: string): Promise<string[]> => {
    const res = await t.api.get(url);
    expect({ url, status: res.status, body: res.status === 200 ? null : res.body }).toMatchObject({
      status: 200,
    });
    return res.body.results.map((o: Obj) => o.prefix ?? o.address ?? o.vid ?? o.name).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    fx = new IpamFixtures(t);
    // Nautobot's utilization example (nautobot#3873).
    const site = await fx.locationType(['ipam.prefix', 'ipam.vlan', 'ipam.vlangroup', 'dcim.device']);
    const ams = await fx.location(site.id as string);
    const room = await fx.location(site.id as string, ams.id as string);
    ids.ams = ams.id as string;
    ids.room = room.id as string;
    const rt1 = await post('/api/ipam/route-targets/', { name: '65000:100' });
    const rt2 = await post('/api/ipam/route-targets/', { name: '65000:200' });
    const red = await post('/api/ipam/vrfs/', { name: 'red', rd: '65000:1', export_targets: [rt1.id] });
    const blue = await post('/api/ipam/vrfs/', {
      name: 'blue',
      rd: '65000:2',
      import_targets: [rt1.id, rt2.id],
    });
    ids.red = red.id;
    ids.blue = blue.id;
    const tenant = await post('/api/tenancy/tenants/', { name: 'acme' });
    const vlan = await post('/api/ipam/vlans/', { vid: 42, name: 'v42', status: 'Active', location: ams.id });
    await post('/api/ipam/vlans/', { vid: 43, name: 'v43', status: 'Active', location: room.id });
    await post('/api/ipam/vlans/', { vid: 44, name: 'v44', status: 'Active' });
    ids.container = (
      await post(PREFIXES, {
        prefix: '192.168.0.0/16',
        status: 'Active',
        type: 'container',
        tenant: tenant.id,
      })
    ).id;
    ids.net1 = (
      await post(PREFIXES, { prefix: '192.168.1.0/24', status: 'Active', vrfs: [red.id], location: ams.id })
    ).id;
    ids.net2 = (await post(PREFIXES, { prefix: '192.168.2.0/24', status: 'Active', vlan: vlan.id })).id;
    ids.pool2 = (await post(PREFIXES, { prefix: '192.168.2.0/30', status: 'Active', type: 'pool' })).id;
    ids.net3 = (await post(PREFIXES, { prefix: '192.168.3.0/24', status: 'Active', vrfs: [blue.id] })).id;
    ids.pool3 = (
      await post(PREFIXES, { prefix: '192.168.3.64/30', status: 'Active', type: 'pool', location: room.id })
    ).id;
    ids.net4 = (await post(PREFIXES, { prefix: '192.168.4.0/24', status: 'Active' })).id;
    ids.v6 = (await post(PREFIXES, { prefix: '2001:db8::/64', status: 'Active' })).id;
    const { device, interfaces } = await fx.device(ams.id as string, 2);
    ids.device = device.id as string;
    ids.deviceName = device.name as string;
    ids.eth0 = interfaces[0].id as string;
    await post(IPS, [
      {
        address: '192.168.1.1/24',
        status: 'Active',
        dns_name: 'gw.example.com',
        interfaces: [interfaces[0].id],
      },
      { address: '192.168.2.1/30', status: 'Active', description: 'in the pool' },
      { address: '192.168.3.1/24', status: 'Active', interfaces: [interfaces[1].id] },
      { address: '192.168.4.255/24', status: 'Active' },
      { address: '2001:db8::1/64', status: 'Active' },
      { address: '2001:db8::2/128', status: 'Active' },
    ]);
    await post('/api/ipam/services/', { device: device.id, name: 'dns', protocol: 'udp', ports: [53] });
    await post('/api/ipam/services/', { device: device.id, name: 'web', protocol: 'tcp', ports: [80, 443] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('computes utilization as Nautobot: containers by child prefixes, networks and pools by addresses', async () => {
    const util = async (id: string) => (await t.api.get(`${PREFIXES}${id}/`)).body.utilization;
    expect(await util(ids.container)).toEqual({ numerator: 1024, denominator: 65536, percent: 1.56 });
    expect(await util(ids.net1)).toEqual({ numerator: 1, denominator: 254, percent: 0.39 });
    // The pool covers the network address, so the network keeps it in its size.
    expect(await util(ids.net2)).toEqual({ numerator: 4, denominator: 256, percent: 1.56 });
    expect(await util(ids.pool2)).toEqual({ numerator: 1, denominator: 4, percent: 25 });
    expect(await util(ids.net3)).toEqual({ numerator: 5, denominator: 254, percent: 1.96 });
    expect(await util(ids.pool3)).toEqual({ numerator: 0, denominator: 4, percent: 0 });
    // The broadcast address is used, so neither end is taken off.
    expect(await util(ids.net4)).toEqual({ numerator: 1, denominator: 256, percent: 0.39 });
    const v6 = await util(ids.v6);
    expect(v6.numerator).toBe(2);
    expect(v6.denominator).toBe(2 ** 64);
    // The same values on the list, computed for the page at once.
    const list = await t.api.get(`${PREFIXES}?within_include=192.168.0.0/16&limit=0`);
    const byPrefix = Object.fromEntries(
      list.body.results.map((p: Obj) => [p.prefix, p.utilization.numerator]),
    );
    expect(byPrefix).toEqual({
      '192.168.0.0/16': 1024,
      '192.168.1.0/24': 1,
      '192.168.2.0/24': 4,
      '192.168.2.0/30': 1,
      '192.168.3.0/24': 5,
      '192.168.3.64/30': 0,
      '192.168.4.0/24': 1,
    });
  });

  it('shows the derived read-only fields of prefixes and IP addresses', async () => {
    const p = (await t.api.get(`${PREFIXES}${ids.net4}/`)).body;
    expect(p).toMatchObject({
      prefix: '192.168.4.0/24',
      network: '192.168.4.0',
      broadcast: '192.168.4.255',
      prefix_length: 24,
      ip_version: 4,
    });
    const v6 = (await t.api.get(`${PREFIXES}${ids.v6}/`)).body;
    expect(v6).toMatchObject({
      network: '2001:db8::',
      broadcast: '2001:db8::ffff:ffff:ffff:ffff',
      ip_version: 6,
    });
    const ip = (await t.api.get(`${IPS}?address=192.168.4.255`)).body.results[0];
    expect(ip).toMatchObject({
      address: '192.168.4.255/24',
      host: '192.168.4.255',
      mask_length: 24,
      ip_version: 4,
    });
    expect(ip.parent.id).toBe(ids.net4);
    const options = await t.api.options(PREFIXES);
    expect(options.body.actions.POST.parent.read_only).toBe(true);
  });

  it('filters prefixes by the names Nautobot uses', async () => {
    const all16 = '&within_include=192.168.0.0/16';
    const cases: [string, string[]][] = [
      ['prefix=192.168.1.77/24', ['192.168.1.0/24']],
      ['within=192.168.2.0/24', ['192.168.2.0/30']],
      ['within_include=192.168.2.0/24', ['192.168.2.0/24', '192.168.2.0/30']],
      ['contains=192.168.3.65', ['192.168.0.0/16', '192.168.3.0/24', '192.168.3.64/30']],
      ['contains=192.168.2.0/25', ['192.168.0.0/16', '192.168.2.0/24']],
      [`mask_length=30${all16}`, ['192.168.2.0/30', '192.168.3.64/30']],
      [
        `mask_length__gte=24&mask_length__lt=30${all16}`,
        ['192.168.1.0/24', '192.168.2.0/24', '192.168.3.0/24', '192.168.4.0/24'],
      ],
      [`mask_length__n=24${all16}`, ['192.168.0.0/16', '192.168.2.0/30', '192.168.3.64/30']],
      ['ip_version=6', ['2001:db8::/64']],
      [`type=pool`, ['192.168.2.0/30', '192.168.3.64/30']],
      [`type=container${all16}`, ['192.168.0.0/16']],
      ['vrf=red', ['192.168.1.0/24']],
      ['vrf=65000:2', ['192.168.3.0/24']],
      [`vrfs=${ids.red}`, ['192.168.1.0/24']],
      // blue imports what red exports: red's prefixes are present in blue.
      ['present_in_vrf=blue', ['192.168.1.0/24', '192.168.3.0/24']],
      ['present_in_vrf=red', ['192.168.1.0/24']],
      [`location=${ids.ams}`, ['192.168.1.0/24', '192.168.3.64/30']],
      ['vlan_vid=42', ['192.168.2.0/24']],
      ['tenant=acme', ['192.168.0.0/16']],
      [`status=Active&ip_version=6`, ['2001:db8::/64']],
      ['namespace=Global&q=2001:db8::5', ['2001:db8::/64']],
      ['q=192.168.3.6', ['192.168.0.0/16', '192.168.3.0/24', '192.168.3.64/30']],
    ];
    for (const [query, expected] of cases) {
      expect({ query, got: await values(`${PREFIXES}?${query}&limit=0`) }).toEqual({ query, got: expected });
    }
    for (const bad of [
      'within=banana',
      'contains=10.0.0.0/33',
      'mask_length=x',
      'ip_version=four',
      'nope=1',
    ]) {
      const res = await t.api.get(`${PREFIXES}?${bad}`);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(Object.keys(res.body)).toEqual([bad.split('=')[0]]);
    }
  });

  it('filters IP addresses by the names Nautobot uses', async () => {
    const cases: [string, string[]][] = [
      ['address=192.168.4.255', ['192.168.4.255/24']],
      ['address=192.168.4.255/32', ['192.168.4.255/24']],
      ['address=2001:db8::2&address=192.168.1.1', ['192.168.1.1/24', '2001:db8::2/128']],
      [`parent=${ids.pool2}`, ['192.168.2.1/30']],
      ['prefix=192.168.0.0/22', ['192.168.1.1/24', '192.168.2.1/30', '192.168.3.1/24']],
      ['mask_length=128', ['2001:db8::2/128']],
      ['mask_length__lte=24&ip_version=4', ['192.168.1.1/24', '192.168.3.1/24', '192.168.4.255/24']],
      ['ip_version=6', ['2001:db8::1/64', '2001:db8::2/128']],
      ['namespace=Global&dns_name__ic=gw', ['192.168.1.1/24']],
      ['vrf=red', ['192.168.1.1/24']],
      ['present_in_vrf=blue', ['192.168.1.1/24', '192.168.3.1/24']],
      [`device=${ids.deviceName}`, ['192.168.1.1/24', '192.168.3.1/24']],
      [`device_id=${ids.device}`, ['192.168.1.1/24', '192.168.3.1/24']],
      [`interface=${ids.eth0}`, ['192.168.1.1/24']],
      [`interfaces=${ids.eth0}`, ['192.168.1.1/24']],
      ['has_interface_assignments=true', ['192.168.1.1/24', '192.168.3.1/24']],
      ['has_interface_assignments=false&ip_version=4', ['192.168.2.1/30', '192.168.4.255/24']],
      ['q=pool', ['192.168.2.1/30']],
      ['q=2001:db8::/127', ['2001:db8::1/64']],
    ];
    for (const [query, expected] of cases) {
      expect({ query, got: await values(`${IPS}?${query}&limit=0`) }).toEqual({ query, got: expected });
    }
    expect((await t.api.get(`${IPS}?address=10.0.0.300`)).status).toBe(400);
  });

  it('filters VLANs, VRFs and services', async () => {
    expect(await values(`/api/ipam/vlans/?vid=42`)).toEqual([42]);
    // Global VLANs and those of the device's location or its parents (not of a room below it).
    expect(await values(`/api/ipam/vlans/?available_on_device=${ids.device}`)).toEqual([42, 44]);
    expect(await values(`/api/ipam/vlans/?location=${ids.room}`)).toEqual([43]);
    expect(await values('/api/ipam/vrfs/?rd=65000:2')).toEqual(['blue']);
    expect(await values('/api/ipam/vrfs/?import_target=65000:100')).toEqual(['blue']);
    expect(await values('/api/ipam/vrfs/?export_target=65000:100')).toEqual(['red']);
    expect(await values('/api/ipam/services/?port=443')).toEqual(['web']);
  });

  it('lists every ipam model with a constant number of SQL queries, whatever the page size', async () => {
    const models = t.ctx.models.all().filter((m) => m.app_label === 'ipam' && m.api_path);
    expect(models.map((m) => m.label).sort()).toEqual([
      'ipam.ipaddress',
      'ipam.namespace',
      'ipam.prefix',
      'ipam.rir',
      'ipam.routetarget',
      'ipam.service',
      'ipam.vlan',
      'ipam.vlangroup',
      'ipam.vrf',
    ]);
    await post('/api/ipam/rirs/', [{ name: 'RIPE' }, { name: 'ARIN' }]);
    await post('/api/ipam/vlan-groups/', [{ name: 'g1', location: ids.ams }, { name: 'g2' }]);
    await post('/api/ipam/namespaces/', [{ name: 'n1' }, { name: 'n2' }]);
    for (const m of models) {
      const count = (await t.api.get(`${m.api_path}?limit=0`)).body.count;
      expect({ model: m.label, enough: count >= 2 }).toEqual({ model: m.label, enough: true });
      const one = await t.api.get(`${m.api_path}?limit=1`);
      const all = await t.api.get(`${m.api_path}?limit=1000`);
      expect(all.body.results.length).toBe(count);
      expect({ model: m.label, queries: all.queries }).toEqual({ model: m.label, queries: one.queries });
    }
    // With related objects nested (?depth=1), the queries depend on which relations a page uses,
    // not on how many rows it has: twice the prefixes and addresses, of the same shapes, cost the same.
    const nested = async () => [
      (await t.api.get(`${PREFIXES}?limit=1000&depth=1`)).queries,
      (await t.api.get(`${IPS}?limit=1000&depth=1`)).queries,
    ];
    const before = await nested();
    const copy = (await t.api.get(`/api/ipam/namespaces/?name=n1`)).body.results[0].id;
    const prefixes = (await t.api.get(`${PREFIXES}?namespace=Global&ip_version=4&limit=0`)).body.results;
    await post(
      PREFIXES,
      prefixes.map((p: Obj) => ({
        prefix: p.prefix,
        namespace: copy,
        status: p.status.id,
        type: p.type.value,
        tenant: p.tenant?.id ?? null,
        location: p.location?.id ?? null,
        vlan: p.vlan?.id ?? null,
      })),
    );
    const addresses = (await t.api.get(`${IPS}?namespace=Global&ip_version=4&limit=0`)).body.results;
    await post(
      IPS,
      addresses.map((a: Obj) => ({
        address: a.address,
        namespace: copy,
        status: a.status.id,
        dns_name: a.dns_name,
      })),
    );
    expect(await nested()).toEqual(before);
  });
});
