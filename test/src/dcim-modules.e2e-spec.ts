import * as path from 'node:path';
import { importDeviceTypes, readDeviceTypeSources } from '@plinth/dcim';
import { OBJECTS, type ObjectsService } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { ROOT } from './cli-helpers';
import { DCIM, buildSite, create, device, type Obj, type Site } from './dcim-fixtures';
import { UiSession, text } from './ui-helpers';
import { MODULES, buildModular } from './dcim-modules-fixtures';

describe(onDatabase('dcim modules'), () => {
  let t: TestApp;
  let s: Site;
  let types: Awaited<ReturnType<typeof buildModular>>;
  let sw: Obj;
  const bays = async (q: string): Promise<Obj[]> =>
    (await t.api.get(`${MODULES.moduleBays}?${q}&limit=0`)).body.results;
  const interfaces = async (q: string): Promise<Obj[]> =>
    (await t.api.get(`${DCIM.interfaces}?${q}&limit=0`)).body.results;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    await t.api.patch(`/api/dcim/location-types/${s.types.site.id}/`, {
      content_types: ['dcim.device', 'dcim.rack', 'dcim.module'],
    });
    types = await buildModular(t, s);
    sw = await create(t.api, DCIM.devices, device(s, types.chassis, 'core1'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('checks module types and templates (one type per template, unique models)', async () => {
    const dup = await t.api.post(MODULES.moduleTypes, { manufacturer: s.manufacturer.id, model: 'LC-2' });
    expect(dup.status).toBe(400);
    const both = await t.api.post(DCIM.interfaceTemplates, {
      device_type: types.chassis.id,
      module_type: types.card.id,
      name: 'x',
      type: 'virtual',
    });
    expect(both.status).toBe(400);
    expect(both.body.module_type).toBeDefined();
    const none = await t.api.post(MODULES.moduleBayTemplates, { name: 'x' });
    expect(none.status).toBe(400);
    expect(none.body.device_type).toBeDefined();
    const card = (await t.api.get(`${MODULES.moduleTypes}${types.card.id}/`)).body;
    expect(card).toMatchObject({
      model: 'LC-2',
      part_number: 'LC-2-A',
      manufacturer: { id: s.manufacturer.id },
    });
    const tpl = await interfacesTemplates(`module_type=${types.card.id}`);
    expect(tpl.map((x) => x.name)).toEqual(['Ethernet{module}/1', 'Ethernet{module}/2']);
    expect(tpl[0].device_type).toBeNull();
  });

  const interfacesTemplates = async (q: string): Promise<Obj[]> =>
    (await t.api.get(`${DCIM.interfaceTemplates}?${q}&limit=0`)).body.results;

  it('gives a new device the module bays of its type', async () => {
    const list = await bays(`parent_device=${sw.id}`);
    expect(list.map((b) => [b.name, b.position, b.installed_module])).toEqual([
      ['Slot 1', '1', null],
      ['Slot 2', '2', null],
    ]);
  });

  it('installs a module: its components on the device, named by bay position, in nested bays too', async () => {
    const [slot1, slot2] = await bays(`parent_device=${sw.id}`);
    const lc = await create(t.api, MODULES.modules, {
      module_type: types.card.id,
      parent_module_bay: slot2.id,
      status: 'Active',
      serial: 'LC0002',
      asset_tag: 'A-LC-2',
    });
    expect(lc.device).toMatchObject({ id: sw.id });
    const ports = await interfaces(`module=${lc.id}`);
    expect(ports.map((p) => [p.name, p.label, p.device.id, p.module.id])).toEqual([
      ['Ethernet2/1', 'port 2/1', sw.id, lc.id],
      ['Ethernet2/2', '', sw.id, lc.id],
    ]);
    const [outlet] = (await t.api.get(`${DCIM.powerOutlets}?module=${lc.id}`)).body.results;
    const [psu] = (await t.api.get(`${DCIM.powerPorts}?module=${lc.id}`)).body.results;
    expect([outlet.name, outlet.power_port.id, psu.name, psu.maximum_draw]).toEqual([
      'OUT2',
      psu.id,
      'PSU2',
      90,
    ]);
    // The card's own bays, and an SFP in one of them: two {module} tokens take both positions.
    const sfpBays = await bays(`parent_module=${lc.id}`);
    expect(sfpBays.map((b) => b.name)).toEqual(['SFP 1', 'SFP 2']);
    const sfp = await create(t.api, MODULES.modules, {
      module_type: types.sfp.id,
      parent_module_bay: sfpBays[1].id,
      status: 'Active',
    });
    expect(sfp.device).toMatchObject({ id: sw.id });
    expect((await interfaces(`module=${sfp.id}`)).map((p) => p.name)).toEqual(['Te2/2']);
    // The device's bays at any depth; its interfaces include the modules'.
    expect((await bays(`device=${sw.id}`)).map((b) => b.name).sort()).toEqual([
      'SFP 1',
      'SFP 2',
      'Slot 1',
      'Slot 2',
    ]);
    expect((await interfaces(`device=${sw.id}`)).map((p) => p.name)).toEqual([
      'Ethernet2/1',
      'Ethernet2/2',
      'Te2/2',
      'mgmt0',
    ]);
    expect((await bays(`parent_device=${sw.id}&has_installed_module=true`)).map((b) => b.name)).toEqual([
      'Slot 2',
    ]);
    expect((await bays(`parent_device=${sw.id}`))[1].installed_module).toMatchObject({ id: lc.id });
    // Change log: the module and each component it brought.
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_type=dcim.interface&limit=0`);
    const created = changes.body.results
      .filter((c: Obj) => c.action.value === 'create')
      .map((c: Obj) => c.object_repr);
    expect(created).toEqual(expect.arrayContaining(['core1 Ethernet2/1', 'core1 Te2/2']));
    expect(slot1.installed_module).toBeNull();
  });

  it('refuses a second module in a bay, a name clash and a module without bay or location', async () => {
    const slot2 = (await bays(`parent_device=${sw.id}&name=Slot 2`))[0];
    const second = await t.api.post(MODULES.modules, {
      module_type: types.sfp.id,
      parent_module_bay: slot2.id,
      status: 'Active',
    });
    expect(second.status).toBe(400);
    expect(second.body.parent_module_bay).toBeDefined();
    // An interface the card would create already exists on the device: nothing is written.
    await create(t.api, DCIM.interfaces, { device: sw.id, name: 'Ethernet1/2', type: 'virtual' });
    const slot1 = (await bays(`parent_device=${sw.id}&name=Slot 1`))[0];
    const before = (await t.api.get(`${MODULES.modules}?limit=0`)).body.count;
    const clash = await t.api.post(MODULES.modules, {
      module_type: types.card.id,
      parent_module_bay: slot1.id,
      status: 'Active',
    });
    expect(clash.status).toBe(400);
    expect(JSON.stringify(clash.body.parent_module_bay)).toContain('Ethernet1/2');
    expect((await t.api.get(`${MODULES.modules}?limit=0`)).body.count).toBe(before);
    expect((await bays(`device=${sw.id}`)).length).toBe(4);
    const nowhere = await t.api.post(MODULES.modules, { module_type: types.sfp.id, status: 'Active' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.parent_module_bay).toBeDefined();
    const both = await t.api.post(MODULES.modules, {
      module_type: types.sfp.id,
      status: 'Active',
      parent_module_bay: slot1.id,
      location: s.site.id,
    });
    expect(both.status).toBe(400);
    expect(both.body.location).toBeDefined();
    const tag = await t.api.post(MODULES.modules, {
      module_type: types.sfp.id,
      status: 'Active',
      location: s.site.id,
      asset_tag: 'A-LC-2',
    });
    expect(tag.status).toBe(400);
    expect(tag.body.asset_tag).toBeDefined();
    const wrongType = await t.api.post(MODULES.modules, {
      module_type: types.sfp.id,
      status: 'Active',
      location: s.room.id,
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.location).toBeDefined();
    await t.api.delete(`${DCIM.interfaces}${(await interfaces(`device=${sw.id}&name=Ethernet1/2`))[0].id}/`);
    // A component's module is installed in the component's device.
    const lc = (await t.api.get(`${MODULES.modules}?serial=LC0002`)).body.results[0];
    const other = await create(t.api, DCIM.devices, device(s, types.chassis, 'other1'));
    const elsewhere = await t.api.post(DCIM.interfaces, {
      device: other.id,
      module: lc.id,
      name: 'x1',
      type: 'virtual',
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.module).toEqual(['The module is installed in another device.']);
    const onModule = await create(t.api, DCIM.interfaces, {
      device: sw.id,
      module: lc.id,
      name: 'x1',
      type: 'virtual',
    });
    expect(onModule.module.id).toBe(lc.id);
    await t.api.delete(`${DCIM.interfaces}${onModule.id}/`);
    await t.api.delete(`${DCIM.devices}${other.id}/`);
  });

  it('moves modules between storage and bays, and removes their components with them', async () => {
    const spare = await create(t.api, MODULES.modules, {
      module_type: types.card.id,
      location: s.site.id,
      status: 'Active',
      serial: 'SPARE1',
    });
    expect(spare.device).toBeNull();
    expect(await interfaces(`module=${spare.id}`)).toEqual([]);
    expect((await bays(`parent_module=${spare.id}`)).length).toBe(2);
    const slot1 = (await bays(`parent_device=${sw.id}&name=Slot 1`))[0];
    const moved = await t.api.patch(`${MODULES.modules}${spare.id}/`, {
      parent_module_bay: slot1.id,
      location: null,
    });
    expect(moved.status).toBe(200);
    expect((await interfaces(`module=${spare.id}`)).map((p) => p.name)).toEqual([
      'Ethernet1/1',
      'Ethernet1/2',
    ]);
    // Modules on the device, at any depth, and device filters.
    const onDevice = (await t.api.get(`${MODULES.modules}?device=${sw.id}&limit=0`)).body.results;
    expect(onDevice.length).toBe(3);
    expect(
      (await t.api.get(`${DCIM.devices}?has_modules=true`)).body.results.map((d: Obj) => d.name),
    ).toEqual(['core1']);
    expect((await interfaces(`device=${sw.id}&has_module=false`)).map((p) => p.name)).toEqual(['mgmt0']);
    expect(
      (await t.api.get(`${MODULES.moduleTypes}?has_modules=true`)).body.results
        .map((m: Obj) => m.model)
        .sort(),
    ).toEqual(['LC-2', 'SFP-10G']);
    // Back to storage: its components go.
    await t.api.patch(`${MODULES.modules}${spare.id}/`, { parent_module_bay: null, location: s.site.id });
    expect(await interfaces(`module=${spare.id}`)).toEqual([]);
    // Deleting the line card in slot 2 removes its components and the SFP nested in it.
    const lc = (await t.api.get(`${MODULES.modules}?serial=LC0002`)).body.results[0];
    const del = await t.api.delete(`${MODULES.modules}${lc.id}/`);
    expect(del.status).toBe(204);
    expect((await interfaces(`device=${sw.id}`)).map((p) => p.name)).toEqual(['mgmt0']);
    expect((await t.api.get(`${MODULES.modules}?device=${sw.id}`)).body.count).toBe(0);
    const deletes = await t.api.get(
      `/api/extras/object-changes/?changed_object_type=dcim.interface&action=delete&limit=0`,
    );
    expect(deletes.body.results.map((c: Obj) => c.object_repr)).toEqual(
      expect.arrayContaining(['core1 Ethernet2/1', 'core1 Te2/2']),
    );
  });

  it('answers GraphQL, CSV and permissions', async () => {
    const slot2 = (await bays(`parent_device=${sw.id}&name=Slot 2`))[0];
    const lc = await create(t.api, MODULES.modules, {
      module_type: types.card.id,
      parent_module_bay: slot2.id,
      status: 'Active',
      serial: 'GQL1',
    });
    const gql = await t.api.post('/api/graphql/', {
      query: `{ modules(serial: "GQL1") { serial module_type { model } parent_module_bay { name } }
        interfaces(module: "${lc.id}") { name module { serial } } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.modules).toEqual([
      { serial: 'GQL1', module_type: { model: 'LC-2' }, parent_module_bay: { name: 'Slot 2' } },
    ]);
    expect(gql.body.data.interfaces.map((i: Obj) => i.name)).toEqual(['Ethernet2/1', 'Ethernet2/2']);
    const csv = await t
      .http()
      .get(`${MODULES.modules}?format=csv&serial=GQL1`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(expect.arrayContaining(['module_type', 'parent_module_bay', 'serial']));
    expect(row).toContain('GQL1');
    // CSV import through the UI: a spare module by location.
    const ui = await new UiSession(t.baseUrl).login();
    const ok = await ui.post('/dcim/modules/import/', {
      csv_data: `module_type,location,status,serial\n${types.sfp.id},${s.site.id},Active,CSV1\n`,
    });
    expect(ok.status).toBe(303);
    expect((await t.api.get(`${MODULES.modules}?serial=CSV1`)).body.count).toBe(1);
    const bad = await ui.post('/dcim/modules/import/', {
      csv_data: `module_type,status,serial\n${types.sfp.id},Active,CSV2\n`,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('parent_module_bay');
    // A user who may only view modules.
    const viewer = await t.createUser('module-viewer', [
      { actions: ['view'], object_types: ['dcim.module'] },
    ]);
    expect((await viewer.api.get(`${MODULES.modules}?serial=GQL1`)).body.count).toBe(1);
    const denied = await viewer.api.post(MODULES.modules, {
      module_type: types.sfp.id,
      location: s.site.id,
      status: 'Active',
    });
    expect(denied.status).toBe(403);
  });

  it('imports the library: device types with module bays, module types with their templates', async () => {
    const library = path.join(ROOT, 'test/fixtures/devicetype-library');
    const sources = [
      ...readDeviceTypeSources(path.join(library, 'device-types/Cisco/C9200-24T.yaml')),
      ...readDeviceTypeSources(path.join(library, 'module-types')),
    ];
    const objects = t.app.get<ObjectsService>(OBJECTS);
    const summary = await importDeviceTypes(objects, sources);
    expect(summary.files.filter((f) => !f.ok)).toEqual([]);
    expect(summary.device_types.created).toBe(1);
    expect(summary.module_types).toEqual({ created: 4, updated: 0, unchanged: 0 });
    // Keys Nautobot's module types have no field for (and the second not even the library's schema).
    expect(summary.ignored).toMatchObject({ description: 1, subdevice_role: 1 });
    expect(summary.ignored['module-bays']).toBeUndefined();
    const again = await importDeviceTypes(objects, sources);
    expect(again.module_types).toEqual({ created: 0, updated: 0, unchanged: 4 });
    const [nm] = (await t.api.get(`${MODULES.moduleTypes}?model=C9200-NM-4X`)).body.results;
    expect(nm.part_number).toBe('C9200-NM-4X');
    expect((await interfacesTemplates(`module_type=${nm.id}`)).map((x) => x.name)).toEqual([
      'TenGigabitEthernet1/{module}/1',
      'TenGigabitEthernet1/{module}/2',
      'TenGigabitEthernet1/{module}/3',
      'TenGigabitEthernet1/{module}/4',
    ]);
    const [c9200] = (await t.api.get(`${DCIM.deviceTypes}?model=Catalyst 9200-24T`)).body.results;
    const bayTemplates = (await t.api.get(`${MODULES.moduleBayTemplates}?device_type=${c9200.id}`)).body
      .results;
    expect(bayTemplates.map((b: Obj) => [b.name, b.position])).toEqual([['Network Module', '1']]);
    // A device of the type, and the network module in its bay: TenGigabitEthernet1/1/1-4.
    const access = await create(t.api, DCIM.devices, device(s, c9200, 'access1'));
    const [bay] = await bays(`parent_device=${access.id}`);
    const nmModule = await create(t.api, MODULES.modules, {
      module_type: nm.id,
      parent_module_bay: bay.id,
      status: 'Active',
    });
    expect((await interfaces(`module=${nmModule.id}`)).map((p) => p.name)).toEqual([
      'TenGigabitEthernet1/1/1',
      'TenGigabitEthernet1/1/2',
      'TenGigabitEthernet1/1/3',
      'TenGigabitEthernet1/1/4',
    ]);
    // A modular line card's sub-slots come from its module type; an MPA in sub-slot 1.
    const [mod400] = (await t.api.get(`${MODULES.moduleTypes}?model=A9K-MOD400-TR`)).body.results;
    const [mpa] = (await t.api.get(`${MODULES.moduleTypes}?model=A9K-MPA-4X10GE`)).body.results;
    const core2 = await create(t.api, DCIM.devices, device(s, types.chassis, 'core2'));
    const [slot1] = await bays(`parent_device=${core2.id}&name=Slot 1`);
    const card = await create(t.api, MODULES.modules, {
      module_type: mod400.id,
      parent_module_bay: slot1.id,
      status: 'Active',
    });
    const subSlots = await bays(`parent_module=${card.id}`);
    expect(subSlots.map((b) => [b.name, b.label, b.position])).toEqual([
      ['Sub Slot 0', '0', '0'],
      ['Sub Slot 1', '1', '1'],
    ]);
    const mpaModule = await create(t.api, MODULES.modules, {
      module_type: mpa.id,
      parent_module_bay: subSlots[1].id,
      status: 'Active',
    });
    expect((await interfaces(`module=${mpaModule.id}`)).map((p) => p.name)).toEqual([
      'TenGigE1/0',
      'TenGigE1/1',
      'TenGigE1/2',
      'TenGigE1/3',
    ]);
    // Deleting the device takes its bays, the modules in them (nested too) and their components.
    expect((await t.api.delete(`${DCIM.devices}${core2.id}/`)).status).toBe(204);
    expect((await t.api.get(`${MODULES.modules}?id=${card.id}&id=${mpaModule.id}`)).body.count).toBe(0);
    const left = await t.sql<{ n: string }>('SELECT count(*) AS n FROM dcim_interface WHERE module_id = $1', [
      mpaModule.id,
    ]);
    expect(Number(left[0].n)).toBe(0);
    const bayRows = await t.sql<{ n: string }>(
      'SELECT count(*) AS n FROM dcim_modulebay WHERE parent_module_id = $1 OR parent_device_id = $2',
      [card.id, core2.id],
    );
    expect(Number(bayRows[0].n)).toBe(0);
  });
});
