import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { UiSession, text } from './ui-helpers';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';

const DRG = '/api/dcim/device-redundancy-groups/';
const IRG = '/api/dcim/interface-redundancy-groups/';
const IRGA = '/api/dcim/interface-redundancy-group-associations/';

/**
 * Device and interface redundancy groups (Nautobot 2.x shapes): rules, filters, REST, GraphQL,
 * CSV, change log, permissions and the group pages listing their members.
 */
describe(onDatabase('redundancy groups'), () => {
  let t: TestApp;
  let s: Site;
  let fw1: Obj;
  let fw2: Obj;
  let secrets: Obj;
  let vip: Obj;
  let cluster: Obj;
  let hsrp: Obj;
  const ifaces: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    const type = await switchType(t, s.manufacturer, 'FW-1000', 2);
    [fw1, fw2] = await create(t.api, DCIM.devices, [device(s, type, 'fw1'), device(s, type, 'fw2')]);
    const interfaces = (await t.api.get(`${DCIM.interfaces}?device=${fw1.id}&device=${fw2.id}&limit=10`)).body
      .results as Obj[];
    for (const i of interfaces)
      ifaces[`${String(i.device.id === fw1.id ? 'fw1' : 'fw2')}:${String(i.name)}`] = i.id;
    secrets = await create(t.api, '/api/extras/secrets-groups/', { name: 'ha-credentials' });
    await create(t.api, '/api/ipam/prefixes/', { prefix: '192.0.2.0/24', status: 'Active' });
    vip = await create(t.api, '/api/ipam/ip-addresses/', { address: '192.0.2.1/24', status: 'Active' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates device redundancy groups and puts devices in them with a priority', async () => {
    cluster = await create(t.api, DRG, {
      name: 'fw-cluster',
      status: 'Active',
      failover_strategy: 'active-passive',
      secrets_group: secrets.id,
      description: 'Edge firewalls',
      comments: 'Pair in AMS',
    });
    expect(cluster).toMatchObject({
      object_type: 'dcim.deviceredundancygroup',
      failover_strategy: { value: 'active-passive', label: 'Active/Passive' },
      secrets_group: { id: secrets.id },
    });
    const bad = await t.api.post(DRG, { name: 'x', status: 'Active', failover_strategy: 'round-robin' });
    expect(bad.status).toBe(400);
    expect(bad.body.failover_strategy).toBeDefined();
    const dup = await t.api.post(DRG, { name: 'fw-cluster', status: 'Active' });
    expect(dup.status).toBe(400);
    expect(dup.body.name).toBeDefined();

    const one = await t.api.patch(`${DCIM.devices}${fw1.id}/`, {
      device_redundancy_group: cluster.id,
      device_redundancy_group_priority: 1,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      device_redundancy_group: { id: cluster.id },
      device_redundancy_group_priority: 1,
    });
    const noGroup = await t.api.patch(`${DCIM.devices}${fw2.id}/`, { device_redundancy_group_priority: 2 });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.device_redundancy_group_priority).toEqual([
      'Must assign a redundancy group when defining a redundancy group priority.',
    ]);
    const zero = await t.api.patch(`${DCIM.devices}${fw2.id}/`, {
      device_redundancy_group: cluster.id,
      device_redundancy_group_priority: 0,
    });
    expect(zero.status).toBe(400);
    expect(zero.body.device_redundancy_group_priority).toBeDefined();
    expect(
      (
        await t.api.patch(`${DCIM.devices}${fw2.id}/`, {
          device_redundancy_group: { name: 'fw-cluster' },
          device_redundancy_group_priority: 2,
        })
      ).status,
    ).toBe(200);
    // Removing the group while keeping the priority is refused as well.
    const orphan = await t.api.patch(`${DCIM.devices}${fw2.id}/`, { device_redundancy_group: null });
    expect(orphan.status).toBe(400);
    expect(orphan.body.device_redundancy_group_priority).toBeDefined();
  });

  it('filters devices by group and priority, and groups by their fields', async () => {
    const members = await t.api.get(`${DCIM.devices}?device_redundancy_group=fw-cluster&sort=name`);
    expect(members.body.results.map((d: Obj) => d.name)).toEqual(['fw1', 'fw2']);
    const byId = await t.api.get(
      `${DCIM.devices}?device_redundancy_group=${cluster.id}&device_redundancy_group_priority=2`,
    );
    expect(byId.body.results.map((d: Obj) => d.name)).toEqual(['fw2']);
    expect((await t.api.get(`${DRG}?failover_strategy=active-passive`)).body.count).toBe(1);
    expect((await t.api.get(`${DRG}?failover_strategy=active-active`)).body.count).toBe(0);
    expect((await t.api.get(`${DRG}?secrets_group=${secrets.id}`)).body.count).toBe(1);
    expect((await t.api.get(`${DRG}?q=firewalls`)).body.count).toBe(1);
  });

  it('creates interface redundancy groups with a virtual IP and member interfaces', async () => {
    hsrp = await create(t.api, IRG, {
      name: 'edge-hsrp',
      status: 'Active',
      protocol: 'hsrp',
      protocol_group_id: '10',
      virtual_ip: vip.id,
      secrets_group: secrets.id,
    });
    expect(hsrp).toMatchObject({
      protocol: { value: 'hsrp', label: 'HSRP' },
      protocol_group_id: '10',
      virtual_ip: { id: vip.id },
    });
    const badProtocol = await t.api.post(IRG, { name: 'x', status: 'Active', protocol: 'ospf' });
    expect(badProtocol.status).toBe(400);
    expect(badProtocol.body.protocol).toBeDefined();
    const members = await t.api.post(IRGA, [
      { interface_redundancy_group: hsrp.id, interface: ifaces['fw1:eth1'], priority: 110 },
      { interface_redundancy_group: hsrp.id, interface: ifaces['fw2:eth1'], priority: 100 },
    ]);
    expect(members.status).toBe(201);
    const twice = await t.api.post(IRGA, {
      interface_redundancy_group: hsrp.id,
      interface: ifaces['fw1:eth1'],
      priority: 50,
    });
    expect(twice.status).toBe(400);
    const noPriority = await t.api.post(IRGA, {
      interface_redundancy_group: hsrp.id,
      interface: ifaces['fw1:eth2'],
    });
    expect(noPriority.status).toBe(400);
    expect(noPriority.body.priority).toBeDefined();
    // Bulk writes are atomic.
    const bulk = await t.api.post(IRGA, [
      { interface_redundancy_group: hsrp.id, interface: ifaces['fw1:eth2'], priority: 10 },
      { interface_redundancy_group: hsrp.id, interface: ifaces['fw2:eth1'], priority: 10 },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${IRGA}?interface_redundancy_group=${hsrp.id}`)).body.count).toBe(2);
    expect((await t.api.get(`${IRGA}?interface=${ifaces['fw2:eth1']}`)).body.results[0].priority).toBe(100);
    expect((await t.api.get(`${IRG}?protocol=hsrp&virtual_ip=${vip.id}`)).body.count).toBe(1);
  });

  it('answers GraphQL with groups, members and the device fields', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ device_redundancy_groups { name failover_strategy devices { name device_redundancy_group_priority } }
               interface_redundancy_groups { name protocol protocol_group_id virtual_ip { address }
                 interface_redundancy_group_associations { priority interface { name device { name } } } } }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.device_redundancy_groups).toEqual([
      {
        name: 'fw-cluster',
        failover_strategy: 'active-passive',
        devices: expect.arrayContaining([
          { name: 'fw1', device_redundancy_group_priority: 1 },
          { name: 'fw2', device_redundancy_group_priority: 2 },
        ]),
      },
    ]);
    const [group] = res.body.data.interface_redundancy_groups;
    expect(group).toMatchObject({
      name: 'edge-hsrp',
      protocol: 'hsrp',
      virtual_ip: { address: '192.0.2.1/24' },
    });
    expect(group.interface_redundancy_group_associations).toHaveLength(2);
  });

  it('exports and imports CSV, change-logs writes and cleans up with devices and interfaces', async () => {
    const csv = await t.http().get(`${DRG}?format=csv`).set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split(/\r?\n/)[0].split(',')).toEqual(
      expect.arrayContaining(['name', 'status', 'failover_strategy']),
    );
    const ui = await new UiSession(t.baseUrl).login();
    const imported = await ui.post('/dcim/device-redundancy-groups/import/', {
      csv_data: 'name,status,failover_strategy\nlb-pair,Active,active-active\n',
    });
    expect(imported.status).toBe(303);
    const bad = await ui.post('/dcim/interface-redundancy-groups/import/', {
      csv_data: 'name,status,protocol\nvrrp-1,Active,rip\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('protocol');

    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${fw2.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      postchange_data: { device_redundancy_group: cluster.id, device_redundancy_group_priority: 2 },
    });
    const assocChanges = await t.api.get(
      '/api/extras/object-changes/?changed_object_type=dcim.interfaceredundancygroupassociation',
    );
    expect(assocChanges.body.count).toBe(2);

    // Deleting a device removes its interfaces' memberships.
    const [spare] = await create(t.api, DCIM.devices, [device(s, fw1.device_type, 'fw3')]);
    const spareIfaces = (await t.api.get(`${DCIM.interfaces}?device=${spare.id}`)).body.results as Obj[];
    await create(t.api, IRGA, {
      interface_redundancy_group: hsrp.id,
      interface: spareIfaces[0].id,
      priority: 1,
    });
    expect((await t.api.delete(`${DCIM.devices}${spare.id}/`)).status).toBe(204);
    expect((await t.api.get(`${IRGA}?interface_redundancy_group=${hsrp.id}`)).body.count).toBe(2);
  });

  it('releases the devices of a deleted group, priority included', async () => {
    const pair = await create(t.api, DRG, { name: 'doomed-pair', status: 'Active' });
    const [a] = await create(t.api, DCIM.devices, [
      device(s, fw1.device_type, 'fw4', {
        device_redundancy_group: pair.id,
        device_redundancy_group_priority: 5,
      }),
    ]);
    expect((await t.api.delete(`${DRG}${pair.id}/`)).status).toBe(204);
    const after = (await t.api.get(`${DCIM.devices}${a.id}/`)).body;
    expect(after).toMatchObject({ device_redundancy_group: null, device_redundancy_group_priority: null });
    expect((await t.api.patch(`${DCIM.devices}${a.id}/`, { serial: 'X1' })).status).toBe(200);
  });

  it('needs permissions on the groups', async () => {
    const { api } = await t.createUser('drg-viewer', [
      { actions: ['view'], object_types: ['dcim.deviceredundancygroup'] },
    ]);
    expect((await api.get(DRG)).status).toBe(200);
    expect((await api.get(IRG)).status).toBe(403);
    expect((await api.post(DRG, { name: 'nope', status: 'Active' })).status).toBe(403);
  });

  it('shows the members on the group pages and the group on the device page', async () => {
    const ui = await new UiSession(t.baseUrl).login();
    const page = text((await ui.get(`/dcim/device-redundancy-groups/${cluster.id}/`)).text);
    expect(page).toMatch(/Members.*fw1.*1.*fw2.*2/s);
    const irg = text((await ui.get(`/dcim/interface-redundancy-groups/${hsrp.id}/`)).text);
    expect(irg).toMatch(/Members.*fw1.*eth1.*110.*fw2.*eth1.*100/s);
    const dev = text((await ui.get(`/dcim/devices/${fw1.id}/`)).text);
    expect(dev).toContain('fw-cluster');
  });
});
