import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, type Obj, type Site } from './dcim-fixtures';
import { POWER } from './power-fixtures';
import { UiSession, text } from './ui-helpers';

describe(onDatabase('dcim rack reservations'), () => {
  let t: TestApp;
  let s: Site;
  let rack: Obj;
  let otherRack: Obj;
  let admin: Obj;
  let tenant: Obj;
  const reservation = (units: number[], extra: Obj = {}) => ({
    rack: rack.id,
    units,
    user: admin.id,
    description: 'Lab expansion',
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    const group = await create(t.api, DCIM.rackGroups, { name: 'Hall A', location: s.site.id });
    rack = await create(t.api, DCIM.racks, {
      name: 'R1',
      location: s.room.id,
      rack_group: group.id,
      status: 'Active',
      u_height: 10,
    });
    otherRack = await create(t.api, DCIM.racks, { name: 'R2', location: s.otherSite.id, status: 'Active' });
    admin = (await t.api.get('/api/users/users/?username=admin')).body.results[0];
    tenant = await create(t.api, '/api/tenancy/tenants/', { name: 'Globex' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reserves units of a rack for a user, sorted, with a display naming the rack', async () => {
    const r = await create(t.api, POWER.reservations, reservation([3, 1, 2, 2], { tenant: tenant.id }));
    expect(r).toMatchObject({
      rack: { id: rack.id },
      units: [1, 2, 3],
      user: { id: admin.id },
      tenant: { id: tenant.id },
      description: 'Lab expansion',
      display: 'Reservation for rack R1',
    });
  });

  it('refuses units outside the rack, overlaps and missing fields with a 400 naming the field', async () => {
    const cases: [Obj, string, string][] = [
      [reservation([0, 11, 5]), 'units', 'Invalid unit(s) for 10U rack: 0, 11'],
      [reservation([2, 5]), 'units', 'The following units have already been reserved: 2'],
      [reservation([]), 'units', 'This field is required.'],
      [reservation([5], { description: '' }), 'description', ''],
      [reservation([5], { user: undefined }), 'user', ''],
      [reservation([5], { units: ['x'] }), 'units', ''],
    ];
    for (const [body, field, message] of cases) {
      const res = await t.api.post(POWER.reservations, body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toContain(field);
      expect(JSON.stringify(res.body[field])).toContain(message);
    }
    // Two reservations of one batch on the same unit: the whole batch is refused.
    const batch = await t.api.post(POWER.reservations, [reservation([7, 8]), reservation([8, 9])]);
    expect(batch.status).toBe(400);
    expect(JSON.stringify(batch.body)).toContain('The following units have already been reserved: 8');
    expect((await t.api.get(`${POWER.reservations}?rack=${rack.id}`)).body.count).toBe(1);
    // The same units of another rack are free; moving a reservation onto taken units is refused.
    const other = await create(t.api, POWER.reservations, reservation([1, 2], { rack: otherRack.id }));
    const moved = await t.api.patch(`${POWER.reservations}${other.id}/`, { rack: rack.id });
    expect(moved.status).toBe(400);
    expect(moved.body.units[0]).toBe('The following units have already been reserved: 1, 2');
    // Its own units are not an overlap.
    const same = await t.api.patch(`${POWER.reservations}${other.id}/`, { units: [1, 2, 3] });
    expect(same.status).toBe(200);
  });

  it('filters by rack, location, rack group, user, tenant and free text', async () => {
    const count = async (q: string) => (await t.api.get(`${POWER.reservations}?${q}`)).body.count;
    expect(await count(`rack=${rack.id}`)).toBe(1);
    expect(await count(`location=${s.region.id}`)).toBe(2);
    expect(await count(`location=${s.site.id}`)).toBe(1);
    expect(await count(`rack_group=Hall A`)).toBe(1);
    expect(await count(`user=${admin.id}`)).toBe(2);
    expect(await count(`tenant=${tenant.id}`)).toBe(1);
    expect(await count('q=R2')).toBe(1);
    expect(await count('q=lab')).toBe(2);
    expect(await count('q=admin')).toBe(2);
  });

  it('answers GraphQL, exports and imports CSV, change-logs and checks permissions', async () => {
    const gql = await t.api.post('/api/graphql/', {
      query: `{ rack_reservations(rack: "${rack.id}") { units description user { username } rack { name } tenant { name } } }`,
    });
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data.rack_reservations).toEqual([
      {
        units: [1, 2, 3],
        description: 'Lab expansion',
        user: { username: 'admin' },
        rack: { name: 'R1' },
        tenant: { name: 'Globex' },
      },
    ]);
    const csv = await t
      .http()
      .get(`${POWER.reservations}?format=csv&rack=${rack.id}`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    expect(csv.text.split(/\r?\n/)[0].split(',')).toEqual(
      expect.arrayContaining(['rack', 'units', 'user', 'description']),
    );
    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/dcim/rack-reservations/import/', {
      csv_data: `rack,units,user,description\n${rack.id},"3,4",${admin.id},clash\n`,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('already been reserved: 3');
    const ok = await ui.post('/dcim/rack-reservations/import/', {
      csv_data: `rack,units,user,description\n${rack.id},"9,10",${admin.id},From CSV\n`,
    });
    expect(ok.status).toBe(303);
    const imported = (await t.api.get(`${POWER.reservations}?q=From CSV`)).body.results[0];
    expect(imported.units).toEqual([9, 10]);

    await t.api.patch(`${POWER.reservations}${imported.id}/`, { units: [8, 9, 10] });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${imported.id}`);
    expect(changes.body.results[0]).toMatchObject({
      changed_object_type: 'dcim.rackreservation',
      prechange_data: { units: [9, 10] },
      postchange_data: { units: [8, 9, 10] },
    });
    // Deleting the rack takes its reservations with it.
    const temp = await create(t.api, DCIM.racks, { name: 'R-temp', location: s.site.id, status: 'Active' });
    const r = await create(t.api, POWER.reservations, reservation([1], { rack: temp.id }));
    expect((await t.api.delete(`${DCIM.racks}${temp.id}/`)).status).toBe(204);
    expect((await t.api.get(`${POWER.reservations}${r.id}/`)).status).toBe(404);

    const { api } = await t.createUser('resv-viewer', [
      { actions: ['view'], object_types: ['dcim.rackreservation'] },
    ]);
    expect((await api.get(POWER.reservations)).status).toBe(200);
    expect((await api.post(POWER.reservations, reservation([6]))).status).toBe(403);
    expect((await api.delete(`${POWER.reservations}${imported.id}/`)).status).toBe(403);
  });
});
