import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';

describe(onDatabase('dcim components'), () => {
  let t: TestApp;
  let s: Site;
  let full: Obj;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    // A device type with one template of every kind (two power ports, a 2-position rear port).
    full = await create(t.api, DCIM.deviceTypes, {
      manufacturer: s.manufacturer.id,
      model: 'Everything',
      subdevice_role: 'parent',
    });
    const dt = full.id;
    await create(t.api, DCIM.consolePortTemplates, { device_type: dt, name: 'con0', type: 'rj-45' });
    await create(t.api, DCIM.consoleServerPortTemplates, { device_type: dt, name: 'cs1', type: 'rj-45' });
    const [psu1] = await create(t.api, DCIM.powerPortTemplates, [
      { device_type: dt, name: 'PSU1', type: 'iec-60320-c14', maximum_draw: 300 },
      { device_type: dt, name: 'PSU2', type: 'iec-60320-c14' },
    ]);
    await create(t.api, DCIM.powerOutletTemplates, {
      device_type: dt,
      name: 'out1',
      type: 'iec-60320-c13',
      power_port_template: psu1.id,
      feed_leg: 'A',
    });
    await create(t.api, DCIM.interfaceTemplates, [
      { device_type: dt, name: 'eth1', type: '1000base-t' },
      { device_type: dt, name: 'mgmt0', type: '1000base-t', mgmt_only: true },
    ]);
    const rear = await create(t.api, DCIM.rearPortTemplates, {
      device_type: dt,
      name: 'R1',
      type: 'lc',
      positions: 2,
    });
    await create(t.api, DCIM.frontPortTemplates, [
      { device_type: dt, name: 'F1', type: 'lc', rear_port_template: rear.id, rear_port_position: 1 },
      { device_type: dt, name: 'F2', type: 'lc', rear_port_template: rear.id, rear_port_position: 2 },
    ]);
    await create(t.api, DCIM.deviceBayTemplates, { device_type: dt, name: 'Bay 1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates every component of the type with each device, linked and change-logged', async () => {
    const devices = await create(t.api, DCIM.devices, [
      device(s, full, 'e1'),
      device(s, full, 'e2'),
      device(s, full, 'e3'),
    ]);
    const ids = devices.map((d: Obj) => d.id);
    const q = ids.map((id: string) => `device=${id}`).join('&');
    const list = async (path: string) => (await t.api.get(`${path}?${q}&limit=0`)).body.results as Obj[];
    expect((await list(DCIM.consolePorts)).length).toBe(3);
    expect((await list(DCIM.consoleServerPorts)).length).toBe(3);
    expect((await list(DCIM.powerPorts)).length).toBe(6);
    expect((await list(DCIM.interfaces)).length).toBe(6);
    expect((await list(DCIM.rearPorts)).length).toBe(3);
    expect((await list(DCIM.frontPorts)).length).toBe(6);
    expect((await list(DCIM.deviceBays)).length).toBe(3);

    // Links point at the same device's components.
    const e2 = devices[1];
    const ports = (await t.api.get(`${DCIM.powerPorts}?device=${e2.id}`)).body.results;
    const [outlet] = (await t.api.get(`${DCIM.powerOutlets}?device=${e2.id}`)).body.results;
    expect(outlet.power_port.id).toBe(ports.find((p: Obj) => p.name === 'PSU1').id);
    expect(outlet.feed_leg).toEqual({ value: 'A', label: 'A' });
    expect(ports.find((p: Obj) => p.name === 'PSU1').maximum_draw).toBe(300);
    const [rear] = (await t.api.get(`${DCIM.rearPorts}?device=${e2.id}`)).body.results;
    const fronts = (await t.api.get(`${DCIM.frontPorts}?device=${e2.id}`)).body.results;
    expect(fronts.map((f: Obj) => [f.name, f.rear_port.id, f.rear_port_position])).toEqual([
      ['F1', rear.id, 1],
      ['F2', rear.id, 2],
    ]);
    const ifaces = (await t.api.get(`${DCIM.interfaces}?device=${e2.id}&depth=1`)).body.results;
    expect(ifaces.map((i: Obj) => [i.name, i.mgmt_only, i.status.name])).toEqual([
      ['eth1', false, 'Active'],
      ['mgmt0', true, 'Active'],
    ]);

    const changes = await t.api.get(
      `/api/extras/object-changes/?changed_object_type=dcim.interface&changed_object_id=${ifaces[0].id}`,
    );
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'create' },
      related_object_type: 'dcim.device',
      related_object_id: e2.id,
    });
  });

  it('creates components in a constant number of queries, whatever the type holds', async () => {
    const small = await switchType(t, s.manufacturer, 'Small', 2);
    const big = await switchType(t, s.manufacturer, 'Big', 48);
    const a = await t.api.post(DCIM.devices, device(s, small, 'q-small'));
    const b = await t.api.post(DCIM.devices, device(s, big, 'q-big'));
    expect(b.status).toBe(201);
    expect(b.queries).toBe(a.queries);
    expect((await t.api.get(`${DCIM.interfaces}?device=q-big&limit=0`)).body.count).toBe(48);
  });

  it('creates large batches in one request (hundreds of components of one kind)', async () => {
    // 320 interfaces in one write: more than PGlite can take in one row-constructor IN list.
    const type = await switchType(t, s.manufacturer, 'Wide', 40);
    const res = await t.api.post(
      DCIM.devices,
      Array.from({ length: 8 }, (_, i) => device(s, type, `wide-${i}`)),
    );
    expect(res.status).toBe(201);
    const ids = res.body.map((d: Obj) => `device=${d.id}`).join('&');
    expect((await t.api.get(`${DCIM.interfaces}?${ids}&limit=1`)).body.count).toBe(320);
  });

  it('defaults interface status to Active and enforces LAG, parent and bridge rules', async () => {
    const type = await switchType(t, s.manufacturer, 'Ifaces', 3);
    const [d1, d2] = await create(t.api, DCIM.devices, [device(s, type, 'i1'), device(s, type, 'i2')]);
    const eth = async (d: Obj, n: number) =>
      (await t.api.get(`${DCIM.interfaces}?device=${d.id}&name=eth${n}`)).body.results[0];
    const planned = await create(t.api, DCIM.interfaces, {
      device: d1.id,
      name: 'vlan10',
      type: 'virtual',
      status: 'Planned',
    });
    expect(planned.status.id).toBeDefined();
    const po = await create(t.api, DCIM.interfaces, { device: d1.id, name: 'Po1', type: 'lag' });
    const d2po = await create(t.api, DCIM.interfaces, { device: d2.id, name: 'Po1', type: 'lag' });
    const e1 = await eth(d1, 1);
    const patch = (i: Obj, body: Obj) => t.api.patch(`${DCIM.interfaces}${i.id}/`, body);

    expect((await patch(e1, { lag: (await eth(d1, 2)).id })).body).toEqual({
      lag: ['The selected LAG interface (eth2) is not of type LAG.'],
    });
    expect((await patch(e1, { lag: d2po.id })).body).toEqual({
      lag: ['The selected LAG interface (Po1) belongs to a different device (i2).'],
    });
    expect((await patch(po, { lag: po.id })).body).toEqual({
      lag: ['A LAG interface cannot be its own parent.'],
    });
    expect((await patch(planned, { lag: po.id })).body).toEqual({
      lag: ['Virtual interfaces cannot have a parent LAG interface.'],
    });
    expect((await patch(e1, { lag: po.id })).status).toBe(200);
    expect((await patch(po, { type: '1000base-t' })).body).toEqual({
      type: ['The type of a LAG interface with member interfaces cannot be changed.'],
    });

    expect((await patch(e1, { parent_interface: po.id })).body).toEqual({
      parent_interface: ['Only virtual interfaces may be assigned to a parent interface.'],
    });
    const sub = await t.api.post(DCIM.interfaces, {
      device: d1.id,
      name: 'eth1.100',
      type: 'virtual',
      parent_interface: (await eth(d2, 1)).id,
    });
    expect(sub.body).toEqual({
      parent_interface: ['The selected parent interface (eth1) belongs to a different device (i2).'],
    });
    expect((await patch(planned, { parent_interface: planned.id })).body).toEqual({
      parent_interface: ['An interface cannot be its own parent.'],
    });
    await create(t.api, DCIM.interfaces, {
      device: d1.id,
      name: 'eth1.100',
      type: 'virtual',
      parent_interface: e1.id,
    });

    const br = await create(t.api, DCIM.interfaces, { device: d1.id, name: 'br0', type: 'bridge' });
    expect((await patch(br, { bridge: br.id })).body).toEqual({
      bridge: ['An interface cannot be bridged to itself.'],
    });
    expect((await patch(await eth(d2, 3), { bridge: br.id })).body).toEqual({
      bridge: ['The selected bridge interface (br0) belongs to a different device (i1).'],
    });
    expect((await patch(await eth(d1, 3), { bridge: br.id })).status).toBe(200);
  });

  it('keeps front ports on their rear port, within its positions; outlets on their device', async () => {
    const [a, b] = await create(t.api, DCIM.devices, [device(s, full, 'p1'), device(s, full, 'p2')]);
    const rearOf = async (d: Obj) => (await t.api.get(`${DCIM.rearPorts}?device=${d.id}`)).body.results[0];
    const rearA = await rearOf(a);
    const rearB = await rearOf(b);
    const otherDevice = await t.api.post(DCIM.frontPorts, {
      device: a.id,
      name: 'F9',
      type: 'lc',
      rear_port: rearB.id,
      rear_port_position: 1,
    });
    expect(otherDevice.body).toEqual({ rear_port: ['The rear port (R1) must belong to the same device.'] });
    const tooFar = await t.api.post(DCIM.frontPorts, {
      device: a.id,
      name: 'F9',
      type: 'lc',
      rear_port: rearA.id,
      rear_port_position: 3,
    });
    expect(tooFar.body).toEqual({
      rear_port_position: ['Invalid rear port position (3): Rear port R1 has only 2 positions.'],
    });
    const taken = await t.api.post(DCIM.frontPorts, {
      device: a.id,
      name: 'F9',
      type: 'lc',
      rear_port: rearA.id,
      rear_port_position: 2,
    });
    expect(taken.status).toBe(400);
    expect(taken.body.rear_port_position[0]).toMatch(/already exists/);
    const shrink = await t.api.patch(`${DCIM.rearPorts}${rearA.id}/`, { positions: 1 });
    expect(shrink.body).toEqual({
      positions: [
        'The number of positions cannot be less than the highest position mapped by a front port (2).',
      ],
    });
    const psuB = (await t.api.get(`${DCIM.powerPorts}?device=${b.id}&name=PSU1`)).body.results[0];
    const [outA] = (await t.api.get(`${DCIM.powerOutlets}?device=${a.id}`)).body.results;
    const cross = await t.api.patch(`${DCIM.powerOutlets}${outA.id}/`, { power_port: psuB.id });
    expect(cross.body).toEqual({ power_port: ['The power port (PSU1) must belong to the same device.'] });
  });

  it('checks templates against their device type', async () => {
    const other = await create(t.api, DCIM.deviceTypes, { manufacturer: s.manufacturer.id, model: 'Other' });
    const rear = (await t.api.get(`${DCIM.rearPortTemplates}?device_type=${full.id}`)).body.results[0];
    const res = await t.api.post(DCIM.frontPortTemplates, {
      device_type: other.id,
      name: 'F1',
      type: 'lc',
      rear_port_template: rear.id,
      rear_port_position: 5,
    });
    expect(res.body).toEqual({
      rear_port_template: ['The rear port template (R1) must belong to the same device type.'],
      rear_port_position: ['Invalid rear port position (5); rear port R1 has only 2 positions.'],
    });
    const psu = (await t.api.get(`${DCIM.powerPortTemplates}?device_type=${full.id}&name=PSU1`)).body
      .results[0];
    const outlet = await t.api.post(DCIM.powerOutletTemplates, {
      device_type: other.id,
      name: 'o',
      power_port_template: psu.id,
    });
    expect(outlet.body).toEqual({
      power_port_template: ['The power port template (PSU1) must belong to the same device type.'],
    });
  });

  it('answers 409 naming the dependents when a referenced object is deleted', async () => {
    const cases: [string, string, RegExp][] = [
      [DCIM.manufacturers, s.manufacturer.id, /dcim\.devicetype/],
      [DCIM.deviceTypes, full.id, /dcim\.device\b/],
      [DCIM.locations, s.site.id, /dcim\.device\b/],
      [DCIM.locationTypes, s.types.site.id, /dcim\.location\b/],
      ['/api/extras/roles/', s.role.id, /dcim\.device\b/],
    ];
    for (const [path, id, dependent] of cases) {
      const res = await t.api.delete(`${path}${id}/`);
      expect({ path, status: res.status }).toEqual({ path, status: 409 });
      expect(res.body.detail).toMatch(/dependent object/);
      expect(res.body.dependent_objects.map((d: Obj) => d.object_type).join(' ')).toMatch(dependent);
    }
    const tenant = await create(t.api, '/api/tenancy/tenants/', { name: 'Busy' });
    const type = await switchType(t, s.manufacturer, 'T409', 0);
    await create(t.api, DCIM.devices, device(s, type, 'tenant-dev', { tenant: tenant.id }));
    expect((await t.api.delete(`/api/tenancy/tenants/${tenant.id}/`)).status).toBe(409);
    const group = await create(t.api, '/api/tenancy/tenant-groups/', { name: 'G' });
    await t.api.patch(`/api/tenancy/tenants/${tenant.id}/`, { tenant_group: group.id });
    expect((await t.api.delete(`/api/tenancy/tenant-groups/${group.id}/`)).status).toBe(409);
  });

  it('deletes a device with its components, change-logged', async () => {
    const d = await create(t.api, DCIM.devices, device(s, full, 'gone'));
    const ifaces = (await t.api.get(`${DCIM.interfaces}?device=${d.id}`)).body.results;
    expect((await t.api.delete(`${DCIM.devices}${d.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.interfaces}?device_id=${d.id}`)).status).toBe(400);
    expect((await t.api.get(`${DCIM.interfaces}${ifaces[0].id}/`)).status).toBe(404);
    const log = await t.api.get(
      `/api/extras/object-changes/?changed_object_id=${ifaces[0].id}&action=delete`,
    );
    expect(log.body.count).toBe(1);
  });
});
