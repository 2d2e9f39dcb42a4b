import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';
import { POWER, allowPowerPanels, cable, powerTypes } from './power-fixtures';
import { UiSession, text } from './ui-helpers';

describe(onDatabase('dcim power panels, feeds and utilization'), () => {
  let t: TestApp;
  let s: Site;
  let rack: Obj;
  let otherRack: Obj;
  let group: Obj;
  let panel: Obj;
  let types: { pdu: Obj; server: Obj };
  const port = async (path: string, d: Obj, name: string): Promise<Obj> =>
    (await t.api.get(`${path}?device=${d.id}&name=${encodeURIComponent(name)}`)).body.results[0];
  const feed = (name: string, extra: Obj = {}) => ({
    power_panel: panel.id,
    name,
    status: 'Active',
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    await allowPowerPanels(t, s);
    group = await create(t.api, DCIM.rackGroups, { name: 'Hall 1', location: s.site.id });
    rack = await create(t.api, DCIM.racks, { name: 'R1', location: s.site.id, status: 'Active' });
    otherRack = await create(t.api, DCIM.racks, { name: 'R9', location: s.otherSite.id, status: 'Active' });
    panel = await create(t.api, POWER.panels, { name: 'MDF-1', location: s.site.id, rack_group: group.id });
    types = await powerTypes(t, s);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps power panels unique per location, at permitted locations, in a rack group of their location', async () => {
    expect(panel).toMatchObject({ name: 'MDF-1', location: { id: s.site.id }, rack_group: { id: group.id } });
    const dup = await t.api.post(POWER.panels, { name: 'MDF-1', location: s.site.id });
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.body)).toContain('name');
    // The same name at another location is fine.
    await create(t.api, POWER.panels, { name: 'MDF-1', location: s.otherSite.id });
    const region = await t.api.post(POWER.panels, { name: 'P-region', location: s.region.id });
    expect(region.status).toBe(400);
    expect(region.body.location[0]).toBe('Power panels may not associate to locations of type "Region".');
    const wrongGroup = await t.api.post(POWER.panels, {
      name: 'P-fra',
      location: s.otherSite.id,
      rack_group: group.id,
    });
    expect(wrongGroup.status).toBe(400);
    expect(wrongGroup.body.rack_group[0]).toContain('Hall 1');
    // A rack group of the site serves a panel in a room below it.
    await create(t.api, POWER.panels, { name: 'P-room', location: s.room.id, rack_group: group.id });
  });

  it('computes available power as Nautobot does and applies its defaults', async () => {
    const plain = await create(t.api, POWER.feeds, feed('F-default', { rack: rack.id }));
    expect(plain).toMatchObject({
      type: { value: 'primary', label: 'Primary' },
      supply: { value: 'ac', label: 'AC' },
      phase: { value: 'single-phase', label: 'Single phase' },
      voltage: 120,
      amperage: 15,
      max_utilization: 80,
      available_power: 1440,
      cable: null,
      cable_peer: null,
      connected_endpoint: null,
    });
    const three = await create(
      t.api,
      POWER.feeds,
      feed('F-3P', { phase: 'three-phase', voltage: 208, amperage: 30, type: 'redundant' }),
    );
    expect(three.available_power).toBe(Math.round(208 * 30 * 0.8 * 1.732));
    const dc = await create(t.api, POWER.feeds, feed('F-DC', { supply: 'dc', voltage: -48, amperage: 10 }));
    expect(dc.available_power).toBe(384);
    // Changing an input recomputes it; the client cannot set it.
    const patched = await t.api.patch(`${POWER.feeds}${plain.id}/`, {
      max_utilization: 100,
      available_power: 1,
    });
    expect(patched.body.available_power).toBe(1800);
  });

  it('refuses bad feeds with a 400 naming the field, and keeps nothing of a bad batch', async () => {
    const cases: [Obj, string, string][] = [
      [feed('F-x', { rack: otherRack.id }), 'rack', 'are in different locations'],
      [feed('F-x', { voltage: -230 }), 'voltage', 'Voltage cannot be negative for AC supply.'],
      [feed('F-x', { voltage: 0 }), 'voltage', 'does not equal 0'],
      [feed('F-x', { max_utilization: 101 }), 'max_utilization', '100'],
      [feed('F-x', { max_utilization: 0 }), 'max_utilization', '1'],
      [feed('F-x', { amperage: 0 }), 'amperage', '1'],
      [feed('F-x', { phase: 'two-phase' }), 'phase', 'two-phase'],
      [feed('F-default'), 'name', ''],
    ];
    for (const [body, field, message] of cases) {
      const res = await t.api.post(POWER.feeds, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body[field] ?? res.body)).toContain(message);
      if (field !== 'name') expect(Object.keys(res.body)).toContain(field);
    }
    const batch = await t.api.post(POWER.feeds, [feed('F-ok'), feed('F-bad', { rack: otherRack.id })]);
    expect(batch.status).toBe(400);
    expect(batch.body[1].rack).toBeDefined();
    expect((await t.api.get(`${POWER.feeds}?name=F-ok`)).body.count).toBe(0);
  });

  it('cables a feed to a power port only; the feed shows cable, peer and endpoint; trace and delete follow', async () => {
    const pdu = await create(t.api, DCIM.devices, device(s, types.pdu, 'pdu-a', { rack: rack.id }));
    const srv = await create(t.api, DCIM.devices, device(s, types.server, 'srv-a', { rack: rack.id }));
    const sw = await create(
      t.api,
      DCIM.devices,
      device(s, await switchType(t, s.manufacturer, 'SW', 1), 'sw-a'),
    );
    const f = await create(t.api, POWER.feeds, feed('F-A', { rack: rack.id }));
    const input = await port(DCIM.powerPorts, pdu, 'in');
    const outlet = await port(DCIM.powerOutlets, pdu, 'o1');
    const eth = (await t.api.get(`${DCIM.interfaces}?device=${sw.id}`)).body.results[0];

    for (const [other, type] of [
      [eth, 'dcim.interface'],
      [outlet, 'dcim.poweroutlet'],
    ] as const) {
      const bad = await t.api.post(DCIM.cables, cable(['dcim.powerfeed', f], [type, other]));
      expect(bad.status).toBe(400);
      expect(bad.body.termination_b_type[0]).toBe(
        `Incompatible termination types: dcim.powerfeed and ${type}.`,
      );
    }
    const c = await create(t.api, DCIM.cables, cable(['dcim.powerfeed', f], ['dcim.powerport', input]));
    expect(c.termination_a).toMatchObject({ object_type: 'dcim.powerfeed', id: f.id });
    const f2 = (await t.api.get(`${POWER.feeds}${f.id}/`)).body;
    expect(f2.cable.id).toBe(c.id);
    expect(f2).toMatchObject({
      cable_peer_type: 'dcim.powerport',
      cable_peer: { id: input.id },
      connected_endpoint_type: 'dcim.powerport',
      connected_endpoint: { id: input.id },
      connected_endpoint_reachable: true,
    });
    const in2 = (await t.api.get(`${DCIM.powerPorts}${input.id}/`)).body;
    expect(in2).toMatchObject({
      cable_peer_type: 'dcim.powerfeed',
      connected_endpoint_type: 'dcim.powerfeed',
      connected_endpoint: { id: f.id },
    });
    // A second cable on the feed is refused.
    const srvPsu = await port(DCIM.powerPorts, srv, 'PSU');
    const busy = await t.api.post(DCIM.cables, cable(['dcim.powerfeed', f], ['dcim.powerport', srvPsu]));
    expect(busy.status).toBe(400);
    expect(busy.body.termination_a_id[0]).toContain('already has a cable attached');

    const trace = (await t.api.get(`${POWER.feeds}${f.id}/trace/`)).body;
    expect(trace).toHaveLength(1);
    expect(trace[0][0].id).toBe(f.id);
    expect(trace[0][1].id).toBe(c.id);
    expect(trace[0][2].id).toBe(input.id);
    const back = (await t.api.get(`${DCIM.powerPorts}${input.id}/trace/`)).body;
    expect(back[0][2].id).toBe(f.id);

    expect((await t.api.get(`${POWER.feeds}?cabled=true&name=F-A`)).body.count).toBe(1);
    expect((await t.api.get(`${POWER.feeds}?connected=true&name=F-A`)).body.count).toBe(1);
    expect((await t.api.get(`${POWER.feeds}?cabled=false&name=F-A`)).body.count).toBe(0);
    expect((await t.api.get(`${DCIM.cables}?termination_type=dcim.powerfeed`)).body.count).toBe(1);

    // The feed's cable goes with it; the port is released.
    const doomed = await create(t.api, POWER.feeds, feed('F-doomed'));
    const psu = await port(DCIM.powerPorts, srv, 'PSU');
    const c2 = await create(t.api, DCIM.cables, cable(['dcim.powerport', psu], ['dcim.powerfeed', doomed]));
    expect((await t.api.delete(`${POWER.feeds}${doomed.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.cables}${c2.id}/`)).status).toBe(404);
    expect((await t.api.get(`${DCIM.powerPorts}${psu.id}/`)).body.cable).toBeNull();
    // A panel with feeds cannot go.
    expect((await t.api.delete(`${POWER.panels}${panel.id}/`)).status).toBe(409);
  });

  it('computes power draw along the chain: outlets, downstream ports, per-phase legs of a three-phase feed', async () => {
    const pdu = await create(t.api, DCIM.devices, device(s, types.pdu, 'pdu-3p', { rack: rack.id }));
    const servers = await create(
      t.api,
      DCIM.devices,
      [1, 2, 3].map((i) => device(s, types.server, `srv-3p-${i}`, { rack: rack.id })),
    );
    const input = await port(DCIM.powerPorts, pdu, 'in');
    // Servers on o1 (leg A), o3 (leg B) and o4 (leg B).
    for (const [i, outletName] of ['o1', 'o3', 'o4'].entries()) {
      const outlet = await port(DCIM.powerOutlets, pdu, outletName);
      const psu = await port(DCIM.powerPorts, servers[i], 'PSU');
      await create(t.api, DCIM.cables, cable(['dcim.poweroutlet', outlet], ['dcim.powerport', psu]));
    }
    // Not yet on a three-phase feed: totals only.
    let draw = (await t.api.get(`${DCIM.powerPorts}${input.id}/`)).body.power_draw;
    expect(draw).toEqual({ allocated: 300, maximum: 600, outlet_count: 6, legs: [] });
    const f3 = await create(
      t.api,
      POWER.feeds,
      feed('F-3P-A', { rack: rack.id, phase: 'three-phase', voltage: 400, amperage: 16 }),
    );
    await create(t.api, DCIM.cables, cable(['dcim.powerfeed', f3], ['dcim.powerport', input]));
    draw = (await t.api.get(`${DCIM.powerPorts}${input.id}/`)).body.power_draw;
    expect(draw).toEqual({
      allocated: 300,
      maximum: 600,
      outlet_count: 6,
      legs: [
        { name: 'A', allocated: 100, maximum: 200, outlet_count: 2 },
        { name: 'B', allocated: 200, maximum: 400, outlet_count: 2 },
        { name: 'C', allocated: 0, maximum: 0, outlet_count: 2 },
      ],
    });
    // A port with its own numbers reports them.
    const psu = await port(DCIM.powerPorts, servers[0], 'PSU');
    expect(psu.power_draw).toEqual({ allocated: 100, maximum: 200, outlet_count: 0, legs: [] });
    await t.api.patch(`${DCIM.powerPorts}${input.id}/`, { allocated_draw: 1000 });
    draw = (await t.api.get(`${DCIM.powerPorts}${input.id}/`)).body.power_draw;
    expect(draw).toEqual({ allocated: 1000, maximum: 0, outlet_count: 6, legs: [] });
    await t.api.patch(`${DCIM.powerPorts}${input.id}/`, { allocated_draw: null });
  });

  it('filters panels and feeds the Nautobot way', async () => {
    const names = async (path: string, query: string) =>
      ((await t.api.get(`${path}?${query}&limit=100`)).body.results as Obj[]).map((o) => o.name).sort();
    expect(await names(POWER.panels, `location=${s.region.id}`)).toEqual(['MDF-1', 'MDF-1', 'P-room']);
    expect(await names(POWER.panels, `location=${s.room.id}`)).toEqual(['P-room']);
    expect(await names(POWER.panels, `rack_group=${group.id}`)).toEqual(['MDF-1', 'P-room']);
    expect(await names(POWER.panels, 'q=room')).toEqual(['P-room']);
    expect(await names(POWER.feeds, 'phase=three-phase')).toEqual(['F-3P', 'F-3P-A']);
    expect(await names(POWER.feeds, `rack=${rack.id}&type=primary`)).toEqual(['F-3P-A', 'F-A', 'F-default']);
    expect(await names(POWER.feeds, 'supply=dc')).toEqual(['F-DC']);
    expect(await names(POWER.feeds, `location=${s.region.id}&available_power__gte=8000`)).toEqual([
      'F-3P',
      'F-3P-A',
    ]);
    expect(await names(POWER.feeds, `power_panel=${panel.id}&status=Active&q=F-D`)).toEqual([
      'F-DC',
      'F-default',
    ]);
    expect((await t.api.get(`${POWER.feeds}?location=${s.otherSite.id}`)).body.count).toBe(0);
    expect((await t.api.get(`${POWER.feeds}?phase=nope`)).status).toBe(400);
  });

  it('answers GraphQL with panels, feeds, power draw and cable ends', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ power_panels(name: "MDF-1", location: "${s.site.id}") { name rack_group { name } power_feeds { name } }
                power_feeds(name: "F-3P-A") { name phase available_power rack { name } connected_endpoint_type
                  cable { id } }
                power_ports(name: "in", device: "pdu-3p") { name power_draw } }`,
    });
    expect(res.body.errors).toBeUndefined();
    const [p] = res.body.data.power_panels;
    expect(p.rack_group.name).toBe('Hall 1');
    expect((p.power_feeds as Obj[]).map((f) => f.name).sort()).toContain('F-3P-A');
    expect(res.body.data.power_feeds[0]).toMatchObject({
      name: 'F-3P-A',
      phase: 'three-phase',
      available_power: 8868,
      rack: { name: 'R1' },
      connected_endpoint_type: 'dcim.powerport',
    });
    expect(res.body.data.power_ports[0].power_draw.legs).toHaveLength(3);
  });

  it('exports and imports feeds as CSV, change-logs them and checks permissions', async () => {
    const csv = await t
      .http()
      .get(`${POWER.feeds}?format=csv&name=F-3P`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['name', 'power_panel', 'phase', 'voltage', 'amperage', 'available_power']),
    );
    expect(row).toContain('three-phase');
    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/dcim/power-feeds/import/', {
      csv_data: `power_panel,name,status,rack\n${panel.id},F-csv-bad,Active,${otherRack.id}\n`,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('different locations');
    const ok = await ui.post('/dcim/power-feeds/import/', {
      csv_data: `power_panel,name,status,phase,voltage,amperage\n${panel.id},F-csv,Planned,three-phase,230,32\n`,
    });
    expect(ok.status).toBe(303);
    const imported = (await t.api.get(`${POWER.feeds}?name=F-csv`)).body.results[0];
    expect(imported).toMatchObject({ available_power: Math.round(230 * 32 * 0.8 * 1.732) });
    const panelsCsv = await ui.post('/dcim/power-panels/import/', {
      csv_data: `name,location\nP-csv,${s.otherSite.id}\n`,
    });
    expect(panelsCsv.status).toBe(303);

    await t.api.patch(`${POWER.feeds}${imported.id}/`, { amperage: 16 });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${imported.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      changed_object_type: 'dcim.powerfeed',
      prechange_data: { amperage: 32 },
      postchange_data: { amperage: 16, available_power: Math.round(230 * 16 * 0.8 * 1.732) },
    });

    const { api } = await t.createUser('power-viewer', [
      { actions: ['view'], object_types: ['dcim.powerfeed'] },
    ]);
    expect((await api.get(POWER.feeds)).status).toBe(200);
    expect((await api.get(POWER.panels)).status).toBe(403);
    expect((await api.post(POWER.feeds, feed('F-nope'))).status).toBe(403);
    expect((await api.patch(`${POWER.feeds}${imported.id}/`, { amperage: 20 })).status).toBe(403);
  });
});
