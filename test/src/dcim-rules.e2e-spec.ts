import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';

describe(onDatabase('dcim rules'), () => {
  let t: TestApp;
  let s: Site;

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('locations', () => {
    it('follows the location type hierarchy', async () => {
      const cases: [Obj, Obj][] = [
        [
          { name: 'Orphan', location_type: s.types.site.id, status: 'Active' },
          { parent: ['A Location of type Site must have a parent Location.'] },
        ],
        [
          { name: 'Room in region', location_type: s.types.room.id, parent: s.region.id, status: 'Active' },
          { parent: ['A Location of type Room can only have a Location of type Site as its parent.'] },
        ],
        [
          {
            name: 'Region under site',
            location_type: s.types.region.id,
            parent: s.site.id,
            status: 'Active',
          },
          { parent: ['A Location of type Region may only have a Location of the same type as its parent.'] },
        ],
      ];
      for (const [body, errors] of cases) {
        const res = await t.api.post(DCIM.locations, body);
        expect({ body, status: res.status, errors: res.body }).toEqual({ body, status: 400, errors });
      }
      // Regions are nestable: a region in a region is fine, top-level too.
      const west = await create(t.api, DCIM.locations, {
        name: 'West',
        location_type: s.types.region.id,
        parent: s.region.id,
        status: 'Active',
      });
      // A non-nestable type with no parent type must stay top-level.
      const campus = await create(t.api, DCIM.locationTypes, { name: 'Campus' });
      const c1 = await create(t.api, DCIM.locations, {
        name: 'C1',
        location_type: campus.id,
        status: 'Active',
      });
      const nested = await t.api.post(DCIM.locations, {
        name: 'C2',
        location_type: campus.id,
        parent: c1.id,
        status: 'Active',
      });
      expect(nested.body).toEqual({ parent: ['A Location of type Campus must not have a parent Location.'] });

      const dup = await t.api.post(DCIM.locations, {
        name: 'C1',
        location_type: campus.id,
        status: 'Active',
      });
      expect(dup.body).toEqual({ name: ['A root-level location with this name already exists.'] });

      const retype = await t.api.patch(`${DCIM.locations}${west.id}/`, { location_type: campus.id });
      expect(retype.body).toEqual({
        location_type: ['Changing the type of an existing Location is not permitted.'],
      });
      // A location cannot become its own descendant's child (cycle).
      const cycle = await t.api.patch(`${DCIM.locations}${s.region.id}/`, { parent: west.id });
      expect(cycle.status).toBe(400);
      expect(cycle.body.parent[0]).toMatch(/itself or one of its descendants/);
    });

    it('accepts time_zone null (null when unset) and integral decimal strings for integers', async () => {
      const body = { location_type: s.types.site.id, parent: s.region.id, status: 'Active' };
      const loc = await t.api.post(DCIM.locations, { ...body, name: 'TZ', time_zone: null, asn: '65001.0' });
      expect(loc.status).toBe(201);
      expect(loc.body).toMatchObject({ time_zone: null, asn: 65001 });
      const set = await t.api.patch(`${DCIM.locations}${loc.body.id}/`, { time_zone: 'Europe/Berlin' });
      expect(set.body.time_zone).toBe('Europe/Berlin');
      const cleared = await t.api.patch(`${DCIM.locations}${loc.body.id}/`, { time_zone: '' });
      expect(cleared.body.time_zone).toBeNull();
      const omitted = await create(t.api, DCIM.locations, { ...body, name: 'TZ2' });
      expect(omitted.time_zone).toBeNull();
      // As DRF's IntegerField: "2.0" is 2, "2.5" is refused naming the field, nothing written.
      const rack = await t.api.post(DCIM.racks, {
        name: 'R-int',
        location: s.site.id,
        status: 'Active',
        u_height: '42.0',
      });
      expect(rack.status).toBe(201);
      expect(rack.body.u_height).toBe(42);
      const bad = await t.api.post(DCIM.racks, [
        { name: 'R-ok', location: s.site.id, status: 'Active', u_height: '40' },
        { name: 'R-half', location: s.site.id, status: 'Active', u_height: '2.5' },
      ]);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual([{}, { u_height: ['A valid integer is required.'] }]);
      expect((await t.api.get(`${DCIM.racks}?name=R-ok`)).body.count).toBe(0);
    });

    it('takes GPS coordinates as numbers or numeric strings, rounded to six places', async () => {
      const at = await create(t.api, DCIM.locations, {
        name: 'Coords',
        location_type: s.types.region.id,
        status: 'Active',
        latitude: '52.3702157',
        longitude: 4.895168,
      });
      expect([at.latitude, at.longitude]).toEqual([52.370216, 4.895168]);
      const notNumber = await t.api.patch(`${DCIM.locations}${at.id}/`, { latitude: 'north' });
      expect(notNumber.body).toEqual({ latitude: ['A valid number is required.'] });
      const outOfRange = await t.api.patch(`${DCIM.locations}${at.id}/`, { longitude: 200 });
      expect(outOfRange.body).toEqual({ longitude: ['Ensure this value is less than or equal to 180.'] });
    });

    it('checks location type changes and content types', async () => {
      const nonNestable = await t.api.patch(`${DCIM.locationTypes}${s.types.region.id}/`, {
        nestable: false,
      });
      expect(nonNestable.body).toEqual({
        nestable: [
          'There are existing nested Locations of this type, so changing this Location Type to be non-nestable is not permitted.',
        ],
      });
      const reparent = await t.api.patch(`${DCIM.locationTypes}${s.types.room.id}/`, {
        parent: s.types.region.id,
      });
      expect(reparent.body.parent[0]).toMatch(/currently has Locations using it/);
      const badType = await t.api.post(DCIM.locationTypes, { name: 'Odd', content_types: ['extras.tag'] });
      expect(badType.body).toEqual({
        content_types: ['extras.tag objects cannot be assigned to locations.'],
      });
    });

    it('restricts what may be assigned to a location by its type', async () => {
      const type = await switchType(t, s.manufacturer, 'CT-1', 0);
      const res = await t.api.post(DCIM.devices, device(s, type, 'in-region', { location: s.region.id }));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ location: ['Devices may not associate to locations of type "Region".'] });
      const rack = await t.api.post(DCIM.racks, {
        name: 'R-region',
        location: s.region.id,
        status: 'Active',
      });
      expect(rack.body).toEqual({ location: ['Racks may not associate to locations of type "Region".'] });
    });

    it('checks a bulk write of devices and racks in as many statements whatever its size, each error on its object', async () => {
      const type = await switchType(t, s.manufacturer, 'CT-bulk', 0);
      const post = async (path: string, n: number, body: (i: number) => Obj) =>
        t.api.post(
          path,
          Array.from({ length: n }, (_, i) => body(i)),
        );
      const devices = (n: number, tag: string) =>
        post(DCIM.devices, n, (i) =>
          device(s, type, `bulk-${tag}-${i}`, { location: [s.site, s.otherSite, s.room][i % 3].id }),
        );
      const racks = (n: number, tag: string) =>
        post(DCIM.racks, n, (i) => ({
          name: `bulk-${tag}-${i}`,
          location: [s.site, s.otherSite][i % 2].id,
          status: 'Active',
        }));
      const [d6, d60, r6, r60] = [
        await devices(6, 'a'),
        await devices(60, 'b'),
        await racks(6, 'a'),
        await racks(60, 'b'),
      ];
      expect([d6.status, d60.status, r6.status, r60.status]).toEqual([201, 201, 201, 201]);
      expect({ devices: d60.queries, racks: r60.queries }).toEqual({
        devices: d6.queries,
        racks: r6.queries,
      });

      // The one read of the write's locations still puts each refusal on its own object.
      const mixed = await t.api.post(DCIM.devices, [
        device(s, type, 'bulk-ok'),
        device(s, type, 'bulk-region', { location: s.region.id }),
        device(s, type, 'bulk-ok-2', { location: s.room.id }),
      ]);
      expect(mixed.status).toBe(400);
      expect(mixed.body).toEqual([
        {},
        { location: ['Devices may not associate to locations of type "Region".'] },
        {},
      ]);
    });
  });

  describe('racks and devices', () => {
    let rack: Obj;
    let oneU: Obj;
    let twoU: Obj;
    let halfDepth: Obj;

    beforeAll(async () => {
      rack = await create(t.api, DCIM.racks, {
        name: 'R1',
        location: s.room.id,
        status: 'Active',
        u_height: 10,
      });
      oneU = await switchType(t, s.manufacturer, '1U', 0);
      twoU = await switchType(t, s.manufacturer, '2U', 0, { u_height: 2 });
      halfDepth = await switchType(t, s.manufacturer, 'Half', 0, { is_full_depth: false });
    });

    it('keeps a rack group and its racks in their location', async () => {
      const group = await create(t.api, DCIM.rackGroups, { name: 'G-FRA', location: s.otherSite.id });
      const bad = await t.api.post(DCIM.racks, {
        name: 'R-x',
        location: s.site.id,
        rack_group: group.id,
        status: 'Active',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.rack_group[0]).toMatch(/belongs to a location \("FRA"\) that does not include/);
      const child = await t.api.post(DCIM.rackGroups, {
        name: 'G-child',
        location: s.site.id,
        parent: group.id,
      });
      expect(child.status).toBe(400);
      expect(child.body.location[0]).toMatch(/parent rack group "G-FRA" belongs to location "FRA"/);
      // A group at the site may hold a rack of a room below it.
      const siteGroup = await create(t.api, DCIM.rackGroups, { name: 'G-AMS', location: s.site.id });
      await create(t.api, DCIM.racks, {
        name: 'R-room',
        location: s.room.id,
        rack_group: siteGroup.id,
        status: 'Active',
      });
    });

    it("keeps a device's rack within its location", async () => {
      const inFra = await t.api.post(
        DCIM.devices,
        device(s, oneU, 'd-fra', { location: s.otherSite.id, rack: rack.id }),
      );
      expect(inFra.body).toEqual({
        rack: ['Rack "R1" does not belong to location "FRA" and its descendants.'],
      });
      // The rack is in a room below the site: a device at the site may use it.
      await create(t.api, DCIM.devices, device(s, oneU, 'd-site', { rack: rack.id }));
    });

    it('checks positions, faces and rack units', async () => {
      const base = { rack: rack.id };
      const faceless = await t.api.post(DCIM.devices, device(s, oneU, 'x1', { ...base, position: 1 }));
      expect(faceless.body).toEqual({ face: ['Must specify rack face when defining rack position.'] });
      const rackless = await t.api.post(DCIM.devices, device(s, oneU, 'x2', { position: 1, face: 'front' }));
      expect(rackless.body).toEqual({
        position: ['Cannot select a rack position without assigning a rack.'],
        face: ['Cannot select a rack face without assigning a rack.'],
      });

      await create(t.api, DCIM.devices, device(s, twoU, 'u1-2', { ...base, position: 1, face: 'front' }));
      const overlap = await t.api.post(
        DCIM.devices,
        device(s, oneU, 'u2', { ...base, position: 2, face: 'rear' }),
      );
      expect(overlap.status).toBe(400);
      expect(overlap.body.position[0]).toMatch(/^U2 is already occupied by u1-2/);
      // Half-depth devices share a unit, one per face.
      await create(
        t.api,
        DCIM.devices,
        device(s, halfDepth, 'h-front', { ...base, position: 5, face: 'front' }),
      );
      await create(
        t.api,
        DCIM.devices,
        device(s, halfDepth, 'h-rear', { ...base, position: 5, face: 'rear' }),
      );
      const third = await t.api.post(
        DCIM.devices,
        device(s, halfDepth, 'h3', { ...base, position: 5, face: 'rear' }),
      );
      expect(third.body.position[0]).toMatch(/^U5 is already occupied by h-rear/);
      const top = await t.api.post(
        DCIM.devices,
        device(s, twoU, 'top', { ...base, position: 10, face: 'front' }),
      );
      expect(top.body.position[0]).toMatch(/^U10 does not have sufficient space in rack R1 \(10U\)/);
      // Two devices of one bulk request clash with each other.
      const bulk = await t.api.post(DCIM.devices, [
        device(s, oneU, 'b1', { ...base, position: 7, face: 'front' }),
        device(s, oneU, 'b2', { ...base, position: 7, face: 'front' }),
      ]);
      expect(bulk.status).toBe(400);
      expect(bulk.body).toHaveLength(2);
      expect(bulk.body[0].position[0]).toMatch(/occupied by b2/);
      expect((await t.api.get(`${DCIM.devices}?name=b1`)).body.count).toBe(0);
      // 0U devices take no units and may not have a position.
      const zeroU = await switchType(t, s.manufacturer, 'PDU', 0, { u_height: 0 });
      await create(t.api, DCIM.devices, device(s, zeroU, 'pdu1', { ...base }));
      const zeroPos = await t.api.post(
        DCIM.devices,
        device(s, zeroU, 'pdu2', { ...base, position: 8, face: 'front' }),
      );
      expect(zeroPos.body.position[0]).toMatch(/A U0 device type .* cannot be assigned to a rack position/);
    });

    it('keeps rack and device type changes from breaking racked devices', async () => {
      const shrink = await t.api.patch(`${DCIM.racks}${rack.id}/`, { u_height: 4 });
      expect(shrink.body).toEqual({
        u_height: ['Rack must be at least 5U tall to house currently installed devices.'],
      });
      // Making the half-depth type full depth would put h-front and h-rear into one another.
      const deeper = await t.api.patch(`${DCIM.deviceTypes}${halfDepth.id}/`, { is_full_depth: true });
      expect(deeper.status).toBe(400);
      expect(deeper.body.u_height[0]).toMatch(/no longer fits its rack: U5 is already occupied/);
      const taller = await t.api.patch(`${DCIM.deviceTypes}${twoU.id}/`, { u_height: 5 });
      expect(taller.body.u_height[0]).toMatch(/no longer fits its rack/);
      const flat = await t.api.patch(`${DCIM.deviceTypes}${twoU.id}/`, { u_height: 0 });
      expect(flat.body).toEqual({
        u_height: ['Unable to set 0U height: Found 1 instances already mounted within racks.'],
      });
      expect((await t.api.patch(`${DCIM.deviceTypes}${twoU.id}/`, { u_height: 3 })).status).toBe(200);
    });

    it('makes device names unique per location and tenant (no tenant counts as one)', async () => {
      const tenant = await create(t.api, '/api/tenancy/tenants/', { name: 'T1' });
      await create(t.api, DCIM.devices, device(s, oneU, 'same'));
      const dup = await t.api.post(DCIM.devices, device(s, oneU, 'same'));
      expect(dup.body).toEqual({
        name: ['A device named same with no tenant already exists in location AMS.'],
      });
      await create(t.api, DCIM.devices, device(s, oneU, 'same', { tenant: tenant.id }));
      const dupT = await t.api.post(DCIM.devices, device(s, oneU, 'same', { tenant: tenant.id }));
      expect(dupT.body).toEqual({
        name: ['A device named same of tenant T1 already exists in location AMS.'],
      });
      await create(t.api, DCIM.devices, device(s, oneU, 'same', { location: s.otherSite.id }));
      // Unnamed devices never clash.
      await create(t.api, DCIM.devices, [device(s, oneU, null), device(s, oneU, null)]);
      const bulk = await t.api.post(DCIM.devices, [device(s, oneU, 'twin'), device(s, oneU, 'twin')]);
      expect(bulk.status).toBe(400);
      expect(bulk.body[1]).toEqual({
        name: ['A device named twin with no tenant already exists in location AMS.'],
      });
    });

    it('checks the platform manufacturer', async () => {
      const other = await create(t.api, DCIM.manufacturers, { name: 'Other' });
      const platform = await create(t.api, DCIM.platforms, { name: 'os', manufacturer: other.id });
      const res = await t.api.post(DCIM.devices, device(s, oneU, 'p1', { platform: platform.id }));
      expect(res.body).toEqual({
        platform: [
          "The assigned platform is limited to Other device types, but this device's type belongs to Acme.",
        ],
      });
    });
  });

  describe('virtual chassis', () => {
    it('takes the master in as a member, keeps positions unique and the master a member', async () => {
      const type = await switchType(t, s.manufacturer, 'VC-sw', 2);
      const [m, n, o] = await create(t.api, DCIM.devices, [
        device(s, type, 'vc-m'),
        device(s, type, 'vc-n'),
        device(s, type, 'vc-o'),
      ]);
      const vc = await create(t.api, DCIM.virtualChassis, { name: 'stack1', master: m.id });
      const master = (await t.api.get(`${DCIM.devices}${m.id}/`)).body;
      expect(master.virtual_chassis.id).toBe(vc.id);
      expect(master.vc_position).toBe(1);

      const noPos = await t.api.patch(`${DCIM.devices}${n.id}/`, { virtual_chassis: vc.id });
      expect(noPos.body).toEqual({
        vc_position: ['A device assigned to a virtual chassis must have its position defined.'],
      });
      const taken = await t.api.patch(`${DCIM.devices}${n.id}/`, { virtual_chassis: vc.id, vc_position: 1 });
      expect(taken.status).toBe(400);
      expect(taken.body.vc_position[0]).toMatch(/already exists/);
      await t.api.patch(`${DCIM.devices}${n.id}/`, { virtual_chassis: vc.id, vc_position: 2 });

      const outsider = await t.api.patch(`${DCIM.virtualChassis}${vc.id}/`, { master: o.id });
      expect(outsider.body).toEqual({
        master: ['The selected master (vc-o) is not assigned to this virtual chassis.'],
      });
      const leave = await t.api.patch(`${DCIM.devices}${m.id}/`, {
        virtual_chassis: null,
        vc_position: null,
      });
      expect(leave.body).toEqual({
        virtual_chassis: ['The master device for the virtual chassis (stack1) may not be removed.'],
      });
      const busy = await t.api.post(DCIM.virtualChassis, { name: 'stack2', master: n.id });
      expect(busy.body).toEqual({
        master: ['The selected master (vc-n) is already a member of virtual chassis stack1.'],
      });

      // Members' interfaces may form a LAG across the chassis; the master lists them all.
      const ifaces = (await t.api.get(`${DCIM.interfaces}?device=vc-n`)).body.results;
      const lag = await create(t.api, DCIM.interfaces, { device: m.id, name: 'Po1', type: 'lag' });
      const member = await t.api.patch(`${DCIM.interfaces}${ifaces[0].id}/`, { lag: lag.id });
      expect(member.status).toBe(200);
      const viaMaster = await t.api.get(`${DCIM.interfaces}?device=${m.id}&limit=0`);
      expect(viaMaster.body.count).toBe(5);
      const viaMember = await t.api.get(`${DCIM.interfaces}?device_with_common_vc=${n.id}&limit=0`);
      expect(viaMember.body.count).toBe(5);
      expect((await t.api.get(`${DCIM.interfaces}?device=${n.id}&limit=0`)).body.count).toBe(2);
      // ... except the members' management interfaces (device_with_common_vc keeps them).
      const memberMgmt = ifaces.find((i: Obj) => i.id !== ifaces[0].id);
      await t.api.patch(`${DCIM.interfaces}${memberMgmt.id}/`, { mgmt_only: true });
      expect((await t.api.get(`${DCIM.interfaces}?device=${m.id}&limit=0`)).body.count).toBe(4);
      expect((await t.api.get(`${DCIM.interfaces}?device_with_common_vc=${m.id}&limit=0`)).body.count).toBe(
        5,
      );
      expect((await t.api.get(`${DCIM.interfaces}?device=${n.id}&mgmt_only=true`)).body.count).toBe(1);
      const del = await t.api.delete(`${DCIM.virtualChassis}${vc.id}/`);
      expect(del.status).toBe(409);
      expect(del.body.detail).toMatch(/cross-chassis LAG/);
      await t.api.patch(`${DCIM.interfaces}${ifaces[0].id}/`, { lag: null });
      expect((await t.api.delete(`${DCIM.virtualChassis}${vc.id}/`)).status).toBe(204);
      const released = (await t.api.get(`${DCIM.devices}?name=vc-m&name=vc-n`)).body.results;
      expect(released.map((d: Obj) => [d.virtual_chassis, d.vc_position])).toEqual([
        [null, null],
        [null, null],
      ]);
    });
  });

  describe('device bays', () => {
    it('holds child devices of the same location, one bay each', async () => {
      const chassisType = await switchType(t, s.manufacturer, 'Chassis', 0, {
        subdevice_role: 'parent',
        u_height: 4,
      });
      const bladeType = await switchType(t, s.manufacturer, 'Blade', 1, {
        subdevice_role: 'child',
        u_height: 0,
      });
      const plainType = await switchType(t, s.manufacturer, 'Plain', 0);
      const badTemplate = await t.api.post(DCIM.deviceBayTemplates, {
        device_type: plainType.id,
        name: 'Bay',
      });
      expect(badTemplate.body).toEqual({
        device_type: ['Subdevice role of device type (Plain) must be set to "parent" to allow device bays.'],
      });
      await create(t.api, DCIM.deviceBayTemplates, [
        { device_type: chassisType.id, name: 'Bay 1' },
        { device_type: chassisType.id, name: 'Bay 2' },
      ]);
      const declassify = await t.api.patch(`${DCIM.deviceTypes}${chassisType.id}/`, { subdevice_role: '' });
      expect(declassify.body.subdevice_role[0]).toMatch(/Must delete all device bay templates/);
      const childU = await t.api.post(DCIM.deviceTypes, {
        manufacturer: s.manufacturer.id,
        model: 'Tall blade',
        subdevice_role: 'child',
        u_height: 1,
      });
      expect(childU.body).toEqual({ u_height: ['Child device types must be 0U.'] });

      const chassis = await create(t.api, DCIM.devices, device(s, chassisType, 'chassis1'));
      const bays = (await t.api.get(`${DCIM.deviceBays}?device=${chassis.id}`)).body.results;
      expect(bays.map((b: Obj) => b.name)).toEqual(['Bay 1', 'Bay 2']);
      const [blade, plain] = await create(t.api, DCIM.devices, [
        device(s, bladeType, 'blade1'),
        device(s, plainType, 'plain1'),
      ]);
      const farBlade = await create(
        t.api,
        DCIM.devices,
        device(s, bladeType, 'blade-far', { location: s.otherSite.id }),
      );
      const install = (bay: Obj, dev: Obj | null) =>
        t.api.patch(`${DCIM.deviceBays}${bay.id}/`, { installed_device: dev ? dev.id : null });

      expect((await install(bays[0], plain)).body).toEqual({
        installed_device: [
          'Cannot install device "plain1"; device type "Plain" has no subdevice role defined as "child".',
        ],
      });
      expect((await install(bays[0], chassis)).body).toEqual({
        installed_device: ['Cannot install a device into itself.'],
      });
      expect((await install(bays[0], farBlade)).body).toEqual({
        installed_device: ['Cannot install device "blade-far": it is not in the parent device\'s location.'],
      });
      expect((await install(bays[0], blade)).status).toBe(200);
      expect((await install(bays[1], blade)).body).toEqual({
        installed_device: ['Device "blade1" is already installed in bay Bay 1 of chassis1.'],
      });
      const onPlain = await t.api.post(DCIM.deviceBays, { device: plain.id, name: 'Extra' });
      expect(onPlain.body).toEqual({ device: ['This type of device (Plain) does not support device bays.'] });

      // The child follows its parent to another location.
      expect((await t.api.patch(`${DCIM.devices}${chassis.id}/`, { location: s.otherSite.id })).status).toBe(
        200,
      );
      expect((await t.api.get(`${DCIM.devices}${blade.id}/`)).body.location.id).toBe(s.otherSite.id);
    });
  });
});
