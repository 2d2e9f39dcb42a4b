import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';
import { UiSession, text } from './ui-helpers';

const ITEMS = '/api/dcim/inventory-items/';

/** Inventory items (Nautobot 2.x): a tree per device, REST, rules, filters, GraphQL, CSV, change log, permissions. */
const TOP_LEVEL_CLASH = 'A top-level inventory item with this name already exists on this device.';

describe(onDatabase('dcim inventory items'), () => {
  let t: TestApp;
  let s: Site;
  let sw1: Obj;
  let sw2: Obj;
  let chassis: Obj;
  let lc: Obj;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    const type = await switchType(t, s.manufacturer, 'Inv-Switch', 2);
    [sw1, sw2] = await create(t.api, DCIM.devices, [device(s, type, 'inv-sw1'), device(s, type, 'inv-sw2')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a tree of items on a device, in the Nautobot 2.x shape', async () => {
    chassis = await create(t.api, ITEMS, {
      device: sw1.id,
      name: 'Chassis',
      manufacturer: s.manufacturer.id,
      part_id: 'CH-1',
      serial: ' SN-CH ',
      asset_tag: 'AT-1',
    });
    expect(chassis).toMatchObject({
      object_type: 'dcim.inventoryitem',
      display: 'inv-sw1 Chassis',
      device: { id: sw1.id, object_type: 'dcim.device' },
      parent: null,
      name: 'Chassis',
      label: '',
      manufacturer: { id: s.manufacturer.id },
      part_id: 'CH-1',
      serial: 'SN-CH',
      asset_tag: 'AT-1',
      discovered: false,
      description: '',
    });
    expect(chassis.url).toMatch(/\/api\/dcim\/inventory-items\/[0-9a-f-]{36}\/$/);
    lc = await create(t.api, ITEMS, {
      device: sw1.id,
      parent: chassis.id,
      name: 'Line card 1',
      discovered: 'true',
    });
    const optics = await create(t.api, ITEMS, [
      { device: sw1.id, parent: lc.id, name: 'Optic 10', part_id: 'SFP-10G-SR' },
      { device: sw1.id, parent: lc.id, name: 'Optic 2', part_id: 'SFP-10G-SR' },
    ]);
    expect(optics.map((o: Obj) => o.parent.id)).toEqual([lc.id, lc.id]);
    // The same name under another parent, or on another device, is fine.
    await create(t.api, ITEMS, [
      { device: sw1.id, parent: chassis.id, name: 'Optic 2' },
      { device: sw2.id, name: 'Chassis' },
    ]);
    const deep = (await t.api.get(`${ITEMS}${optics[0].id}/?depth=1`)).body;
    expect(deep.parent).toMatchObject({ name: 'Line card 1', parent: { id: chassis.id } });
    expect(deep.device.name).toBe('inv-sw1');
  });

  it('keeps each tree on one device, without cycles, names unique among siblings, asset tags unique', async () => {
    const cases: [string, Obj, Obj][] = [
      [
        'parent on another device',
        { device: sw2.id, parent: chassis.id, name: 'X' },
        { parent: ['The parent inventory item must belong to the same device.'] },
      ],
      ['duplicate top-level name', { device: sw1.id, name: 'Chassis' }, { name: [TOP_LEVEL_CLASH] }],
      [
        'duplicate name under a parent',
        { device: sw1.id, parent: lc.id, name: 'Optic 2' },
        { name: ['Inventory item with this device and parent and name already exists.'] },
      ],
      [
        'duplicate asset tag',
        { device: sw2.id, name: 'PSU', asset_tag: 'AT-1' },
        { asset_tag: expect.any(Array) },
      ],
      ['no device', { name: 'Loose' }, { device: ['This field is required.'] }],
    ];
    for (const [what, body, errors] of cases) {
      const res = await t.api.post(ITEMS, body);
      expect({ what, status: res.status, errors: res.body }).toEqual({ what, status: 400, errors });
    }
    const cycle = await t.api.patch(`${ITEMS}${chassis.id}/`, { parent: lc.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.parent[0]).toMatch(/itself or one of its descendants/);
    const move = await t.api.patch(`${ITEMS}${chassis.id}/`, { device: sw2.id });
    expect(move.body).toEqual({
      device: ['An inventory item with child items cannot move to another device; move its children first.'],
      // sw2 has a Chassis of its own.
      name: [TOP_LEVEL_CLASH],
    });
    // A bulk write with one bad item writes nothing.
    const bulk = await t.api.post(ITEMS, [
      { device: sw2.id, name: 'Good' },
      { device: sw2.id, name: 'Bad', discovered: 'perhaps' },
    ]);
    expect(bulk.status).toBe(400);
    expect(bulk.body).toEqual([{}, { discovered: ['Must be a valid boolean.'] }]);
    expect((await t.api.get(`${ITEMS}?name=Good`)).body.count).toBe(0);

    // Two top-level items of one write with the same name: the second is refused.
    const twins = await t.api.post(ITEMS, [
      { device: sw2.id, name: 'Twin' },
      { device: sw2.id, name: 'Twin' },
    ]);
    expect(twins.status).toBe(400);
    expect(twins.body).toEqual([{}, { name: [TOP_LEVEL_CLASH] }]);
  });

  it('checks a bulk write of items in as many statements whatever its size', async () => {
    const post = (n: number, tag: string) =>
      t.api.post(
        ITEMS,
        Array.from({ length: n }, (_, i) => ({
          device: [sw1.id, sw2.id][i % 2],
          name: `bulk-${tag}-${i}`,
          ...(i % 3 ? { parent: null } : {}),
        })),
      );
    const [few, many] = [await post(6, 'a'), await post(60, 'b')];
    expect([few.status, many.status]).toEqual([201, 201]);
    expect(many.queries).toBe(few.queries);
    const children = (parents: Obj[], tag: string) =>
      t.api.post(
        ITEMS,
        parents.map((p, i) => ({ device: p.device.id, parent: p.id, name: `child-${tag}-${i}` })),
      );
    const [fewChildren, manyChildren] = [await children(few.body, 'a'), await children(many.body, 'b')];
    expect([fewChildren.status, manyChildren.status]).toEqual([201, 201]);
    expect(manyChildren.queries).toBe(fewChildren.queries);
    const gone = await t.api.delete(
      ITEMS,
      [...few.body, ...many.body].map((item: Obj) => ({ id: item.id })),
    );
    expect(gone.status).toBe(204);
  });

  it('filters by device, parent, manufacturer, location, serial, discovered and search', async () => {
    const names = async (q: string): Promise<string[]> =>
      (await t.api.get(`${ITEMS}?${q}&limit=0`)).body.results.map((i: Obj) => i.name).sort();
    expect(await names(`device=${sw2.id}`)).toEqual(['Chassis']);
    expect(await names('device=inv-sw2')).toEqual(['Chassis']);
    expect(await names(`parent=${lc.id}`)).toEqual(['Optic 10', 'Optic 2']);
    expect(await names('parent__isnull=true&device=inv-sw1')).toEqual(['Chassis']);
    expect(await names(`manufacturer=${encodeURIComponent(s.manufacturer.name)}`)).toEqual(['Chassis']);
    expect(await names(`location=${s.region.id}&device=inv-sw1`)).toHaveLength(5);
    expect(await names('serial=SN-CH')).toEqual(['Chassis']);
    expect(await names('discovered=true')).toEqual(['Line card 1']);
    expect(await names('part_id=SFP-10G-SR')).toEqual(['Optic 10', 'Optic 2']);
    expect(await names('q=sfp-10g')).toEqual(['Optic 10', 'Optic 2']);
    expect(await names('asset_tag=AT-1')).toEqual(['Chassis']);
    const bad = await t.api.get(`${ITEMS}?discovered=perhaps`);
    expect(bad.status).toBe(400);
    expect(bad.body.discovered).toBeDefined();
  });

  it('answers GraphQL queries with the tree', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ inventory_items(device: "inv-sw1", parent__isnull: true) { name serial device { name } manufacturer { name } children { name children { name part_id } } } }`,
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.inventory_items).toEqual([
      {
        name: 'Chassis',
        serial: 'SN-CH',
        device: { name: 'inv-sw1' },
        manufacturer: { name: s.manufacturer.name },
        children: expect.arrayContaining([
          {
            name: 'Line card 1',
            children: expect.arrayContaining([
              { name: 'Optic 2', part_id: 'SFP-10G-SR' },
              { name: 'Optic 10', part_id: 'SFP-10G-SR' },
            ]),
          },
          { name: 'Optic 2', children: [] },
        ]),
      },
    ]);
    const device = await t.api.post('/api/graphql/', {
      query: `{ device(id: "${sw2.id}") { name inventory_items { name } } }`,
    });
    expect(device.body.errors).toBeUndefined();
    expect(device.body.data.device.inventory_items).toEqual([{ name: 'Chassis' }]);
  });

  it('exports and imports CSV, and change-logs with the device as related object', async () => {
    const csv = await t
      .http()
      .get(`${ITEMS}?format=csv&device=inv-sw1&name=Chassis`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header, row] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(
      expect.arrayContaining([
        'device',
        'parent',
        'name',
        'manufacturer',
        'part_id',
        'serial',
        'asset_tag',
        'discovered',
      ]),
    );
    expect(row).toContain('SN-CH');

    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/dcim/inventory-items/import/', {
      csv_data: `device,name,discovered\n${sw2.id},PSU 1,perhaps\n`,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('discovered');
    const ok = await ui.post('/dcim/inventory-items/import/', {
      csv_data: `device,name,part_id,serial\n${sw2.id},PSU 1,PWR-1,SN-P1\n${sw2.id},PSU 2,PWR-1,SN-P2\n`,
    });
    expect(ok.status).toBe(303);
    const psu = (await t.api.get(`${ITEMS}?device=${sw2.id}&name=PSU 1`)).body.results[0] as Obj;
    expect(psu).toMatchObject({ part_id: 'PWR-1', serial: 'SN-P1' });

    await t.api.patch(`${ITEMS}${psu.id}/`, { serial: 'SN-P1b' });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${psu.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      changed_object_type: 'dcim.inventoryitem',
      related_object_id: sw2.id,
      prechange_data: { serial: 'SN-P1' },
      postchange_data: { serial: 'SN-P1b' },
    });
  });

  it('needs inventory item permissions, honours constraints, and goes with its device', async () => {
    const { api } = await t.createUser('inv-viewer', [
      { actions: ['view'], object_types: ['dcim.inventoryitem'], constraints: { device: sw2.id } },
    ]);
    const seen = await api.get(`${ITEMS}?limit=0`);
    expect(seen.status).toBe(200);
    expect(seen.body.results.map((i: Obj) => i.name).sort()).toEqual(['Chassis', 'PSU 1', 'PSU 2']);
    expect((await api.get(`${ITEMS}${chassis.id}/`)).status).toBe(404);
    expect((await api.post(ITEMS, { device: sw2.id, name: 'Nope' })).status).toBe(403);

    // Deleting a parent deletes its subtree; deleting the device deletes its items.
    expect((await t.api.delete(`${ITEMS}${lc.id}/`)).status).toBe(204);
    expect(
      (await t.api.get(`${ITEMS}?parent=${chassis.id}&limit=0`)).body.results.map((i: Obj) => i.name),
    ).toEqual(['Optic 2']);
    expect((await t.api.delete(`${DCIM.devices}${sw1.id}/`)).status).toBe(204);
    expect((await t.api.get(`${ITEMS}?device=${sw1.id}`)).status).toBe(400);
    expect((await t.api.get(`${ITEMS}?limit=0`)).body.count).toBe(3);
  });
});
