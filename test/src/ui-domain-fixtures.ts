import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';

/**
 * A small network for the domain pages, written through the write path: a region with two sites
 * (and a building), racks with devices front and rear (one full depth, one rack numbered top
 * down), a LAG, VLANs, cables between devices and to a circuit, prefixes and addresses.
 */
export interface DomainFixture {
  region: AnyRecord;
  ams: AnyRecord;
  ams1: AnyRecord;
  fra: AnyRecord;
  rack: AnyRecord;
  descRack: AnyRecord;
  leaf1: AnyRecord;
  leaf2: AnyRecord;
  spine: AnyRecord;
  patch: AnyRecord;
  unplaced: AnyRecord;
  iface: Record<string, AnyRecord>;
  spineIface: Record<string, AnyRecord>;
  vlanGroup: AnyRecord;
  vlan10: AnyRecord;
  vlan20: AnyRecord;
  container: AnyRecord;
  network: AnyRecord;
  circuit: AnyRecord;
  termA: AnyRecord;
  termZ: AnyRecord;
}

const one = async (objects: ObjectsApi, label: string, data: Rec): Promise<AnyRecord> =>
  (await objects.create(label, [data]))[0];

export async function buildDomainFixture(objects: ObjectsApi): Promise<DomainFixture> {
  const siteTypes = [
    'dcim.rack',
    'dcim.device',
    'ipam.prefix',
    'ipam.vlan',
    'ipam.vlangroup',
    'circuits.circuittermination',
  ];
  const regionType = await one(objects, 'dcim.locationtype', { name: 'Region', content_types: [] });
  const siteType = await one(objects, 'dcim.locationtype', {
    name: 'Site',
    parent: regionType.id,
    content_types: siteTypes,
  });
  const buildingType = await one(objects, 'dcim.locationtype', {
    name: 'Building',
    parent: siteType.id,
    content_types: siteTypes,
  });
  const region = await one(objects, 'dcim.location', {
    name: 'Europe',
    location_type: regionType.id,
    status: 'Active',
  });
  // Created out of name order, so the tree order is the page's doing.
  const fra = await one(objects, 'dcim.location', {
    name: 'FRA',
    location_type: siteType.id,
    parent: region.id,
    status: 'Active',
  });
  const ams = await one(objects, 'dcim.location', {
    name: 'AMS',
    location_type: siteType.id,
    parent: region.id,
    status: 'Active',
  });
  const ams1 = await one(objects, 'dcim.location', {
    name: 'AMS-1',
    location_type: buildingType.id,
    parent: ams.id,
    status: 'Active',
  });
  await one(objects, 'dcim.location', { name: 'Americas', location_type: regionType.id, status: 'Active' });

  const leafRole = await one(objects, 'extras.role', {
    name: 'Leaf',
    color: '2196f3',
    content_types: ['dcim.device'],
  });
  const spineRole = await one(objects, 'extras.role', {
    name: 'Spine',
    color: 'ff9800',
    content_types: ['dcim.device'],
  });
  const patchRole = await one(objects, 'extras.role', {
    name: 'Patching',
    color: '111111',
    content_types: ['dcim.device'],
  });
  const maker = await one(objects, 'dcim.manufacturer', { name: 'Acme' });
  const switchType = await one(objects, 'dcim.devicetype', {
    manufacturer: maker.id,
    model: 'AS-1U',
    u_height: 1,
    is_full_depth: false,
  });
  const routerType = await one(objects, 'dcim.devicetype', {
    manufacturer: maker.id,
    model: 'AR-2U',
    u_height: 2,
    is_full_depth: true,
  });
  const panelType = await one(objects, 'dcim.devicetype', {
    manufacturer: maker.id,
    model: 'PP-24',
    u_height: 1,
    is_full_depth: false,
  });
  const rack = await one(objects, 'dcim.rack', {
    name: 'R1',
    location: ams1.id,
    status: 'Active',
    u_height: 12,
  });
  const descRack = await one(objects, 'dcim.rack', {
    name: 'R2',
    location: ams1.id,
    status: 'Active',
    u_height: 10,
    desc_units: true,
  });
  const device = (name: string, type: Rec, role: Rec, extra: Rec) =>
    one(objects, 'dcim.device', {
      name,
      device_type: type.id,
      role: role.id,
      location: ams1.id,
      status: 'Active',
      ...extra,
    });
  const leaf1 = await device('ams-leaf-01', switchType, leafRole, {
    rack: rack.id,
    position: 1,
    face: 'front',
  });
  // Half-depth switches share a unit, one on each face.
  const leaf2 = await device('ams-leaf-02', switchType, leafRole, {
    rack: rack.id,
    position: 1,
    face: 'rear',
  });
  const spine = await device('ams-spine-01', routerType, spineRole, {
    rack: rack.id,
    position: 5,
    face: 'front',
  });
  const patch = await device('ams-pp-01', panelType, patchRole, {
    rack: descRack.id,
    position: 3,
    face: 'front',
  });
  const unplaced = await device('ams-spare-01', switchType, leafRole, { rack: rack.id });

  const ifaces = async (dev: Rec, names: string[], extra: Record<string, Rec> = {}) => {
    const out: Record<string, AnyRecord> = {};
    for (const name of names)
      out[name] = await one(objects, 'dcim.interface', {
        device: dev.id,
        name,
        type: name.startsWith('po') ? 'lag' : '10gbase-x-sfpp',
        status: 'Active',
        ...(extra[name] ?? {}),
      });
    return out;
  };
  const iface = await ifaces(leaf1, ['po1', 'eth1', 'eth4', 'eth5', 'eth6']);
  for (const name of ['eth2', 'eth3'])
    Object.assign(iface, await ifaces(leaf1, [name], { [name]: { lag: iface.po1.id } }));
  const spineIface = await ifaces(spine, ['eth1', 'eth2']);
  const leaf2Iface = await ifaces(leaf2, ['eth1']);

  const vlanGroup = await one(objects, 'ipam.vlangroup', { name: 'AMS VLANs', location: ams.id });
  const vlan10 = await one(objects, 'ipam.vlan', {
    vid: 10,
    name: 'servers',
    vlan_group: vlanGroup.id,
    status: 'Active',
  });
  const vlan20 = await one(objects, 'ipam.vlan', {
    vid: 20,
    name: 'storage',
    vlan_group: vlanGroup.id,
    status: 'Active',
  });
  await one(objects, 'ipam.vlan', { vid: 21, name: 'backup', vlan_group: vlanGroup.id, status: 'Active' });
  await objects.update('dcim.interface', [
    { id: iface.eth4.id, mode: 'access', untagged_vlan: vlan10.id },
    { id: iface.eth5.id, mode: 'tagged', untagged_vlan: vlan10.id, tagged_vlans: [vlan20.id] },
  ]);

  // leaf-01 eth1 — spine eth1; leaf-02 eth1 — spine eth2.
  await objects.create('dcim.cable', [
    {
      termination_a_type: 'dcim.interface',
      termination_a_id: iface.eth1.id,
      termination_b_type: 'dcim.interface',
      termination_b_id: spineIface.eth1.id,
      status: 'Connected',
      label: 'C-100',
    },
    {
      termination_a_type: 'dcim.interface',
      termination_b_type: 'dcim.interface',
      termination_a_id: leaf2Iface.eth1.id,
      termination_b_id: spineIface.eth2.id,
      status: 'Connected',
      label: 'C-101',
    },
  ]);

  const container = await one(objects, 'ipam.prefix', {
    prefix: '10.10.0.0/16',
    type: 'container',
    status: 'Active',
    location: ams.id,
  });
  const network = await one(objects, 'ipam.prefix', {
    prefix: '10.10.1.0/24',
    type: 'network',
    status: 'Active',
    location: ams.id,
    vlan: vlan10.id,
  });
  await one(objects, 'ipam.prefix', { prefix: '10.10.4.0/22', type: 'network', status: 'Active' });
  await objects.create(
    'ipam.ipaddress',
    ['10.10.1.1/24', '10.10.1.2/24', '10.10.1.3/24', '10.10.1.10/24'].map((address) => ({
      address,
      status: 'Active',
    })),
  );
  const [ip1] = await objects.find('ipam.ipaddress', { address: '10.10.1.1/24' });
  await objects.update('ipam.ipaddress', [{ id: ip1.id, interfaces: [iface.eth4.id] }]);

  const provider = await one(objects, 'circuits.provider', { name: 'Acme Transit' });
  const providerNetwork = await one(objects, 'circuits.providernetwork', {
    provider: provider.id,
    name: 'Acme Backbone',
  });
  const circuitType = await one(objects, 'circuits.circuittype', { name: 'Internet' });
  const circuit = await one(objects, 'circuits.circuit', {
    cid: 'CID-1001',
    provider: provider.id,
    circuit_type: circuitType.id,
    status: 'Active',
  });
  const termA = await one(objects, 'circuits.circuittermination', {
    circuit: circuit.id,
    term_side: 'A',
    location: ams1.id,
    port_speed: 10_000_000,
    xconnect_id: 'XC-7',
  });
  const termZ = await one(objects, 'circuits.circuittermination', {
    circuit: circuit.id,
    term_side: 'Z',
    provider_network: providerNetwork.id,
  });
  await objects.create('dcim.cable', [
    {
      termination_a_type: 'circuits.circuittermination',
      termination_a_id: termA.id,
      termination_b_type: 'dcim.interface',
      termination_b_id: iface.eth6.id,
      status: 'Connected',
      label: 'C-200',
    },
  ]);
  return {
    region,
    ams,
    ams1,
    fra,
    rack,
    descRack,
    leaf1,
    leaf2,
    spine,
    patch,
    unplaced,
    iface,
    spineIface,
    vlanGroup,
    vlan10,
    vlan20,
    container,
    network,
    circuit,
    termA,
    termZ,
  };
}
