import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';

describe(onDatabase('dcim cables and paths'), () => {
  let t: TestApp;
  let s: Site;
  let sw1: Obj;
  let sw2: Obj;
  let panelA: Obj;
  let panelB: Obj;
  const iface = async (d: Obj, name: string): Promise<Obj> =>
    (await t.api.get(`${DCIM.interfaces}?device=${d.id}&name=${encodeURIComponent(name)}`)).body.results[0];
  const port = async (path: string, d: Obj, name: string): Promise<Obj> =>
    (await t.api.get(`${path}?device=${d.id}&name=${encodeURIComponent(name)}`)).body.results[0];
  const cable = (a: [string, Obj], b: [string, Obj], extra: Obj = {}) => ({
    termination_a_type: a[0],
    termination_a_id: a[1].id,
    termination_b_type: b[0],
    termination_b_id: b[1].id,
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    const swType = await switchType(t, s.manufacturer, 'Switch', 6);
    await create(t.api, DCIM.consolePortTemplates, { device_type: swType.id, name: 'con0' });
    await create(t.api, DCIM.powerPortTemplates, { device_type: swType.id, name: 'PSU1' });
    const panelType = await create(t.api, DCIM.deviceTypes, {
      manufacturer: s.manufacturer.id,
      model: 'Panel',
    });
    const rear = await create(t.api, DCIM.rearPortTemplates, {
      device_type: panelType.id,
      name: 'Trunk',
      type: 'mpo',
      positions: 2,
    });
    await create(t.api, DCIM.frontPortTemplates, [
      {
        device_type: panelType.id,
        name: 'P1',
        type: 'lc',
        rear_port_template: rear.id,
        rear_port_position: 1,
      },
      {
        device_type: panelType.id,
        name: 'P2',
        type: 'lc',
        rear_port_template: rear.id,
        rear_port_position: 2,
      },
    ]);
    const infraType = await create(t.api, DCIM.deviceTypes, {
      manufacturer: s.manufacturer.id,
      model: 'Infra',
    });
    await create(t.api, DCIM.consoleServerPortTemplates, { device_type: infraType.id, name: 'ttyS1' });
    await create(t.api, DCIM.powerOutletTemplates, { device_type: infraType.id, name: 'out1' });
    const rack = await create(t.api, DCIM.racks, { name: 'R1', location: s.room.id, status: 'Active' });
    [sw1, sw2, panelA, panelB] = await create(t.api, DCIM.devices, [
      device(s, swType, 'sw1', { rack: rack.id }),
      device(s, swType, 'sw2', { location: s.otherSite.id }),
      device(s, panelType, 'panel-a'),
      device(s, panelType, 'panel-b', { location: s.otherSite.id }),
      device(s, infraType, 'infra'),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('connects two interfaces: ends point at the cable, status defaults to Connected', async () => {
    const a = await iface(sw1, 'eth6');
    const b = await iface(sw2, 'eth6');
    const c = await create(
      t.api,
      DCIM.cables,
      cable(['dcim.interface', a], ['dcim.interface', b], { type: 'cat6' }),
    );
    expect(c.termination_a).toEqual({ id: a.id, object_type: 'dcim.interface', url: a.url });
    expect(c.termination_b).toMatchObject({ id: b.id, object_type: 'dcim.interface' });
    const deep = (await t.api.get(`${DCIM.cables}${c.id}/?depth=1`)).body;
    expect(deep.status.name).toBe('Connected');
    expect(deep.termination_a).toMatchObject({ id: a.id, name: 'eth6', device: { id: sw1.id } });
    const a2 = (await t.api.get(`${DCIM.interfaces}${a.id}/`)).body;
    expect(a2.cable.id).toBe(c.id);
    expect(a2.cable_peer).toMatchObject({ id: b.id, object_type: 'dcim.interface' });
    expect(a2.cable_peer_type).toBe('dcim.interface');
    expect(a2.connected_endpoint).toMatchObject({ id: b.id });
    expect(a2.connected_endpoint_type).toBe('dcim.interface');
    expect(a2.connected_endpoint_reachable).toBe(true);
    const log = await t.api.get(`/api/extras/object-changes/?changed_object_id=${b.id}&action=update`);
    expect(log.body.results[0].postchange_data.cable).toBe(c.id);
    // The cable field itself is not writable by clients.
    await t.api.patch(`${DCIM.interfaces}${b.id}/`, { cable: null });
    expect((await t.api.get(`${DCIM.interfaces}${b.id}/`)).body.cable.id).toBe(c.id);
  });

  it('refuses incompatible, missing, busy and uncablable ends', async () => {
    const e1 = await iface(sw1, 'eth1');
    const e6 = await iface(sw1, 'eth6');
    const psu = await port(DCIM.powerPorts, sw1, 'PSU1');
    const lag = await create(t.api, DCIM.interfaces, { device: sw1.id, name: 'Po9', type: 'lag' });
    const virt = await create(t.api, DCIM.interfaces, { device: sw1.id, name: 'lo0', type: 'virtual' });
    const rear = await port(DCIM.rearPorts, panelA, 'Trunk');
    const front = await port(DCIM.frontPorts, panelA, 'P1');
    const missing = { id: '00000000-0000-4000-8000-000000000001' };
    const cases: [Obj, Obj][] = [
      [
        cable(['dcim.interface', e1], ['dcim.powerport', psu]),
        { termination_b_type: ['Incompatible termination types: dcim.interface and dcim.powerport.'] },
      ],
      [
        cable(['dcim.interface', e1], ['dcim.interface', e1]),
        { termination_b_id: ['Cannot connect a termination to itself.'] },
      ],
      [
        cable(['dcim.interface', e1], ['dcim.interface', missing]),
        { termination_b_id: [`No interface with id ${missing.id} exists.`] },
      ],
      [
        cable(['dcim.interface', e1], ['dcim.interface', e6]),
        { termination_b_id: [expect.stringMatching(/^eth6 already has a cable attached/)] },
      ],
      [
        cable(['dcim.interface', e1], ['dcim.interface', lag]),
        { termination_b_id: ['Cables cannot be attached to lag interfaces (Po9).'] },
      ],
      [
        cable(['dcim.interface', virt], ['dcim.interface', e1]),
        { termination_a_id: ['Cables cannot be attached to virtual interfaces (lo0).'] },
      ],
      [
        cable(['dcim.frontport', front], ['dcim.rearport', rear]),
        { termination_b_id: ['A front port cannot be connected to its corresponding rear port.'] },
      ],
      [
        cable(['dcim.device', sw1], ['dcim.interface', e1]),
        { termination_a_type: ['"dcim.device" is not a valid choice.'] },
      ],
    ];
    for (const [body, errors] of cases) {
      const res = await t.api.post(DCIM.cables, body);
      expect({ body, status: res.status, errors: res.body }).toEqual({ body, status: 400, errors });
    }
    const e2 = await iface(sw1, 'eth2');
    const e3 = await iface(sw1, 'eth3');
    const bulk = await t.api.post(DCIM.cables, [
      cable(['dcim.interface', e1], ['dcim.interface', e2]),
      cable(['dcim.interface', e3], ['dcim.interface', e1]),
    ]);
    expect(bulk.status).toBe(400);
    expect(bulk.body[1]).toEqual({
      termination_b_id: ['This termination is used by another cable of this batch.'],
    });
    expect((await iface(sw1, 'eth1')).cable).toBeNull();
    // A cable's ends cannot be moved.
    const ok = await create(t.api, DCIM.cables, cable(['dcim.interface', e1], ['dcim.interface', e2]));
    const move = await t.api.patch(`${DCIM.cables}${ok.id}/`, { termination_b_id: e3.id });
    expect(move.body.termination_b_id[0]).toMatch(/cannot be changed/);
    // A cabled interface cannot become virtual.
    const retype = await t.api.patch(`${DCIM.interfaces}${e1.id}/`, { type: 'virtual' });
    expect(retype.body.type[0]).toMatch(/cannot be connected to a cable/);
    expect((await t.api.delete(`${DCIM.cables}${ok.id}/`)).status).toBe(204);
  });

  it('checks the ends of a bulk write of cables in as many statements whatever its size', async () => {
    const cables = async (n: number, tag: string) => {
      const ends = await t.api.post(
        DCIM.interfaces,
        Array.from({ length: 2 * n }, (_, i) => ({
          device: sw1.id,
          name: `bulk-${tag}-${i}`,
          type: '1000base-t',
        })),
      );
      expect(ends.status).toBe(201);
      const res = await t.api.post(
        DCIM.cables,
        Array.from({ length: n }, (_, i) =>
          cable(['dcim.interface', ends.body[2 * i]], ['dcim.interface', ends.body[2 * i + 1]]),
        ),
      );
      expect(res.status).toBe(201);
      // Leave sw1 as the other tests expect it.
      const gone = (items: Obj[]) => items.map((o) => ({ id: o.id }));
      expect((await t.api.delete(DCIM.cables, gone(res.body))).status).toBe(204);
      expect((await t.api.delete(DCIM.interfaces, gone(ends.body))).status).toBe(204);
      return res.queries;
    };
    const [few, many] = [await cables(3, 'a'), await cables(30, 'b')];
    // Neither the checks of the ends (a lock and a cable lookup per end before) nor writing each
    // end's `cable` (one UPDATE per row before) grow with the number of cables.
    expect(many).toBe(few);
  });

  it('releases the ends when a cable goes, and takes the cable when an end goes', async () => {
    const a = await iface(sw1, 'eth4');
    const b = await iface(sw2, 'eth4');
    const c = await create(t.api, DCIM.cables, cable(['dcim.interface', a], ['dcim.interface', b]));
    expect((await t.api.delete(`${DCIM.cables}${c.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.interfaces}${a.id}/`)).body.cable).toBeNull();
    expect((await t.api.get(`${DCIM.interfaces}${b.id}/`)).body.cable).toBeNull();
    const log = await t.api.get(`/api/extras/object-changes/?changed_object_id=${b.id}&action=update`);
    expect(log.body.results[0].postchange_data.cable).toBeNull();

    const spare = await create(t.api, DCIM.interfaces, { device: sw1.id, name: 'spare', type: '1000base-t' });
    const c2 = await create(t.api, DCIM.cables, cable(['dcim.interface', spare], ['dcim.interface', b]));
    expect((await t.api.delete(`${DCIM.interfaces}${spare.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.cables}${c2.id}/`)).status).toBe(404);
    expect((await t.api.get(`${DCIM.interfaces}${b.id}/`)).body.cable).toBeNull();
  });

  describe('through patch panels', () => {
    let if1: Obj;
    let if2: Obj;
    let trunk: Obj;

    beforeAll(async () => {
      if1 = await iface(sw1, 'eth5');
      if2 = await iface(sw2, 'eth5');
      const rearA = await port(DCIM.rearPorts, panelA, 'Trunk');
      const rearB = await port(DCIM.rearPorts, panelB, 'Trunk');
      await create(t.api, DCIM.cables, [
        cable(['dcim.interface', if1], ['dcim.frontport', await port(DCIM.frontPorts, panelA, 'P2')]),
        cable(['dcim.frontport', await port(DCIM.frontPorts, panelB, 'P2')], ['dcim.interface', if2]),
      ]);
      trunk = await create(t.api, DCIM.cables, cable(['dcim.rearport', rearA], ['dcim.rearport', rearB]));
    });

    it('shows the connected endpoint through front/rear port positions', async () => {
      const got = (await t.api.get(`${DCIM.interfaces}${if1.id}/`)).body;
      expect(got.cable_peer).toMatchObject({ object_type: 'dcim.frontport' });
      expect(got.connected_endpoint).toMatchObject({ id: if2.id, object_type: 'dcim.interface' });
      expect(got.connected_endpoint_reachable).toBe(true);
      const back = (await t.api.get(`${DCIM.interfaces}${if2.id}/?depth=1`)).body;
      expect(back.connected_endpoint).toMatchObject({ id: if1.id, name: 'eth5', device: { id: sw1.id } });
      // Front ports are not endpoints: no connected_endpoint field.
      const fp = (await t.api.get(`${DCIM.frontPorts}?device=${panelA.id}&name=P2`)).body.results[0];
      expect(fp.cable_peer).toMatchObject({ id: if1.id });
      expect(fp.connected_endpoint).toBeUndefined();

      await t.api.patch(`${DCIM.cables}${trunk.id}/`, { status: 'Planned' });
      const planned = (await t.api.get(`${DCIM.interfaces}${if1.id}/`)).body;
      expect(planned.connected_endpoint).toMatchObject({ id: if2.id });
      expect(planned.connected_endpoint_reachable).toBe(false);
      expect(
        (await t.api.get(`${DCIM.interfaces}?device=sw1&connected=true`)).body.results.map(
          (i: Obj) => i.name,
        ),
      ).toEqual(['eth6']);
      await t.api.patch(`${DCIM.cables}${trunk.id}/`, { status: 'Connected' });
      expect(
        (await t.api.get(`${DCIM.interfaces}?device=sw1&connected=true`)).body.results.map(
          (i: Obj) => i.name,
        ),
      ).toEqual(['eth5', 'eth6']);
    });

    it('traces the path as [near end, cable, far end] segments', async () => {
      const res = await t.api.get(`${DCIM.interfaces}${if1.id}/trace/`);
      expect(res.status).toBe(200);
      const names = res.body.map((seg: (Obj | null)[]) =>
        seg.map((o) =>
          o === null
            ? null
            : o.object_type === 'dcim.cable'
              ? 'cable'
              : `${o.device.id === sw1.id ? 'sw1' : o.device.id === sw2.id ? 'sw2' : o.device.id === panelA.id ? 'A' : 'B'}:${o.name}`,
        ),
      );
      expect(names).toEqual([
        ['sw1:eth5', 'cable', 'A:P2'],
        ['A:Trunk', 'cable', 'B:Trunk'],
        ['B:P2', 'cable', 'sw2:eth5'],
      ]);
      expect(res.body[1][1]).toMatchObject({
        id: trunk.id,
        object_type: 'dcim.cable',
        status: { object_type: 'extras.status' },
      });
      // From a front port of the far panel, onwards along its own cable.
      const fp = await port(DCIM.frontPorts, panelB, 'P2');
      const fromPort = await t.api.get(`${DCIM.frontPorts}${fp.id}/trace/`);
      expect(fromPort.body).toHaveLength(1);
      expect(fromPort.body[0][2]).toMatchObject({ id: if2.id });
      // An uncabled interface: one segment with no cable.
      const lone = await iface(sw1, 'eth3');
      expect((await t.api.get(`${DCIM.interfaces}${lone.id}/trace/`)).body).toEqual([
        [expect.objectContaining({ id: lone.id }), null, null],
      ]);
      expect((await t.api.get(`${DCIM.interfaces}00000000-0000-4000-8000-000000000001/trace/`)).status).toBe(
        404,
      );
      expect((await t.api.get(`${DCIM.interfaces}${lone.id}/trace/?depth=9`)).status).toBe(400);
      expect((await t.http().get(`${DCIM.interfaces}${lone.id}/trace/`)).status).toBe(403);
    });

    it('documents the trace endpoints in OpenAPI', async () => {
      const spec = (await t.http().get('/api/swagger.json').set('Authorization', `Token ${t.api.token}`))
        .body;
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining([
          '/api/dcim/interfaces/{id}/trace',
          '/api/dcim/front-ports/{id}/trace',
          '/api/dcim/power-outlets/{id}/trace',
          '/api/circuits/circuit-terminations/{id}/trace',
        ]),
      );
    });

    it('does not show a trace to a user who may not view the origin', async () => {
      const { api } = await t.createUser('viewer', [{ actions: ['view'], object_types: ['dcim.frontport'] }]);
      expect((await api.get(`${DCIM.interfaces}${if1.id}/trace/`)).status).toBe(403);
      const fp = await port(DCIM.frontPorts, panelB, 'P2');
      expect((await api.get(`${DCIM.frontPorts}${fp.id}/trace/`)).status).toBe(200);
    });
  });

  it('connects console and power ports', async () => {
    const infra = (await t.api.get(`${DCIM.devices}?name=infra`)).body.results[0];
    const con = await port(DCIM.consolePorts, sw1, 'con0');
    const tty = await port(DCIM.consoleServerPorts, infra, 'ttyS1');
    await create(t.api, DCIM.cables, cable(['dcim.consoleport', con], ['dcim.consoleserverport', tty]));
    const gotCon = (await t.api.get(`${DCIM.consolePorts}${con.id}/`)).body;
    expect(gotCon.connected_endpoint).toMatchObject({ id: tty.id, object_type: 'dcim.consoleserverport' });
    const psu = await port(DCIM.powerPorts, sw1, 'PSU1');
    const out = await port(DCIM.powerOutlets, infra, 'out1');
    await create(
      t.api,
      DCIM.cables,
      cable(['dcim.poweroutlet', out], ['dcim.powerport', psu], { type: 'power' }),
    );
    expect((await t.api.get(`${DCIM.powerPorts}${psu.id}/`)).body.connected_endpoint).toMatchObject({
      id: out.id,
    });
    const trace = await t.api.get(`${DCIM.powerOutlets}${out.id}/trace/`);
    expect(trace.body.map((seg: Obj[]) => seg.map((o) => o.object_type))).toEqual([
      ['dcim.poweroutlet', 'dcim.cable', 'dcim.powerport'],
    ]);
  });

  it('filters cables and cabled components', async () => {
    const names = async (q: string): Promise<number> => (await t.api.get(`${DCIM.cables}?${q}`)).body.count;
    const all = await names('limit=0');
    expect(all).toBeGreaterThanOrEqual(5);
    expect(await names('device=sw2')).toBe(2);
    expect(await names(`device=${panelA.id}`)).toBe(2);
    expect(await names('rack=R1')).toBe(await names('device=sw1'));
    expect(await names(`location=${s.region.id}`)).toBe(all);
    expect(await names(`location=${s.otherSite.id}`)).toBe(3);
    expect(await names('termination_a_type=dcim.rearport')).toBe(1);
    expect(await names('termination_type=dcim.powerport')).toBe(1);
    expect(await names('type=power')).toBe(1);
    expect(await names('status=Connected')).toBe(all);
    const ifaces = async (q: string): Promise<string[]> =>
      (await t.api.get(`${DCIM.interfaces}?device=sw1&${q}`)).body.results.map((i: Obj) => i.name).sort();
    expect(await ifaces('cabled=true')).toEqual(['eth5', 'eth6']);
    expect(await ifaces('cabled=false')).toEqual(['Po9', 'eth1', 'eth2', 'eth3', 'eth4', 'lo0']);
    expect(await ifaces('connected=false')).toEqual(['Po9', 'eth1', 'eth2', 'eth3', 'eth4', 'lo0']);
    expect(await ifaces('kind=virtual')).toEqual(['Po9', 'lo0']);
    expect(await ifaces('kind=physical&cabled=false')).toEqual(['eth1', 'eth2', 'eth3', 'eth4']);
    expect((await t.api.get(`${DCIM.interfaces}?kind=cosmic`)).body).toEqual({
      kind: ['"cosmic" is not one of physical, virtual, wireless.'],
    });
    expect((await t.api.get(`${DCIM.consolePorts}?connected=true`)).body.count).toBe(1);
    expect((await t.api.get(`${DCIM.frontPorts}?cabled=true&location=${s.otherSite.id}`)).body.count).toBe(1);
  });
});
