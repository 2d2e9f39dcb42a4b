import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { IpamFixtures } from './ipam-fixtures';

const NS = '/api/ipam/namespaces/';
const PREFIXES = '/api/ipam/prefixes/';
const IPS = '/api/ipam/ip-addresses/';
const VRFS = '/api/ipam/vrfs/';
const VLANS = '/api/ipam/vlans/';
const VLAN_GROUPS = '/api/ipam/vlan-groups/';
const SERVICES = '/api/ipam/services/';

describe(onDatabase('ipam namespaces and rules'), () => {
  let t: TestApp;
  let fx: IpamFixtures;
  let globalId: string;

  beforeAll(async () => {
    t = await createTestApp();
    fx = new IpamFixtures(t);
    globalId = (await t.api.get(`${NS}?name=Global`)).body.results[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const prefix = async (p: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api.post(PREFIXES, { prefix: p, status: 'Active', ...extra });
    expect({ p, status: res.status, body: res.status === 201 ? 'ok' : res.body }).toEqual({
      p,
      status: 201,
      body: 'ok',
    });
    return res.body;
  };
  const ip = async (address: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api.post(IPS, { address, status: 'Active', ...extra });
    expect({ address, status: res.status, body: res.status === 201 ? 'ok' : res.body }).toEqual({
      address,
      status: 201,
      body: 'ok',
    });
    return res.body;
  };

  it('seeds the Global namespace once, and defaults VRFs, prefixes and IP addresses to it', async () => {
    const list = await t.api.get(`${NS}?name=Global`);
    expect(list.body.count).toBe(1);
    // Migrating again (the install hook runs on every migrate) adds nothing.
    const { runInstallHooks } = await import('@plinth/core');
    await runInstallHooks(t.app, t.ctx);
    expect((await t.api.get(`${NS}?name=Global`)).body.count).toBe(1);

    const vrf = await t.api.post(VRFS, { name: 'red', rd: '65000:1' });
    expect(vrf.status).toBe(201);
    expect(vrf.body.namespace.id).toBe(globalId);
    const p = await prefix('198.51.100.0/24');
    expect(p.namespace.id).toBe(globalId);
    const a = await ip('198.51.100.7/24');
    expect(a.namespace.id).toBe(globalId);
    expect(a.parent.id).toBe(p.id);
  });

  it('clears host bits and keeps prefixes unique per namespace', async () => {
    const p = await prefix('10.20.0.1/16');
    expect(p.prefix).toBe('10.20.0.0/16');
    expect(p.display).toBe('10.20.0.0/16');
    const dup = await t.api.post(PREFIXES, { prefix: '10.20.99.99/16', status: 'Active' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ prefix: ['Prefix with this namespace and prefix already exists.'] });
    const other = (await t.api.post(NS, { name: 'Other' })).body;
    const elsewhere = await prefix('10.20.0.0/16', { namespace: other.id });
    expect(elsewhere.namespace.id).toBe(other.id);
    const moved = await t.api.patch(`${PREFIXES}${elsewhere.id}/`, { namespace: globalId });
    expect(moved.status).toBe(400);
    expect(moved.body.prefix).toEqual(['Prefix with this namespace and prefix already exists.']);
  });

  it('answers malformed networks, addresses and MACs with 400 naming the field', async () => {
    const badPrefix = (prefix: string) => [
      PREFIXES,
      { prefix, status: 'Active' },
      { prefix: [`"${prefix}" is not a valid IPv4 or IPv6 prefix.`] },
    ];
    const badAddress = (address: string) => [
      IPS,
      { address, status: 'Active' },
      { address: [`"${address}" is not a valid IPv4 or IPv6 address.`] },
    ];
    const cases = [
      [PREFIXES, { prefix: '10.0.0.0', status: 'Active' }, { prefix: ['CIDR mask (e.g. /24) is required.'] }],
      [PREFIXES, { prefix: 42, status: 'Active' }, { prefix: ['Not a valid string.'] }],
      ...['10.0.0.0/33', '10.1/16', 'banana/8', '10.0.0.0/8/8'].map(badPrefix),
      ...['010.0.0.1', '2001:db8::zz/64', '10.0.0.1/40', 'fe80::1%eth0'].map(badAddress),
    ] as [string, unknown, Record<string, string[]>][];
    for (const [url, body, errors] of cases) {
      const res = await t.api.post(url, body);
      expect({ body, status: res.status, errors: res.body }).toEqual({ body, status: 400, errors });
    }
    const { interfaces } = await fx.device(
      (await fx.location((await fx.locationType(['dcim.device'])).id as string)).id as string,
      1,
    );
    const mac = await t.api.patch(`/api/dcim/interfaces/${interfaces[0].id}/`, { mac_address: 'not-a-mac' });
    expect(mac.status).toBe(400);
    expect(mac.body).toEqual({ mac_address: ['"not-a-mac" is not a valid MAC address.'] });
  });

  it('requires a parent prefix in the IP address namespace, naming it', async () => {
    const res = await t.api.post(IPS, { address: '203.0.113.9/24', status: 'Active' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      namespace: ['No suitable parent Prefix for 203.0.113.9 exists in Namespace Global.'],
    });
    const other = (await t.api.get(`${NS}?name=Other`)).body.results[0];
    const inOther = await t.api.post(IPS, {
      address: '198.51.100.20/24',
      status: 'Active',
      namespace: other.id,
    });
    expect(inOther.status).toBe(400);
    expect(inOther.body.namespace[0]).toMatch(/in Namespace Other\.$/);
  });

  it('rejects duplicate hosts in a namespace whatever the mask, also within one bulk request', async () => {
    await ip('198.51.100.30/24');
    const again = await t.api.post(IPS, { address: '198.51.100.30/32', status: 'Active' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      address: ['IP address 198.51.100.30 already exists in namespace Global (as 198.51.100.30/24).'],
    });
    const bulk = await t.api.post(IPS, [
      { address: '198.51.100.31/24', status: 'Active' },
      { address: '198.51.100.31/25', status: 'Active' },
    ]);
    expect(bulk.status).toBe(400);
    expect(bulk.body).toEqual({
      address: ['An IP address with this host already exists in this namespace.'],
    });
    expect((await t.api.get(`${IPS}?address=198.51.100.31`)).body.count).toBe(0);
    // The stored host follows the address, whoever writes it (a trigger keeps it).
    const moved = await ip('198.51.100.32/24');
    await t.api.patch(`${IPS}${moved.id}/`, { address: '198.51.100.33/25' });
    expect(
      (await t.api.get(`${IPS}?address=198.51.100.33`)).body.results.map((x: { id: string }) => x.id),
    ).toEqual([moved.id]);
    await t.sql(`UPDATE ipam_ipaddress SET address = '198.51.100.34/24' WHERE id = $1`, [moved.id]);
    expect((await t.api.get(`${IPS}?address=198.51.100.34`)).body.count).toBe(1);
    // The same host in another namespace is another address.
    const other = (await t.api.get(`${NS}?name=Other`)).body.results[0];
    await prefix('198.51.100.0/24', { namespace: other.id });
    await ip('198.51.100.30/24', { namespace: other.id });
  });

  it('validates a bulk create set-based: a fixed number of statements, each error on its object', async () => {
    const wide = await prefix('100.80.0.0/16', { type: 'container' });
    const narrow = await prefix('100.80.1.0/24');
    await ip('100.80.2.7/24');
    const body = Array.from({ length: 600 }, (_, i) => ({
      address: `100.80.${i % 3}.${10 + Math.floor(i / 3)}/24`,
      status: 'Active',
    }));
    const res = await t.api.post(IPS, body);
    expect(res.status).toBe(201);
    // Parsing, one lock, one parent lookup, one uniqueness lookup, inserts and the change log
    // in batches: not a statement per address (it was four each).
    expect(res.queries).toBeLessThanOrEqual(40);
    const parents = new Map(
      (res.body as { address: string; parent: { id: string } }[]).map((x) => [x.address, x.parent.id]),
    );
    expect(parents.get('100.80.1.10/24')).toBe(narrow.id);
    expect(parents.get('100.80.0.10/24')).toBe(wide.id);
    // Errors name their object: the second clashes with a stored host, the third has no parent.
    const bad = await t.api.post(IPS, [
      { address: '100.80.5.1/24', status: 'Active' },
      { address: '100.80.2.7/32', status: 'Active' },
      { address: '100.81.0.1/24', status: 'Active' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual([
      {},
      { address: ['IP address 100.80.2.7 already exists in namespace Global (as 100.80.2.7/24).'] },
      { namespace: ['No suitable parent Prefix for 100.81.0.1 exists in Namespace Global.'] },
    ]);
    expect((await t.api.get(`${IPS}?address=100.80.5.1`)).body.count).toBe(0);

    // Prefixes too: a bulk of new prefixes, nested in each other and over existing addresses,
    // is placed with a fixed number of statements, and the addresses move under them.
    const blocks = await t.api.post(PREFIXES, [
      { prefix: '100.80.0.0/24', status: 'Active' },
      { prefix: '100.80.0.0/23', status: 'Active', type: 'container' },
      ...Array.from({ length: 200 }, (_, i) => ({ prefix: `100.80.${50 + i}.0/24`, status: 'Active' })),
    ]);
    expect(blocks.status).toBe(201);
    expect(blocks.queries).toBeLessThanOrEqual(30);
    const [p24, p23] = blocks.body as { id: string; parent: { id: string } | null }[];
    expect((await t.api.get(`${PREFIXES}${p24.id}/`)).body.parent.id).toBe(p23.id);
    expect((await t.api.get(`${PREFIXES}${p23.id}/`)).body.parent.id).toBe(wide.id);
    expect((await t.api.get(`${PREFIXES}${narrow.id}/`)).body.parent.id).toBe(p23.id);
    const moved = (await t.api.get(`${IPS}?address=100.80.0.10`)).body.results[0];
    expect(moved.parent.id).toBe(p24.id);
    expect((await t.api.get(`${IPS}?address=100.80.1.10`)).body.results[0].parent.id).toBe(narrow.id);
  });

  it('computes parents and re-parents prefixes and addresses on create, update and delete', async () => {
    const get = async (url: string, id: string) => (await t.api.get(`${url}${id}/`)).body;
    const p16 = await prefix('172.16.0.0/16', { type: 'container' });
    const a = await ip('172.16.5.10/24');
    expect(a.parent.id).toBe(p16.id);
    const p24 = await prefix('172.16.5.0/24');
    expect(p24.parent.id).toBe(p16.id);
    expect((await get(IPS, a.id)).parent.id).toBe(p24.id);
    // A prefix between existing ones adopts what it now contains.
    const p20 = await prefix('172.16.0.0/20', { type: 'container' });
    expect(p20.parent.id).toBe(p16.id);
    expect((await get(PREFIXES, p24.id)).parent.id).toBe(p20.id);
    expect((await get(IPS, a.id)).parent.id).toBe(p24.id);
    // A wider root above everything.
    const p12 = await prefix('172.16.0.0/12', { type: 'container' });
    expect(p12.parent).toBeNull();
    expect((await get(PREFIXES, p16.id)).parent.id).toBe(p12.id);
    // A bulk of nested prefixes parents within itself.
    const bulk = await t.api.post(PREFIXES, [
      { prefix: '172.17.1.0/24', status: 'Active' },
      { prefix: '172.17.0.0/16', status: 'Active', type: 'container' },
      { prefix: '172.17.1.128/25', status: 'Active' },
    ]);
    expect(bulk.status).toBe(201);
    const [b24, b16, b25] = bulk.body;
    expect(b16.parent.id).toBe(p12.id);
    expect((await get(PREFIXES, b24.id)).parent.id).toBe(b16.id);
    expect((await get(PREFIXES, b25.id)).parent.id).toBe(b24.id);
    // Moving a prefix: its addresses find their closest container again, new ones join it.
    const moved = await t.api.patch(`${PREFIXES}${p24.id}/`, { prefix: '172.16.6.0/24' });
    expect(moved.status).toBe(200);
    expect((await get(IPS, a.id)).parent.id).toBe(p20.id);
    const back = await t.api.patch(`${PREFIXES}${p24.id}/`, { prefix: '172.16.5.0/24' });
    expect(back.body.parent.id).toBe(p20.id);
    expect((await get(IPS, a.id)).parent.id).toBe(p24.id);
    // Deleting hands children and addresses to the next container.
    expect((await t.api.delete(`${PREFIXES}${p20.id}/`)).status).toBe(204);
    expect((await get(PREFIXES, p24.id)).parent.id).toBe(p16.id);
    expect((await t.api.delete(`${PREFIXES}${p24.id}/`)).status).toBe(204);
    expect((await get(IPS, a.id)).parent.id).toBe(p16.id);
    // Parents are read-only.
    const ignored = await t.api.patch(`${PREFIXES}${p16.id}/`, { parent: null, description: 'x' });
    expect(ignored.body.parent.id).toBe(p12.id);
  });

  it('refuses to orphan IP addresses: 409 on delete, 400 on a move', async () => {
    const root = await prefix('100.64.0.0/24');
    const a = await ip('100.64.0.5/24');
    const del = await t.api.delete(`${PREFIXES}${root.id}/`);
    expect(del.status).toBe(409);
    expect(del.body.detail).toMatch(
      /IP addresses would be left without a parent prefix in namespace Global: 100\.64\.0\.5\/24/,
    );
    expect(del.body.dependent_objects).toEqual([
      { object_type: 'ipam.ipaddress', id: a.id, display: '100.64.0.5/24' },
    ]);
    const move = await t.api.patch(`${PREFIXES}${root.id}/`, { prefix: '100.64.1.0/24' });
    expect(move.status).toBe(400);
    expect(move.body.prefix[0]).toMatch(
      /would leave IP addresses without a parent prefix in namespace Global: 100\.64\.0\.5\/24/,
    );
    expect((await t.api.get(`${PREFIXES}${root.id}/`)).body.prefix).toBe('100.64.0.0/24');
  });

  it('keeps a prefix and its VRFs in one namespace', async () => {
    const other = (await t.api.get(`${NS}?name=Other`)).body.results[0];
    const blue = (await t.api.post(VRFS, { name: 'blue', namespace: other.id })).body;
    const res = await t.api.post(PREFIXES, { prefix: '10.99.0.0/16', status: 'Active', vrfs: [blue.id] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      vrfs: ["VRF blue is in namespace Other, not in this prefix's namespace Global."],
    });
    const ok = await prefix('10.99.0.0/16', { vrfs: [blue.id], namespace: other.id });
    expect(ok.vrfs.map((v: { id: string }) => v.id)).toEqual([blue.id]);
    const move = await t.api.patch(`${VRFS}${blue.id}/`, { namespace: globalId });
    expect(move.status).toBe(400);
    expect(move.body.namespace[0]).toMatch(/assigned to 1 prefix/);
  });

  it('keeps route distinguishers and VRF names unique per namespace', async () => {
    const dup = await t.api.post(VRFS, { name: 'red2', rd: '65000:1' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ rd: ['VRF with this namespace and route distinguisher already exists.'] });
    const other = (await t.api.get(`${NS}?name=Other`)).body.results[0];
    expect((await t.api.post(VRFS, { name: 'red', rd: '65000:1', namespace: other.id })).status).toBe(201);
    // VRFs without an RD do not clash.
    expect((await t.api.post(VRFS, { name: 'plain-1' })).status).toBe(201);
    expect((await t.api.post(VRFS, { name: 'plain-2' })).status).toBe(201);
  });

  it('checks VLAN IDs, their uniqueness per group and the group location', async () => {
    const site = await fx.locationType(['ipam.vlan', 'ipam.vlangroup', 'ipam.prefix', 'dcim.device']);
    const room = await fx.locationType(['ipam.vlan'], site.id as string);
    const ams = await fx.location(site.id as string);
    const amsRoom = await fx.location(room.id as string, ams.id as string);
    const fra = await fx.location(site.id as string);
    const group = (await t.api.post(VLAN_GROUPS, { name: 'ams-vlans', location: ams.id })).body;
    for (const [vid, message] of [
      [0, 'Ensure this value is greater than or equal to 1.'],
      [4095, 'Ensure this value is less than or equal to 4094.'],
    ] as const) {
      const res = await t.api.post(VLANS, { vid, name: `v${vid}`, status: 'Active' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ vid: [message] });
    }
    expect(
      (await t.api.post(VLANS, { vid: 10, name: 'ten', status: 'Active', vlan_group: group.id })).status,
    ).toBe(201);
    const dup = await t.api.post(VLANS, {
      vid: 10,
      name: 'ten-again',
      status: 'Active',
      vlan_group: group.id,
    });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ vid: ['VLAN with this VLAN group and VLAN ID already exists.'] });
    // Without a group, IDs may repeat.
    expect((await t.api.post(VLANS, { vid: 10, name: 'ten', status: 'Active' })).status).toBe(201);
    expect((await t.api.post(VLANS, { vid: 10, name: 'ten', status: 'Active' })).status).toBe(201);
    // At the group's location or below it; not elsewhere.
    const below = await t.api.post(VLANS, {
      vid: 11,
      name: 'eleven',
      status: 'Active',
      vlan_group: group.id,
      location: amsRoom.id,
    });
    expect(below.status).toBe(201);
    const elsewhere = await t.api.post(VLANS, {
      vid: 12,
      name: 'twelve',
      status: 'Active',
      vlan_group: group.id,
      location: fra.id,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.vlan_group[0]).toMatch(
      /^VLAN group ams-vlans belongs to location .*, which is neither this VLAN's location nor one of its parents\.$/,
    );
  });

  it('allows prefixes, VLANs and VLAN groups only at locations whose type lists them', async () => {
    const building = await fx.locationType(['dcim.device']);
    const b = await fx.location(building.id as string);
    const name = building.name as string;
    const cases: [string, Record<string, unknown>, string][] = [
      [
        PREFIXES,
        { prefix: '10.250.0.0/16', status: 'Active', location: b.id },
        `Prefixes may not associate to locations of type "${name}".`,
      ],
      [
        VLANS,
        { vid: 100, name: 'x', status: 'Active', location: b.id },
        `VLANs may not associate to locations of type "${name}".`,
      ],
      [
        VLAN_GROUPS,
        { name: 'g-x', location: b.id },
        `VLAN groups may not associate to locations of type "${name}".`,
      ],
    ];
    for (const [url, body, message] of cases) {
      const res = await t.api.post(url, body);
      expect({ url, status: res.status, body: res.body }).toEqual({
        url,
        status: 400,
        body: { location: [message] },
      });
    }
  });

  it('needs at least one service port, each 1-65535', async () => {
    const site = await fx.locationType(['dcim.device']);
    const { device } = await fx.device((await fx.location(site.id as string)).id as string, 0);
    const base = { device: device.id, name: 'ssh', protocol: 'tcp' };
    const none = await t.api.post(SERVICES, { ...base, ports: [] });
    expect(none.body).toEqual({ ports: ['At least one port is required.'] });
    const bad = await t.api.post(SERVICES, { ...base, ports: [22, 0, 70000] });
    expect(bad.body).toEqual({ ports: ['Ports must be between 1 and 65535 (got 0, 70000).'] });
    const ok = await t.api.post(SERVICES, { ...base, ports: [22] });
    expect(ok.status).toBe(201);
    expect(ok.body.display).toBe('ssh (TCP/22)');
  });
});
