import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { CIRCUITS, DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';

/**
 * At least two objects of every dcim, tenancy and circuits model, with relations filled in:
 * two tenants, racks in groups, two chassis in a virtual chassis with every component kind
 * (cabled to each other, through two patch panels and across a circuit), blades in bays.
 */
async function buildInventory(t: TestApp, s: Site): Promise<Record<string, Obj>> {
  const api = t.api;
  const group = await create(api, '/api/tenancy/tenant-groups/', { name: 'Customers' });
  await create(api, '/api/tenancy/tenant-groups/', [
    { name: 'Retail', parent: group.id },
    { name: 'Wholesale', parent: group.id },
  ]);
  const [t1, t2] = await create(api, '/api/tenancy/tenants/', [
    { name: 'Alpha', tenant_group: group.id },
    { name: 'Beta', tenant_group: group.id },
  ]);
  const rg = await create(api, DCIM.rackGroups, { name: 'Hall 1', location: s.site.id });
  await create(api, DCIM.rackGroups, [
    { name: 'Row A', location: s.room.id, parent: rg.id },
    { name: 'Row B', location: s.room.id, parent: rg.id },
  ]);
  const [rack1, rack2] = await create(api, DCIM.racks, [
    { name: 'R1', location: s.room.id, rack_group: rg.id, status: 'Active', tenant: t1.id },
    { name: 'R2', location: s.room.id, rack_group: rg.id, status: 'Active', tenant: t2.id },
  ]);
  await create(api, DCIM.manufacturers, { name: 'Other' });
  const platform = await create(api, DCIM.platforms, { name: 'eos', manufacturer: s.manufacturer.id });
  await create(api, DCIM.platforms, [{ name: 'junos' }, { name: 'ios' }]);
  const chassis = await create(api, DCIM.deviceTypes, {
    manufacturer: s.manufacturer.id,
    model: 'Chassis',
    u_height: 2,
    subdevice_role: 'parent',
  });
  const blade = await create(api, DCIM.deviceTypes, {
    manufacturer: s.manufacturer.id,
    model: 'Blade',
    u_height: 0,
    subdevice_role: 'child',
  });
  const dt = chassis.id;
  await create(api, DCIM.consolePortTemplates, [
    { device_type: dt, name: 'con0', type: 'rj-45' },
    { device_type: dt, name: 'con1', type: 'rj-45' },
  ]);
  await create(api, DCIM.consoleServerPortTemplates, [
    { device_type: dt, name: 'tty1', type: 'rj-45' },
    { device_type: dt, name: 'tty2', type: 'rj-45' },
  ]);
  const [psu1, psu2] = await create(api, DCIM.powerPortTemplates, [
    { device_type: dt, name: 'PSU1', type: 'iec-60320-c14' },
    { device_type: dt, name: 'PSU2', type: 'iec-60320-c14' },
  ]);
  await create(api, DCIM.powerOutletTemplates, [
    { device_type: dt, name: 'out1', power_port_template: psu1.id, feed_leg: 'A' },
    { device_type: dt, name: 'out2', power_port_template: psu2.id, feed_leg: 'B' },
  ]);
  await create(
    api,
    DCIM.interfaceTemplates,
    Array.from({ length: 6 }, (_, i) => ({ device_type: dt, name: `eth${i + 1}`, type: '10gbase-x-sfpp' })),
  );
  const [rear1, rear2] = await create(api, DCIM.rearPortTemplates, [
    { device_type: dt, name: 'rear1', type: 'lc', positions: 2 },
    { device_type: dt, name: 'rear2', type: 'lc', positions: 2 },
  ]);
  await create(api, DCIM.frontPortTemplates, [
    { device_type: dt, name: 'front1', type: 'lc', rear_port_template: rear1.id, rear_port_position: 1 },
    { device_type: dt, name: 'front2', type: 'lc', rear_port_template: rear1.id, rear_port_position: 2 },
    { device_type: dt, name: 'front3', type: 'lc', rear_port_template: rear2.id, rear_port_position: 1 },
  ]);
  await create(api, DCIM.deviceBayTemplates, [
    { device_type: dt, name: 'bay1' },
    { device_type: dt, name: 'bay2' },
  ]);
  await create(api, '/api/dcim/module-bay-templates/', [
    { device_type: dt, name: 'slot1', position: '1' },
    { device_type: dt, name: 'slot2', position: '2' },
  ]);
  await create(api, '/api/dcim/inventory-item-templates/', [
    { device_type: dt, name: 'PSU module', manufacturer: s.manufacturer.id, part_id: 'PWR-1' },
    { device_type: dt, name: 'Fan module', manufacturer: s.manufacturer.id },
  ]);
  const [c1, c2] = await create(api, DCIM.devices, [
    device(s, chassis, 'c1', {
      location: s.room.id,
      rack: rack1.id,
      position: 1,
      face: 'front',
      tenant: t1.id,
      platform: platform.id,
    }),
    device(s, chassis, 'c2', {
      rack: rack2.id,
      position: 1,
      face: 'front',
      tenant: t2.id,
      platform: platform.id,
    }),
  ]);
  const blades = await create(api, DCIM.devices, [
    device(s, blade, 'b1', { location: s.room.id }),
    device(s, blade, 'b2', { location: s.room.id }),
  ]);
  // A line card in slot 1 of each chassis (with an interface and a bay of its own), an SFP in c2's slot 2.
  const [lc, sfp] = await create(api, '/api/dcim/module-types/', [
    { manufacturer: s.manufacturer.id, model: 'LC' },
    { manufacturer: s.manufacturer.id, model: 'SFP' },
  ]);
  await create(api, DCIM.interfaceTemplates, {
    module_type: lc.id,
    name: 'lc{module}/1',
    type: '25gbase-x-sfp28',
  });
  await create(api, '/api/dcim/module-bay-templates/', { module_type: lc.id, name: 'sfp1', position: '1' });
  for (const d of [c1, c2]) {
    const [slot1, slot2] = (await api.get(`/api/dcim/module-bays/?parent_device=${d.id}`)).body.results;
    await create(api, '/api/dcim/modules/', {
      module_type: lc.id,
      parent_module_bay: slot1.id,
      status: 'Active',
      tenant: t1.id,
    });
    if (d === c2)
      await create(api, '/api/dcim/modules/', {
        module_type: sfp.id,
        parent_module_bay: slot2.id,
        status: 'Active',
      });
  }
  // Inventory items came from the templates; an optic under each chassis's PSU module fills `parent`.
  for (const c of [c1, c2]) {
    const [psu] = (await api.get(`/api/dcim/inventory-items/?device=${c.id}&name=PSU+module`)).body.results;
    await create(api, '/api/dcim/inventory-items/', {
      device: c.id,
      parent: psu.id,
      name: 'Optic',
      serial: `SN-${c.name}`,
    });
  }
  const vc = await create(api, DCIM.virtualChassis, { name: 'vc1', master: c1.id });
  await create(api, DCIM.virtualChassis, { name: 'vc2', master: c2.id });
  const comp = async (path: string, d: Obj) =>
    (await api.get(`${path}?device=${d.id}&limit=0`)).body.results as Obj[];
  const bays = await comp(DCIM.deviceBays, c1);
  for (const [i, bay] of bays.entries()) {
    const res = await api.patch(`${DCIM.deviceBays}${bay.id}/`, { installed_device: blades[i].id });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  }
  const cable = (a: [string, Obj], b: [string, Obj]) => ({
    termination_a_type: a[0],
    termination_a_id: a[1].id,
    termination_b_type: b[0],
    termination_b_id: b[1].id,
  });
  const [if1, if2] = [await comp(DCIM.interfaces, c1), await comp(DCIM.interfaces, c2)];
  const [fr1, fr2] = [await comp(DCIM.frontPorts, c1), await comp(DCIM.frontPorts, c2)];
  const [re1, re2] = [await comp(DCIM.rearPorts, c1), await comp(DCIM.rearPorts, c2)];
  const [cp1, cp2] = [await comp(DCIM.consolePorts, c1), await comp(DCIM.consolePorts, c2)];
  const [cs1, cs2] = [await comp(DCIM.consoleServerPorts, c1), await comp(DCIM.consoleServerPorts, c2)];
  const [pp1, pp2] = [await comp(DCIM.powerPorts, c1), await comp(DCIM.powerPorts, c2)];
  const [po1, po2] = [await comp(DCIM.powerOutlets, c1), await comp(DCIM.powerOutlets, c2)];
  const provider = await create(api, CIRCUITS.providers, { name: 'Carrier' });
  await create(api, CIRCUITS.providers, { name: 'Other carrier' });
  const network = await create(api, CIRCUITS.providerNetworks, { name: 'MPLS', provider: provider.id });
  await create(api, CIRCUITS.providerNetworks, { name: 'Internet', provider: provider.id });
  const ctype = await create(api, CIRCUITS.circuitTypes, { name: 'Transit' });
  await create(api, CIRCUITS.circuitTypes, { name: 'Peering' });
  const [circ1, circ2, circ3] = await create(api, CIRCUITS.circuits, [
    { cid: 'X-1', provider: provider.id, circuit_type: ctype.id, status: 'Active', tenant: t1.id },
    { cid: 'X-2', provider: provider.id, circuit_type: ctype.id, status: 'Active', tenant: t2.id },
    { cid: 'X-3', provider: provider.id, circuit_type: ctype.id, status: 'Active', tenant: t1.id },
  ]);
  const [ctA, ctZ] = await create(api, CIRCUITS.terminations, [
    { circuit: circ1.id, term_side: 'A', location: s.site.id },
    { circuit: circ1.id, term_side: 'Z', location: s.otherSite.id },
    { circuit: circ2.id, term_side: 'A', provider_network: network.id },
    { circuit: circ3.id, term_side: 'A', location: s.site.id },
  ]);
  const ct = 'circuits.circuittermination';
  await create(api, DCIM.cables, [
    cable(['dcim.interface', if1[0]], ['dcim.interface', if2[0]]),
    cable(['dcim.interface', if1[1]], ['dcim.frontport', fr1[0]]),
    cable(['dcim.rearport', re1[0]], ['dcim.rearport', re2[0]]),
    cable(['dcim.frontport', fr2[0]], ['dcim.interface', if2[1]]),
    cable(['dcim.interface', if1[2]], [ct, ctA]),
    cable([ct, ctZ], ['dcim.interface', if2[2]]),
    cable(['dcim.consoleport', cp1[0]], ['dcim.consoleserverport', cs2[0]]),
    cable(['dcim.consoleport', cp2[0]], ['dcim.consoleserverport', cs1[0]]),
    cable(['dcim.powerport', pp1[0]], ['dcim.poweroutlet', po2[0]]),
    cable(['dcim.powerport', pp2[0]], ['dcim.poweroutlet', po1[0]]),
  ]);
  // Power: two panels, a feed of each cabled to a power supply; two reservations of rack 1.
  await api.patch(`${DCIM.locationTypes}${s.types.room.id}/`, {
    content_types: ['dcim.device', 'dcim.rack', 'dcim.rackgroup', 'dcim.powerpanel'],
  });
  const panels = await create(api, '/api/dcim/power-panels/', [
    { name: 'PP1', location: s.room.id, rack_group: rg.id },
    { name: 'PP2', location: s.room.id, rack_group: rg.id },
  ]);
  const feeds = await create(
    api,
    '/api/dcim/power-feeds/',
    panels.map((p: Obj, i: number) => ({
      power_panel: p.id,
      rack: rack1.id,
      name: `F${i + 1}`,
      status: 'Active',
      phase: 'three-phase',
    })),
  );
  await create(api, DCIM.cables, [
    cable(['dcim.powerfeed', feeds[0]], ['dcim.powerport', pp1[1]]),
    cable(['dcim.powerfeed', feeds[1]], ['dcim.powerport', pp2[1]]),
  ]);
  const admin = (await api.get('/api/users/users/?username=admin')).body.results[0];
  await create(api, '/api/dcim/rack-reservations/', [
    { rack: rack1.id, units: [40, 41], user: admin.id, tenant: t1.id, description: 'Growth' },
    { rack: rack1.id, units: [38, 39], user: admin.id, tenant: t2.id, description: 'Spare' },
  ]);
  await api.patch(`${DCIM.interfaces}${if1[5].id}/`, { mac_address: '00:11:22:33:44:55' });
  // Redundancy: the two chassis as a device group; two interface groups with a member each.
  const [drg] = await create(api, '/api/dcim/device-redundancy-groups/', [
    { name: 'chassis-pair', status: 'Active', failover_strategy: 'active-passive' },
    { name: 'spare-pair', status: 'Active', failover_strategy: 'active-active' },
  ]);
  for (const [i, c] of [c1, c2].entries())
    await api.patch(`${DCIM.devices}${c.id}/`, {
      device_redundancy_group: drg.id,
      device_redundancy_group_priority: i + 1,
    });
  const irgs = await create(api, '/api/dcim/interface-redundancy-groups/', [
    { name: 'vrrp-10', status: 'Active', protocol: 'vrrp', protocol_group_id: '10' },
    { name: 'hsrp-20', status: 'Active', protocol: 'hsrp', protocol_group_id: '20' },
  ]);
  await create(api, '/api/dcim/interface-redundancy-group-associations/', [
    { interface_redundancy_group: irgs[0].id, interface: if1[6].id, priority: 110 },
    { interface_redundancy_group: irgs[1].id, interface: if2[6].id, priority: 100 },
  ]);
  const versions = await create(api, '/api/dcim/software-versions/', [
    { platform: platform.id, version: '4.32.2F', status: 'Active' },
    { platform: platform.id, version: '4.30.6M', status: 'Active' },
  ]);
  const images = await create(
    api,
    '/api/dcim/software-image-files/',
    versions.map((v: Obj) => ({
      software_version: v.id,
      image_file_name: `EOS-${String(v.version)}.swi`,
      device_types: [dt],
      status: 'Active',
    })),
  );
  const running = await api.patch(DCIM.devices, [
    { id: c1.id, software_version: versions[0].id, software_image_files: [images[0].id] },
    { id: c2.id, software_version: versions[1].id, software_image_files: [images[1].id] },
  ]);
  if (running.status !== 200) throw new Error(JSON.stringify(running.body));
  return { t1, t2, rack1, rack2, rg, c1, c2, blades: blades[0], vc, circ1, ctA };
}

/**
 * What decides which related objects a row makes the serializer load one level deeper: which
 * fields are set, to what kind of object, and (for nested objects) their own shape.
 */
function shape(o: Obj): string {
  return Object.keys(o)
    .sort()
    .map((k) => {
      const v = o[k];
      if (v === null || (Array.isArray(v) && v.length === 0)) return `${k}:-`;
      if (Array.isArray(v))
        return `${k}:[${v.map((x) => (typeof x === 'object' ? shape(x) : '+')).join('|')}]`;
      if (typeof v === 'object' && v.object_type) return `${k}:${v.object_type}(${shape(v)})`;
      return `${k}:+`;
    })
    .join(',');
}

describe(onDatabase('dcim lists and filters'), () => {
  let t: TestApp;
  let s: Site;
  let inv: Record<string, Obj>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    inv = await buildInventory(t, s);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs a constant number of queries per list, whatever the page size, for every model', async () => {
    const models = t.ctx.models.all().filter((m) => ['dcim', 'tenancy', 'circuits'].includes(m.app_label));
    expect(models.length).toBeGreaterThanOrEqual(32);
    const report: string[] = [];
    for (const m of models) {
      const path = m.api_path!;
      const all = await t.api.get(`${path}?limit=0`);
      expect({ model: m.label, status: all.status }).toEqual({ model: m.label, status: 200 });
      expect({ model: m.label, enough: all.body.count >= 2 }).toEqual({ model: m.label, enough: true });
      // A page of one object against a page of several objects of the same shape (same fields set,
      // same kinds of related objects): a query per row would show as a difference. Optional
      // loads (cable paths of cabled rows, nested objects of set fields) depend on the shape, not
      // on the number of rows, hence the grouping.
      let group = 0;
      for (const depth of [0, 1, 2]) {
        const rows =
          depth === 0
            ? (all.body.results as Obj[])
            : (await t.api.get(`${path}?limit=0&depth=${depth - 1}`)).body.results;
        const groups = new Map<string, string[]>();
        for (const o of rows as Obj[]) groups.set(shape(o), [...(groups.get(shape(o)) ?? []), o.id]);
        const ids = [...groups.values()].sort((a, b) => b.length - a.length)[0];
        if (depth === 0) group = ids.length;
        if (ids.length < 2) continue;
        const single = await t.api.get(`${path}?depth=${depth}&id=${ids[0]}`);
        const many = await t.api.get(
          `${path}?depth=${depth}&limit=0&${ids.map((id) => `id=${id}`).join('&')}`,
        );
        expect(many.body.results).toHaveLength(ids.length);
        expect({ model: m.label, depth, queries: many.queries }).toEqual({
          model: m.label,
          depth,
          queries: single.queries,
        });
      }
      expect({ model: m.label, group: group >= 2 }).toEqual({ model: m.label, group: true });
      report.push(`${m.label}: ${all.body.count} rows, ${all.queries} queries`);
    }
    expect(report).toHaveLength(models.length);
  });

  it('filters devices as Nautobot does', async () => {
    const names = async (q: string): Promise<unknown> => {
      const res = await t.api.get(`${DCIM.devices}?${q}`);
      return res.status === 200 ? (res.body.results as Obj[]).map((d) => d.name).sort() : res.body;
    };
    const expectOk = async (q: string, expected: string[]) =>
      expect({ q, got: await names(q) }).toEqual({ q, got: expected });
    await expectOk(`location=${s.site.id}`, ['b1', 'b2', 'c1', 'c2']);
    await expectOk('location=AMS-R1', ['b1', 'b2', 'c1']);
    await expectOk('rack=R1', ['c1']);
    await expectOk('rack_group=Hall%201', ['c1', 'c2']);
    await expectOk(`manufacturer=${s.manufacturer.id}`, ['b1', 'b2', 'c1', 'c2']);
    await expectOk('manufacturer=Acme&device_type=Blade', ['b1', 'b2']);
    await expectOk('role=Leaf&platform=eos', ['c1', 'c2']);
    await expectOk('tenant=Alpha', ['c1']);
    await expectOk('tenant_group=Customers', ['c1', 'c2']);
    await expectOk('status=Active&has_interfaces=false', ['b1', 'b2']);
    await expectOk('has_device_bays=true', ['c1', 'c2']);
    await expectOk('has_primary_ip=false&is_full_depth=true', ['b1', 'b2', 'c1', 'c2']);
    await expectOk('mac_address=00-11-22-33-44-55', ['c1']);
    await expectOk(`virtual_chassis=${inv.vc.id}`, ['c1']);
    await expectOk('is_virtual_chassis_member=true', ['c1', 'c2']);
    await expectOk('is_virtual_chassis_member=false', ['b1', 'b2']);
    await expectOk('q=c', ['c1', 'c2']);
    await expectOk('q=blad', ['b1', 'b2']);
    await expectOk('serial=&asset_tag__isnull=true&name__n=c2', ['b1', 'b2', 'c1']);
    await expectOk('manufacturer__n=Acme', []);
    const bad = await t.api.get(`${DCIM.devices}?mac_address=zz`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ mac_address: ['"zz" is not a valid MAC address.'] });
    expect((await t.api.get(`${DCIM.devices}?has_primary_ip=maybe`)).status).toBe(400);
  });

  it('filters racks, locations, device types, components and interfaces', async () => {
    const count = async (path: string, q: string) => (await t.api.get(`${path}?${q}`)).body.count as number;
    expect(await count(DCIM.racks, 'rack_group=Hall%201&tenant_group=Customers&has_devices=true')).toBe(2);
    expect(await count(DCIM.racks, `location=${s.region.id}`)).toBe(2);
    expect(await count(DCIM.locations, 'content_type=dcim.device')).toBe(3);
    expect(await count(DCIM.locations, 'location_type=Site')).toBe(2);
    expect(await count(DCIM.deviceTypes, 'manufacturer=Acme&has_interfaces=true&has_device_bays=true')).toBe(
      1,
    );
    expect(await count(DCIM.deviceTypes, 'has_front_ports=false&subdevice_role=child')).toBe(1);
    expect(await count(DCIM.interfaces, 'device=c1&cabled=true')).toBe(3);
    expect(await count(DCIM.interfaces, 'device=c1&connected=true')).toBe(3);
    expect(
      await count(DCIM.interfaces, 'location=AMS-R1&type=10gbase-x-sfpp&enabled=true&mgmt_only=false'),
    ).toBe(6);
    expect(await count(DCIM.interfaces, 'mac_address=00:11:22:33:44:55')).toBe(1);
    expect(await count(DCIM.interfaces, 'q=eth6')).toBe(2);
    expect(await count(DCIM.consolePorts, 'connected=true')).toBe(2);
    expect(await count(DCIM.powerOutlets, 'cabled=true&feed_leg=A')).toBe(2);
    expect(await count(DCIM.frontPorts, 'cabled=false&device=c1')).toBe(2);
    expect(await count(DCIM.deviceBays, 'installed_device__isnull=false')).toBe(2);
    expect(await count(DCIM.virtualChassis, `location=${s.room.id}`)).toBe(1);
    expect(await count(DCIM.virtualChassis, `location=${s.site.id}`)).toBe(2);
    expect(await count('/api/tenancy/tenants/', 'tenant_group=Customers')).toBe(2);
    expect(await count(DCIM.interfaceTemplates, 'device_type=Acme;Chassis')).toBe(6);
    expect(await count(DCIM.interfaceTemplates, 'device_type=Chassis')).toBe(6);
    expect(await count(CIRCUITS.terminations, 'cabled=true&connected=true')).toBe(2);
    expect(
      await count(CIRCUITS.circuits, 'tenant_group=Customers&provider=Carrier&circuit_type=Transit'),
    ).toBe(3);
    expect(await count(CIRCUITS.circuits, 'provider_network=MPLS')).toBe(1);
    expect(await count(CIRCUITS.circuits, `location=${s.otherSite.id}`)).toBe(1);
  });
});
