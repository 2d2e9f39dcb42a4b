import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { IpamFixtures } from './ipam-fixtures';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEVICES = '/api/dcim/devices/';
const INTERFACES = '/api/dcim/interfaces/';

describe(onDatabase("ipam's rules on dcim devices and interfaces"), () => {
  let t: TestApp;
  let fx: IpamFixtures;
  let site: Obj;
  let ams: Obj;
  let amsRoom: Obj;
  let fra: Obj;

  const post = async (url: string, body: unknown): Promise<Obj> => {
    const res = await t.api.post(url, body);
    expect({ url, status: res.status, body: res.status === 201 ? null : res.body }).toMatchObject({
      status: 201,
    });
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp();
    fx = new IpamFixtures(t);
    site = await fx.locationType(['dcim.device', 'ipam.vlan', 'ipam.prefix']);
    ams = await fx.location(site.id);
    amsRoom = await fx.location(site.id, ams.id);
    fra = await fx.location(site.id);
    await post('/api/ipam/prefixes/', [
      { prefix: '10.1.0.0/24', status: 'Active' },
      { prefix: '2001:db8:1::/64', status: 'Active' },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes as primary IPs only addresses of the right family on the device (or its virtual chassis)', async () => {
    const { device, interfaces } = await fx.device(amsRoom.id, 2);
    const other = await fx.device(amsRoom.id, 1);
    const [v4, v6, elsewhere, loose, natOutside] = await Promise.all([
      post('/api/ipam/ip-addresses/', {
        address: '10.1.0.1/24',
        status: 'Active',
        interfaces: [interfaces[0].id],
      }),
      post('/api/ipam/ip-addresses/', {
        address: '2001:db8:1::1/64',
        status: 'Active',
        interfaces: [interfaces[1].id],
      }),
      post('/api/ipam/ip-addresses/', {
        address: '10.1.0.2/24',
        status: 'Active',
        interfaces: [other.interfaces[0].id],
      }),
      post('/api/ipam/ip-addresses/', { address: '10.1.0.3/24', status: 'Active' }),
      post('/api/ipam/ip-addresses/', { address: '10.1.0.4/24', status: 'Active' }),
    ]);
    const patch = (body: Obj) => t.api.patch(`${DEVICES}${device.id}/`, body);
    expect((await patch({ primary_ip4: v6.id })).body).toEqual({
      primary_ip4: ['2001:db8:1::1/64 is not an IPv4 address.'],
    });
    expect((await patch({ primary_ip6: v4.id })).body).toEqual({
      primary_ip6: ['10.1.0.1/24 is not an IPv6 address.'],
    });
    expect((await patch({ primary_ip4: elsewhere.id })).body).toEqual({
      primary_ip4: ['The specified IP address (10.1.0.2/24) is not assigned to this device.'],
    });
    expect((await patch({ primary_ip4: loose.id })).status).toBe(400);
    const ok = await patch({ primary_ip4: v4.id, primary_ip6: v6.id });
    expect(ok.status).toBe(200);
    expect(ok.body.primary_ip4.id).toBe(v4.id);
    expect(ok.body.primary_ip6.id).toBe(v6.id);
    // The NAT outside address of an assigned one will do.
    await t.api.patch(`/api/ipam/ip-addresses/${natOutside.id}/`, { nat_inside: v4.id });
    expect((await patch({ primary_ip4: natOutside.id })).status).toBe(200);
    // An address of another member of the device's virtual chassis will do too.
    const vc = await post('/api/dcim/virtual-chassis/', { name: 'vc1' });
    await t.api.patch(`${DEVICES}${other.device.id}/`, { virtual_chassis: vc.id, vc_position: 2 });
    expect((await patch({ primary_ip4: elsewhere.id })).status).toBe(400);
    expect((await patch({ virtual_chassis: vc.id, vc_position: 1, primary_ip4: elsewhere.id })).status).toBe(
      200,
    );
  });

  it('ties untagged and tagged VLANs to the interface mode and to the device location', async () => {
    const { interfaces } = await fx.device(amsRoom.id, 1);
    const iface = `${INTERFACES}${interfaces[0].id}/`;
    const [global, atAms, atRoom, atFra] = await Promise.all([
      post('/api/ipam/vlans/', { vid: 10, name: 'global', status: 'Active' }),
      post('/api/ipam/vlans/', { vid: 20, name: 'ams', status: 'Active', location: ams.id }),
      post('/api/ipam/vlans/', { vid: 30, name: 'room', status: 'Active', location: amsRoom.id }),
      post('/api/ipam/vlans/', { vid: 40, name: 'fra', status: 'Active', location: fra.id }),
    ]);
    expect((await t.api.patch(iface, { untagged_vlan: global.id })).body).toEqual({
      untagged_vlan: ['An untagged VLAN requires an 802.1Q mode (access, tagged or tagged-all).'],
    });
    expect((await t.api.patch(iface, { mode: 'access', tagged_vlans: [atAms.id] })).body).toEqual({
      tagged_vlans: ['Mode must be set to tagged when specifying tagged_vlans (it is access).'],
    });
    expect((await t.api.patch(iface, { mode: 'tagged-all', tagged_vlans: [atAms.id] })).status).toBe(400);
    expect((await t.api.patch(iface, { mode: 'access', untagged_vlan: atFra.id })).body).toEqual({
      untagged_vlan: [
        "The untagged VLAN (fra (40)) must belong to the same location as the interface's device, one of that location's parents, or be global.",
      ],
    });
    const tagged = await t.api.patch(iface, {
      mode: 'tagged',
      tagged_vlans: [global.id, atFra.id, atAms.id],
    });
    expect(tagged.body).toEqual({
      tagged_vlans: [
        "Tagged VLANs fra (40) must belong to the same location as the interface's device, one of that location's parents, or be global.",
      ],
    });
    const ok = await t.api.patch(iface, {
      mode: 'tagged',
      untagged_vlan: atRoom.id,
      tagged_vlans: [global.id, atAms.id, atRoom.id],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.tagged_vlans).toHaveLength(3);
    // Leaving tagged mode with a tagged list is refused rather than silently dropping the list.
    expect((await t.api.patch(iface, { mode: 'access' })).status).toBe(400);
    const access = await t.api.patch(iface, { mode: 'access', tagged_vlans: [] });
    expect(access.status).toBe(200);
    expect(access.body.untagged_vlan.id).toBe(atRoom.id);
  });

  it('checks the VLANs and VRFs of a bulk write in as many statements whatever its size', async () => {
    const { interfaces } = await fx.device(amsRoom.id, 44);
    const [atAms, atFra] = await Promise.all([
      post('/api/ipam/vlans/', { vid: 50, name: 'bulk', status: 'Active', location: ams.id }),
      post('/api/ipam/vlans/', { vid: 60, name: 'far', status: 'Active', location: fra.id }),
    ]);
    const access = (list: Obj[], vlan: (i: number) => string) =>
      t.api.patch(
        INTERFACES,
        list.map((x, i) => ({ id: x.id, mode: 'access', untagged_vlan: vlan(i) })),
      );
    // The check is per write: one object's refusal lands on that object, and nothing is written.
    const refused = await access(interfaces.slice(4), (i) => (i === 7 ? atFra.id : atAms.id));
    expect(refused.status).toBe(400);
    expect(refused.body[7]).toEqual({
      untagged_vlan: [
        "The untagged VLAN (far (60)) must belong to the same location as the interface's device, one of that location's parents, or be global.",
      ],
    });
    expect(refused.body.filter((e: Obj) => Object.keys(e).length > 0)).toHaveLength(1);
    const few = await access(interfaces.slice(0, 4), () => atAms.id);
    const many = await access(interfaces.slice(4), () => atAms.id);
    expect([few.status, many.status]).toEqual([200, 200]);
    expect(many.queries).toBe(few.queries);

    const addresses = (list: Obj[], from: number) =>
      t.api.post(
        '/api/ipam/ip-addresses/',
        list.map((x, i) => ({ address: `10.1.0.${from + i}/24`, status: 'Active', interfaces: [x.id] })),
      );
    const fewIps = await addresses(interfaces.slice(0, 4), 100);
    const manyIps = await addresses(interfaces.slice(4), 150);
    expect([fewIps.status, manyIps.status]).toEqual([201, 201]);
    expect(manyIps.queries).toBe(fewIps.queries);
  });

  it('keeps an interface in a VRF and its addresses in one namespace', async () => {
    const { interfaces } = await fx.device(ams.id, 1);
    const other = await post('/api/ipam/namespaces/', { name: 'customer' });
    const vrfOther = await post('/api/ipam/vrfs/', { name: 'cust', namespace: other.id });
    const vrfGlobal = await post('/api/ipam/vrfs/', { name: 'global-vrf' });
    await post('/api/ipam/ip-addresses/', {
      address: '10.1.0.50/24',
      status: 'Active',
      interfaces: [interfaces[0].id],
    });
    const iface = `${INTERFACES}${interfaces[0].id}/`;
    expect((await t.api.patch(iface, { vrf: vrfOther.id })).body).toEqual({
      vrf: [
        'VRF cust is in namespace customer, but this interface has addresses of other namespaces: 10.1.0.50/24.',
      ],
    });
    expect((await t.api.patch(iface, { vrf: vrfGlobal.id })).status).toBe(200);
    await post('/api/ipam/prefixes/', { prefix: '10.1.0.0/24', status: 'Active', namespace: other.id });
    const assign = await t.api.post('/api/ipam/ip-addresses/', {
      address: '10.1.0.51/24',
      status: 'Active',
      namespace: other.id,
      interfaces: [interfaces[0].id],
    });
    expect(assign.status).toBe(400);
    expect(assign.body.interfaces[0]).toMatch(/^Interface eth0 is in VRF global-vrf of namespace Global/);
  });
});
