import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';

const PREFIXES = '/api/ipam/prefixes/';
const IPS = '/api/ipam/ip-addresses/';
const VLAN_GROUPS = '/api/ipam/vlan-groups/';

describe(onDatabase('ipam available IPs, prefixes and VLANs'), () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const prefix = async (p: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api.post(PREFIXES, { prefix: p, status: 'Active', ...extra });
    expect(res.status).toBe(201);
    return res.body;
  };
  const addresses = (body: { address: string }[]) => body.map((x) => x.address);

  it('lists free addresses with limit, keeping IPv4 network and broadcast out (not for pools, /31 or IPv6)', async () => {
    const p = await prefix('192.0.2.0/29');
    await t.api.post(IPS, [
      { address: '192.0.2.2/29', status: 'Active' },
      { address: '192.0.2.4/32', status: 'Active' },
    ]);
    const free = await t.api.get(`${PREFIXES}${p.id}/available-ips/`);
    expect(free.status).toBe(200);
    expect(free.body).toEqual([
      { ip_version: 4, address: '192.0.2.1/29' },
      { ip_version: 4, address: '192.0.2.3/29' },
      { ip_version: 4, address: '192.0.2.5/29' },
      { ip_version: 4, address: '192.0.2.6/29' },
    ]);
    expect(addresses((await t.api.get(`${PREFIXES}${p.id}/available-ips/?limit=2`)).body)).toEqual([
      '192.0.2.1/29',
      '192.0.2.3/29',
    ]);
    const pool = await prefix('192.0.2.8/30', { type: 'pool' });
    expect(addresses((await t.api.get(`${PREFIXES}${pool.id}/available-ips/`)).body)).toEqual([
      '192.0.2.8/30',
      '192.0.2.9/30',
      '192.0.2.10/30',
      '192.0.2.11/30',
    ]);
    const p2p = await prefix('192.0.2.12/31');
    expect(addresses((await t.api.get(`${PREFIXES}${p2p.id}/available-ips/`)).body)).toEqual([
      '192.0.2.12/31',
      '192.0.2.13/31',
    ]);
    const v6 = await prefix('2001:db8:1::/126');
    expect((await t.api.get(`${PREFIXES}${v6.id}/available-ips/`)).body).toEqual([
      { ip_version: 6, address: '2001:db8:1::/126' },
      { ip_version: 6, address: '2001:db8:1::1/126' },
      { ip_version: 6, address: '2001:db8:1::2/126' },
      { ip_version: 6, address: '2001:db8:1::3/126' },
    ]);
    const bad = await t.api.get(`${PREFIXES}${p.id}/available-ips/?limit=x`);
    expect(bad.status).toBe(400);
    expect((await t.api.get(`${PREFIXES}00000000-0000-0000-0000-000000000000/available-ips/`)).status).toBe(
      404,
    );
  });

  it('answers a /8 and an IPv6 /32 from their used part', async () => {
    const big = await prefix('10.0.0.0/8', { type: 'pool' });
    expect(addresses((await t.api.get(`${PREFIXES}${big.id}/available-ips/?limit=3`)).body)).toEqual([
      '10.0.0.0/8',
      '10.0.0.1/8',
      '10.0.0.2/8',
    ]);
    const v6 = await prefix('2001:db9::/32');
    await t.api.post(IPS, { address: '2001:db9::/32', status: 'Active' });
    expect(addresses((await t.api.get(`${PREFIXES}${v6.id}/available-ips/?limit=2`)).body)).toEqual([
      '2001:db9::1/32',
      '2001:db9::2/32',
    ]);
    expect((await t.api.get(`${PREFIXES}${v6.id}/available-prefixes/`)).body).toEqual([
      { ip_version: 6, prefix: '2001:db9::/32' },
    ]);
    await prefix('2001:db9::/47');
    expect((await t.api.get(`${PREFIXES}${v6.id}/available-prefixes/`)).body).toEqual([
      { ip_version: 6, prefix: '2001:db9:2::/47' },
      { ip_version: 6, prefix: '2001:db9:4::/46' },
      { ip_version: 6, prefix: '2001:db9:8::/45' },
      { ip_version: 6, prefix: '2001:db9:10::/44' },
      { ip_version: 6, prefix: '2001:db9:20::/43' },
      { ip_version: 6, prefix: '2001:db9:40::/42' },
      { ip_version: 6, prefix: '2001:db9:80::/41' },
      { ip_version: 6, prefix: '2001:db9:100::/40' },
      { ip_version: 6, prefix: '2001:db9:200::/39' },
      { ip_version: 6, prefix: '2001:db9:400::/38' },
      { ip_version: 6, prefix: '2001:db9:800::/37' },
      { ip_version: 6, prefix: '2001:db9:1000::/36' },
      { ip_version: 6, prefix: '2001:db9:2000::/35' },
      { ip_version: 6, prefix: '2001:db9:4000::/34' },
      { ip_version: 6, prefix: '2001:db9:8000::/33' },
    ]);
  });

  it('finds the gaps after long runs of used addresses', async () => {
    const p = await prefix('100.100.0.0/22', { type: 'pool' });
    const next = async () => addresses((await t.api.get(`${PREFIXES}${p.id}/available-ips/?limit=3`)).body);
    const made = await t.api.post(
      IPS,
      Array.from({ length: 600 }, (_, i) => ({
        address: `100.100.${i >> 8}.${i & 255}/22`,
        status: 'Active',
      })),
    );
    expect(made.status).toBe(201);
    // One dense run: the free space starts right after it.
    expect(await next()).toEqual(['100.100.2.88/22', '100.100.2.89/22', '100.100.2.90/22']);
    // Holes deep in the run, and one at the start of the scan.
    const byAddress = new Map(made.body.map((a: { address: string; id: string }) => [a.address, a.id]));
    for (const hole of ['100.100.1.200/22', '100.100.2.7/22']) {
      expect((await t.api.delete(`${IPS}${byAddress.get(hole)}/`)).status).toBe(204);
    }
    expect(await next()).toEqual(['100.100.1.200/22', '100.100.2.7/22', '100.100.2.88/22']);
    expect((await t.api.delete(`${IPS}${byAddress.get('100.100.0.3/22')}/`)).status).toBe(204);
    expect(await next()).toEqual(['100.100.0.3/22', '100.100.1.200/22', '100.100.2.7/22']);
  });

  it('finds holes anywhere in runs too long to scan (the bisection on counts, IPv4 and IPv6)', async () => {
    const [{ id: ns }] = await t.sql(`SELECT id FROM ipam_namespace WHERE name = 'Global'`);
    const [{ id: status }] = await t.sql(`SELECT id FROM extras_status WHERE name = 'Active'`);
    const RUN = 20_000;
    for (const [net, first, text] of [
      ['100.64.0.0/16', '100.64.0.1', (i: number) => `100.64.${(i + 1) >> 8}.${(i + 1) & 255}/16`],
      ['2001:db8:77::/64', '2001:db8:77::', (i: number) => `2001:db8:77::${i.toString(16)}/64`],
    ] as const) {
      const p = await prefix(net);
      // Set-up only: the run is written with SQL (through the API it would take a minute).
      await t.sql(
        `INSERT INTO ipam_ipaddress (id, created, last_updated, address, namespace_id, parent_id, type, status_id)
         SELECT gen_random_uuid(), now(), now(), set_masklen($1::inet + g, $2), $3, $4, 'host', $5
           FROM generate_series(0, $6 - 1) g`,
        [first, Number(net.split('/')[1]), ns, p.id, status, RUN],
      );
      const next = async () => addresses((await t.api.get(`${PREFIXES}${p.id}/available-ips/?limit=2`)).body);
      // Dense: the free space follows the run.
      expect(await next()).toEqual([text(RUN), text(RUN + 1)]);
      // Holes at several depths, each the lowest so far: the run's last addresses (the final
      // window), deep in it and side by side (the bisection), and just past the first probe.
      for (const hole of [RUN - 1, RUN - 2, 17_000, 10_256, 10_255, 5_000, 300]) {
        await t.sql(`DELETE FROM ipam_ipaddress WHERE namespace_id = $1 AND address = $2::inet`, [
          ns,
          text(hole),
        ]);
        const expected = hole >= RUN - 2 ? [text(hole), text(hole + 1)] : [text(hole)];
        expect((await next()).slice(0, expected.length)).toEqual(expected);
      }
      expect(await next()).toEqual([text(300), text(5_000)]);
    }
  });

  it('allocates addresses: one or a list, 201 through the write path, 204 when there is not room for all', async () => {
    const p = await prefix('198.18.0.0/29');
    await t.api.post(IPS, { address: '198.18.0.1/29', status: 'Active' });
    const one = await t.api.post(`${PREFIXES}${p.id}/available-ips/`, {
      status: 'Active',
      description: 'first',
    });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({
      object_type: 'ipam.ipaddress',
      address: '198.18.0.2/29',
      description: 'first',
      host: '198.18.0.2',
      mask_length: 29,
    });
    expect(one.body.parent.id).toBe(p.id);
    expect(one.body.url).toMatch(new RegExp(`/api/ipam/ip-addresses/${one.body.id}/$`));
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${one.body.id}`);
    expect(changes.body.count).toBe(1);
    expect(changes.body.results[0]).toMatchObject({ action: { value: 'create' }, user_name: 'admin' });

    const list = await t.api.post(`${PREFIXES}${p.id}/available-ips/`, [
      { status: 'Active' },
      { status: 'Active' },
    ]);
    expect(list.status).toBe(201);
    expect(addresses(list.body)).toEqual(['198.18.0.3/29', '198.18.0.4/29']);

    // Two left (.5, .6): a request for three creates nothing.
    const tooMany = await t.api.post(`${PREFIXES}${p.id}/available-ips/`, [
      { status: 'Active' },
      { status: 'Active' },
      { status: 'Active' },
    ]);
    expect(tooMany.status).toBe(204);
    expect(tooMany.body).toEqual({});
    expect((await t.api.get(`${IPS}?parent=${p.id}`)).body.count).toBe(4);
    // Validation errors come back per item, and nothing is created either.
    const invalid = await t.api.post(`${PREFIXES}${p.id}/available-ips/`, [
      { status: 'Active' },
      { status: 'Nope' },
    ]);
    expect(invalid.status).toBe(400);
    expect(invalid.body[0]).toEqual({});
    expect(Object.keys(invalid.body[1])).toEqual(['status']);
    expect((await t.api.get(`${IPS}?parent=${p.id}`)).body.count).toBe(4);
    const last = await t.api.post(`${PREFIXES}${p.id}/available-ips/`, [
      { status: 'Active' },
      { status: 'Active' },
    ]);
    expect(addresses(last.body)).toEqual(['198.18.0.5/29', '198.18.0.6/29']);
    expect((await t.api.post(`${PREFIXES}${p.id}/available-ips/`, { status: 'Active' })).status).toBe(204);
    expect((await t.api.get(`${PREFIXES}${p.id}/available-ips/`)).body).toEqual([]);
    expect((await t.api.post(`${PREFIXES}${p.id}/available-ips/`, [])).status).toBe(400);
  });

  it('lists free child prefixes and allocates them first-fit, all or nothing', async () => {
    const p = await prefix('10.200.0.0/22', { type: 'container' });
    await prefix('10.200.0.0/24');
    await prefix('10.200.2.128/25');
    const free = await t.api.get(`${PREFIXES}${p.id}/available-prefixes/`);
    expect(free.body).toEqual([
      { ip_version: 4, prefix: '10.200.1.0/24' },
      { ip_version: 4, prefix: '10.200.2.0/25' },
      { ip_version: 4, prefix: '10.200.3.0/24' },
    ]);
    expect((await t.api.get(`${PREFIXES}${p.id}/available-prefixes/?limit=1`)).body).toHaveLength(1);

    const one = await t.api.post(`${PREFIXES}${p.id}/available-prefixes/`, {
      prefix_length: 25,
      status: 'Active',
    });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ prefix: '10.200.1.0/25', prefix_length: 25 });
    expect(one.body.parent.id).toBe(p.id);
    const list = await t.api.post(`${PREFIXES}${p.id}/available-prefixes/`, [
      { prefix_length: 24, status: 'Active' },
      { prefix_length: 26, status: 'Active' },
      { prefix_length: 26, status: 'Active', description: 'x' },
    ]);
    expect(list.status).toBe(201);
    expect(list.body.map((x: { prefix: string }) => x.prefix)).toEqual([
      '10.200.3.0/24',
      '10.200.1.128/26',
      '10.200.1.192/26',
    ]);
    // Left: 10.200.2.0/25. A /25 and a /26 cannot both fit: nothing is created.
    const none = await t.api.post(`${PREFIXES}${p.id}/available-prefixes/`, [
      { prefix_length: 25, status: 'Active' },
      { prefix_length: 26, status: 'Active' },
    ]);
    expect(none.status).toBe(204);
    expect((await t.api.get(`${PREFIXES}${p.id}/available-prefixes/`)).body).toEqual([
      { ip_version: 4, prefix: '10.200.2.0/25' },
    ]);
    const errors = await t.api.post(`${PREFIXES}${p.id}/available-prefixes/`, [
      { status: 'Active' },
      { prefix_length: 'x', status: 'Active' },
      { prefix_length: 33, status: 'Active' },
    ]);
    expect(errors.status).toBe(400);
    expect(errors.body).toEqual([
      { prefix_length: ['This field is required.'] },
      { prefix_length: ['A valid integer is required.'] },
      { prefix_length: ['Invalid prefix length (33) for IPv4.'] },
    ]);
  });

  it('lists and allocates VLAN IDs of a group', async () => {
    const g = (await t.api.post(VLAN_GROUPS, { name: 'alloc' })).body;
    await t.api.post('/api/ipam/vlans/', [
      { vid: 1, name: 'one', status: 'Active', vlan_group: g.id },
      { vid: 3, name: 'three', status: 'Active', vlan_group: g.id },
    ]);
    expect((await t.api.get(`${VLAN_GROUPS}${g.id}/available-vlans/?limit=3`)).body).toEqual([2, 4, 5]);
    const made = await t.api.post(`${VLAN_GROUPS}${g.id}/available-vlans/`, [
      { name: 'a', status: 'Active' },
      { name: 'b', status: 'Active', vid: 100 },
      { name: 'c', status: 'Active' },
    ]);
    expect(made.status).toBe(201);
    expect(made.body.map((v: { vid: number }) => v.vid)).toEqual([2, 100, 4]);
    expect(made.body[0].vlan_group.id).toBe(g.id);
    const taken = await t.api.post(`${VLAN_GROUPS}${g.id}/available-vlans/`, {
      name: 'd',
      status: 'Active',
      vid: 3,
    });
    expect(taken.status).toBe(400);
    expect(taken.body).toEqual({ vid: ['VLAN ID 3 is not available in this VLAN group.'] });
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const paths = Object.keys((await t.api.get('/api/swagger.json')).body.paths);
    for (const p of [
      'prefixes/{id}/available-ips',
      'prefixes/{id}/available-prefixes',
      'vlan-groups/{id}/available-vlans',
    ]) {
      expect({ p, found: paths.some((x) => x.replace(/\/$/, '').endsWith(`/api/ipam/${p}`)) }).toEqual({
        p,
        found: true,
      });
    }
  });

  it('checks permissions: view on the parent, add on the created model', async () => {
    const p = await prefix('198.19.0.0/24');
    const viewer = await t.createUser('ipam-viewer', [{ actions: ['view'], object_types: ['ipam.prefix'] }]);
    expect((await viewer.api.get(`${PREFIXES}${p.id}/available-ips/?limit=1`)).status).toBe(200);
    expect((await viewer.api.post(`${PREFIXES}${p.id}/available-ips/`, { status: 'Active' })).status).toBe(
      403,
    );
    const nobody = await t.createUser('ipam-nobody', [{ actions: ['view'], object_types: ['ipam.vlan'] }]);
    expect((await nobody.api.get(`${PREFIXES}${p.id}/available-ips/`)).status).toBe(403);
    // References resolve within what the writer may view: the status and the namespace too.
    const allocator = await t.createUser('ipam-allocator', [
      { actions: ['view'], object_types: ['ipam.prefix', 'ipam.namespace', 'extras.status'] },
      { actions: ['add', 'view'], object_types: ['ipam.ipaddress'] },
    ]);
    const ok = await allocator.api.post(`${PREFIXES}${p.id}/available-ips/`, { status: 'Active' });
    expect(ok.status).toBe(201);
    expect(ok.body.address).toBe('198.19.0.1/24');
  });

  it('never hands out one address twice under parallel allocations', async () => {
    const p = await prefix('198.51.0.0/24');
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, () => t.api.post(`${PREFIXES}${p.id}/available-ips/`, { status: 'Active' })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
    const got = results.map((r) => r.body.address as string);
    expect(new Set(got).size).toBe(n);
    // The lowest twenty, whatever order the requests were served in.
    expect([...got].sort((a, b) => Number(a.split(/[./]/)[3]) - Number(b.split(/[./]/)[3]))).toEqual(
      Array.from({ length: n }, (_, i) => `198.51.0.${i + 1}/24`),
    );
    expect((await t.api.get(`${IPS}?parent=${p.id}`)).body.count).toBe(n);
  });
});
