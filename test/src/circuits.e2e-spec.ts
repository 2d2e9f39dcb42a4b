import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { CIRCUITS, DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';

describe(onDatabase('circuits'), () => {
  let t: TestApp;
  let s: Site;
  let provider: Obj;
  let network: Obj;
  let circuitType: Obj;
  let r1: Obj;
  let r2: Obj;
  const iface = async (d: Obj, name: string): Promise<Obj> =>
    (await t.api.get(`${DCIM.interfaces}?device=${d.id}&name=${name}`)).body.results[0];

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    provider = await create(t.api, CIRCUITS.providers, { name: 'Carrier', asn: 65000 });
    network = await create(t.api, CIRCUITS.providerNetworks, { name: 'MPLS', provider: provider.id });
    circuitType = await create(t.api, CIRCUITS.circuitTypes, { name: 'Transit' });
    const type = await switchType(t, s.manufacturer, 'Router', 2);
    [r1, r2] = await create(t.api, DCIM.devices, [
      device(s, type, 'r1'),
      device(s, type, 'r2', { location: s.otherSite.id }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const circuit = (cid: string) =>
    create(t.api, CIRCUITS.circuits, {
      cid,
      provider: provider.id,
      circuit_type: circuitType.id,
      status: 'Active',
    });

  it('terminates at a location or a provider network, one per side', async () => {
    const c = await circuit('C-1');
    const both = await t.api.post(CIRCUITS.terminations, {
      circuit: c.id,
      term_side: 'A',
      location: s.site.id,
      provider_network: network.id,
    });
    expect(both.body).toEqual({
      location: ['A circuit termination cannot attach to both a location and a provider network.'],
    });
    const neither = await t.api.post(CIRCUITS.terminations, { circuit: c.id, term_side: 'A' });
    expect(neither.body).toEqual({
      location: ['A circuit termination must attach to either a location or a provider network.'],
    });
    const region = await t.api.post(CIRCUITS.terminations, {
      circuit: c.id,
      term_side: 'A',
      location: s.region.id,
    });
    expect(region.body).toEqual({
      location: ['Circuit terminations may not associate to locations of type "Region".'],
    });
    await create(t.api, CIRCUITS.terminations, { circuit: c.id, term_side: 'A', location: s.site.id });
    const twice = await t.api.post(CIRCUITS.terminations, {
      circuit: c.id,
      term_side: 'A',
      location: s.site.id,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.term_side[0]).toMatch(/already exists/);
  });

  it('shows terminations A and Z on circuits, without a query per circuit', async () => {
    const c = await circuit('C-2');
    const [a, z] = await create(t.api, CIRCUITS.terminations, [
      { circuit: c.id, term_side: 'A', location: s.site.id },
      { circuit: c.id, term_side: 'Z', provider_network: network.id },
    ]);
    const got = (await t.api.get(`${CIRCUITS.circuits}${c.id}/`)).body;
    expect(got.circuit_termination_a).toMatchObject({ id: a.id, object_type: 'circuits.circuittermination' });
    expect(got.circuit_termination_z).toMatchObject({ id: z.id });
    const deep = (await t.api.get(`${CIRCUITS.circuits}${c.id}/?depth=1`)).body;
    expect(deep.circuit_termination_z.provider_network.id).toBe(network.id);
    for (let i = 3; i < 8; i++) {
      const more = await circuit(`C-${i}`);
      await create(t.api, CIRCUITS.terminations, { circuit: more.id, term_side: 'A', location: s.site.id });
    }
    const one = await t.api.get(`${CIRCUITS.circuits}?limit=1`);
    const many = await t.api.get(`${CIRCUITS.circuits}?limit=7`);
    expect(many.body.results).toHaveLength(7);
    expect(many.queries).toBe(one.queries);
  });

  it('cables terminations and follows paths across the circuit', async () => {
    const c = await circuit('C-path');
    const [a, z] = await create(t.api, CIRCUITS.terminations, [
      { circuit: c.id, term_side: 'A', location: s.site.id },
      { circuit: c.id, term_side: 'Z', location: s.otherSite.id },
    ]);
    const i1 = await iface(r1, 'eth1');
    const i2 = await iface(r2, 'eth1');
    const ct = 'circuits.circuittermination';
    await create(t.api, DCIM.cables, [
      {
        termination_a_type: 'dcim.interface',
        termination_a_id: i1.id,
        termination_b_type: ct,
        termination_b_id: a.id,
      },
      {
        termination_a_type: ct,
        termination_a_id: z.id,
        termination_b_type: 'dcim.interface',
        termination_b_id: i2.id,
      },
    ]);
    const got = (await t.api.get(`${DCIM.interfaces}${i1.id}/`)).body;
    expect(got.cable_peer).toMatchObject({ id: a.id, object_type: ct });
    expect(got.connected_endpoint).toMatchObject({ id: i2.id, object_type: 'dcim.interface' });
    expect(got.connected_endpoint_reachable).toBe(true);
    const term = (await t.api.get(`${CIRCUITS.terminations}${a.id}/`)).body;
    expect(term.cable).not.toBeNull();
    expect(term.cable_peer).toMatchObject({ id: i1.id });
    expect(term.connected_endpoint).toMatchObject({ id: i1.id });

    const trace = await t.api.get(`${DCIM.interfaces}${i1.id}/trace/`);
    expect(trace.body.map((seg: Obj[]) => seg.map((o) => o.object_type))).toEqual([
      ['dcim.interface', 'dcim.cable', ct],
      [ct, 'dcim.cable', 'dcim.interface'],
    ]);
    expect(trace.body[1][0].id).toBe(z.id);
    const fromZ = await t.api.get(`${CIRCUITS.terminations}${z.id}/trace/`);
    expect(fromZ.body).toHaveLength(1);
    expect(fromZ.body[0][2].id).toBe(i2.id);

    expect((await t.api.get(`${CIRCUITS.terminations}?cabled=true`)).body.count).toBe(2);
    expect((await t.api.get(`${CIRCUITS.terminations}?connected=true&circuit=${c.id}`)).body.count).toBe(2);
    expect(
      (await t.api.get(`${CIRCUITS.circuits}?location=${s.otherSite.id}`)).body.results.map(
        (x: Obj) => x.cid,
      ),
    ).toEqual(['C-path']);
    expect((await t.api.get(`${CIRCUITS.circuits}?location=${s.region.id}&limit=0`)).body.count).toBe(8);
    expect(
      (await t.api.get(`${CIRCUITS.circuits}?provider_network=MPLS`)).body.results.map((x: Obj) => x.cid),
    ).toEqual(['C-2']);
    expect((await t.api.get(`${CIRCUITS.circuits}?provider=Carrier&limit=0`)).body.count).toBe(8);

    // Moving a cabled termination onto a provider network is refused; deleting the circuit takes the cables.
    const move = await t.api.patch(`${CIRCUITS.terminations}${a.id}/`, {
      location: null,
      provider_network: network.id,
    });
    expect(move.body).toEqual({
      provider_network: ['Circuit terminations attached to a provider network may not be cabled.'],
    });
    expect((await t.api.delete(`${CIRCUITS.circuits}${c.id}/`)).status).toBe(204);
    expect((await t.api.get(`${DCIM.interfaces}${i1.id}/`)).body.cable).toBeNull();
    expect((await t.api.get(`${DCIM.interfaces}${i2.id}/`)).body.cable).toBeNull();
  });

  it('ends the path at a circuit termination whose circuit has no far end (Nautobot 2.x)', async () => {
    const c = await circuit('C-stub');
    const [a] = await create(t.api, CIRCUITS.terminations, [
      { circuit: c.id, term_side: 'A', location: s.site.id },
    ]);
    const i3 = await iface(r2, 'eth2');
    const ct = 'circuits.circuittermination';
    await create(t.api, DCIM.cables, {
      termination_a_type: 'dcim.interface',
      termination_a_id: i3.id,
      termination_b_type: ct,
      termination_b_id: a.id,
    });
    const got = (await t.api.get(`${DCIM.interfaces}${i3.id}/`)).body;
    expect(got.connected_endpoint).toMatchObject({ id: a.id, object_type: ct });
    expect(got.connected_endpoint_type).toBe(ct);
    expect(got.connected_endpoint_reachable).toBe(true);
    const connected = await t.api.get(`${DCIM.interfaces}?device=${r2.id}&connected=true`);
    expect(connected.body.results.map((x: Obj) => x.name)).toContain('eth2');

    // With a Z end that has no cable the path goes on to it and ends nowhere, as before.
    await create(t.api, CIRCUITS.terminations, { circuit: c.id, term_side: 'Z', location: s.otherSite.id });
    const after = (await t.api.get(`${DCIM.interfaces}${i3.id}/`)).body;
    expect(after.connected_endpoint).toBeNull();
    expect(after.connected_endpoint_reachable).toBeNull();
    expect((await t.api.delete(`${CIRCUITS.circuits}${c.id}/`)).status).toBe(204);
  });

  it('refuses a cable on a provider network termination', async () => {
    const c = await circuit('C-net');
    const term = await create(t.api, CIRCUITS.terminations, {
      circuit: c.id,
      term_side: 'A',
      provider_network: network.id,
    });
    const res = await t.api.post(DCIM.cables, {
      termination_a_type: 'dcim.interface',
      termination_a_id: (await iface(r1, 'eth2')).id,
      termination_b_type: 'circuits.circuittermination',
      termination_b_id: term.id,
    });
    expect(res.body).toEqual({
      termination_b_id: ['Circuit terminations attached to a provider network may not be cabled.'],
    });
    expect((await t.api.delete(`${CIRCUITS.providerNetworks}${network.id}/`)).status).toBe(409);
    expect((await t.api.delete(`${CIRCUITS.providers}${provider.id}/`)).status).toBe(409);
  });
});
