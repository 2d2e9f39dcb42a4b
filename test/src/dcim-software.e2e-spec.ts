import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { DCIM, buildSite, create, device, switchType, type Obj, type Site } from './dcim-fixtures';
import { UiSession, text } from './ui-helpers';

const VERSIONS = '/api/dcim/software-versions/';
const IMAGES = '/api/dcim/software-image-files/';

/** Software versions, their image files and the software of devices (Nautobot 2.2). */
describe(onDatabase('dcim software'), () => {
  let t: TestApp;
  let s: Site;
  let ios: Obj;
  let junos: Obj;
  let typeA: Obj;
  let typeB: Obj;
  let v17: Obj;
  let v16: Obj;
  let imgA: Obj;
  let imgDefault: Obj;
  let leaf1: Obj;

  const ids = (res: { body: { results: Obj[] } }) => res.body.results.map((o) => o.id as string).sort();

  beforeAll(async () => {
    t = await createTestApp();
    s = await buildSite(t);
    ios = await create(t.api, DCIM.platforms, { name: 'IOS-XE', manufacturer: s.manufacturer.id });
    junos = await create(t.api, DCIM.platforms, { name: 'Junos' });
    typeA = await switchType(t, s.manufacturer, 'SW-A', 0);
    typeB = await switchType(t, s.manufacturer, 'SW-B', 0);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates versions with Nautobot names and rejects bad ones naming the field', async () => {
    v17 = await create(t.api, VERSIONS, {
      platform: ios.id,
      version: '17.9.4',
      alias: 'Cupertino 17.9.4',
      release_date: '2023-08-01',
      end_of_support_date: '2028-08-01',
      documentation_url: 'https://example.com/ios/17.9',
      long_term_support: true,
      status: 'Active',
      tags: [],
    });
    expect(v17).toMatchObject({
      object_type: 'dcim.softwareversion',
      display: 'Cupertino 17.9.4',
      version: '17.9.4',
      platform: { id: ios.id },
      release_date: '2023-08-01',
      end_of_support_date: '2028-08-01',
      long_term_support: true,
      pre_release: false,
      status: { object_type: 'extras.status' },
    });
    expect(v17.url).toMatch(/\/api\/dcim\/software-versions\/[0-9a-f-]{36}\/$/);
    v16 = await create(t.api, VERSIONS, { platform: ios.id, version: '16.12.1', status: 'Deprecated' });
    expect(v16.display).toBe('IOS-XE - 16.12.1');

    const cases: [Obj, string][] = [
      [{ platform: ios.id, version: '17.9.4', status: 'Active' }, 'version'],
      [
        { platform: ios.id, version: '1', status: 'Active', documentation_url: 'javascript:alert(1)' },
        'documentation_url',
      ],
      [
        { platform: ios.id, version: '2', status: 'Active', documentation_url: 'ftp://example.com/x' },
        'documentation_url',
      ],
      [{ platform: ios.id, version: '3', status: 'Connected' }, 'status'],
      [{ platform: ios.id, version: '4', status: 'Active', release_date: 'yesterday' }, 'release_date'],
      [{ version: '5', status: 'Active' }, 'platform'],
    ];
    for (const [body, field] of cases) {
      const res = await t.api.post(VERSIONS, body);
      expect({ body, status: res.status, fields: Object.keys(res.body as Obj) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    // The same version on another platform is another version.
    await create(t.api, VERSIONS, { platform: junos.id, version: '17.9.4', status: 'Active' });
    // A bulk create is atomic: one bad item keeps the others out.
    const bulk = await t.api.post(VERSIONS, [
      { platform: junos.id, version: '23.4R1', status: 'Active' },
      { platform: junos.id, version: '23.4R2', status: 'Active', documentation_url: 'nope' },
    ]);
    expect(bulk.status).toBe(400);
    expect((await t.api.get(`${VERSIONS}?version=23.4R1`)).body.count).toBe(0);
  });

  it('creates image files for device types, unique per version, with checked URLs and hashes', async () => {
    imgA = await create(t.api, IMAGES, {
      software_version: v17.id,
      image_file_name: 'cat9k_iosxe.17.09.04.SPA.bin',
      image_file_checksum: 'a'.repeat(64),
      hashing_algorithm: 'sha256',
      image_file_size: 1234567890123,
      download_url: 'ftp://files.example.com/cat9k_iosxe.17.09.04.SPA.bin',
      device_types: [typeA.id],
      status: 'Active',
    });
    expect(imgA).toMatchObject({
      object_type: 'dcim.softwareimagefile',
      display: 'Cupertino 17.9.4 - cat9k_iosxe.17.09.04.SPA.bin',
      software_version: { id: v17.id },
      hashing_algorithm: { value: 'sha256', label: 'SHA-256' },
      image_file_size: 1234567890123,
      default_image: false,
      device_types: [{ id: typeA.id }],
    });
    imgDefault = await create(t.api, IMAGES, {
      software_version: v17.id,
      image_file_name: 'universal.bin',
      default_image: true,
      status: 'Active',
    });
    const cases: [Obj, string][] = [
      [{ software_version: v17.id, image_file_name: 'universal.bin', status: 'Active' }, 'image_file_name'],
      [
        { software_version: v17.id, image_file_name: 'x.bin', status: 'Active', hashing_algorithm: 'crc32' },
        'hashing_algorithm',
      ],
      [
        { software_version: v17.id, image_file_name: 'x.bin', status: 'Active', image_file_size: -1 },
        'image_file_size',
      ],
      [
        {
          software_version: v17.id,
          image_file_name: 'x.bin',
          status: 'Active',
          download_url: 'file:///etc/passwd',
        },
        'download_url',
      ],
      [
        {
          software_version: v17.id,
          image_file_name: 'x.bin',
          status: 'Active',
          device_types: ['00000000-0000-0000-0000-000000000000'],
        },
        'device_types',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await t.api.post(IMAGES, body);
      expect({ body, status: res.status, fields: Object.keys(res.body as Obj) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    // Another version may have a file of the same name.
    await create(t.api, IMAGES, {
      software_version: v16.id,
      image_file_name: 'universal.bin',
      status: 'Active',
    });
  });

  it('assigns software to devices; image files must be for the device type or default images', async () => {
    leaf1 = await create(
      t.api,
      DCIM.devices,
      device(s, typeA, 'leaf1', {
        platform: ios.id,
        software_version: v17.id,
        software_image_files: [imgA.id],
      }),
    );
    expect(leaf1).toMatchObject({
      software_version: { id: v17.id },
      software_image_files: [{ id: imgA.id }],
    });
    const leaf2 = await create(t.api, DCIM.devices, device(s, typeB, 'leaf2', { software_version: v17.id }));
    // typeB is not among imgA's device types; a default image fits any type.
    const bad = await t.api.patch(`${DCIM.devices}${leaf2.id}/`, { software_image_files: [imgA.id] });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      software_image_files: [
        "Software image file cat9k_iosxe.17.09.04.SPA.bin for version '17.9.4' is not valid for device type SW-B.",
      ],
    });
    const ok = await t.api.patch(`${DCIM.devices}${leaf2.id}/`, { software_image_files: [imgDefault.id] });
    expect(ok.status).toBe(200);
    // Changing leaf1's type away from the image's type is checked too.
    const retype = await t.api.patch(`${DCIM.devices}${leaf1.id}/`, { device_type: typeB.id });
    expect(retype.status).toBe(400);
    expect(Object.keys(retype.body as Obj)).toEqual(['software_image_files']);
    // A version in use is protected; an unknown version is a 400 on the field.
    const del = await t.api.delete(`${VERSIONS}${v17.id}/`);
    expect(del.status).toBe(409);
    const unknown = await t.api.patch(`${DCIM.devices}${leaf2.id}/`, {
      software_version: '00000000-0000-0000-0000-000000000000',
    });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body as Obj)).toEqual(['software_version']);
  });

  it('assigns software to inventory items and virtual machines too, with the same filter', async () => {
    const item = await create(t.api, '/api/dcim/inventory-items/', {
      device: leaf1.id,
      name: 'Supervisor',
      software_version: v17.id,
    });
    expect(item.software_version).toEqual(expect.objectContaining({ id: v17.id }));
    const items = await t.api.get(`/api/dcim/inventory-items/?software_version=${String(v17.id)}`);
    expect(items.body.results.map((i: Obj) => i.id)).toEqual([item.id]);
    const ctype = await create(t.api, '/api/virtualization/cluster-types/', { name: 'KVM' });
    const cluster = await create(t.api, '/api/virtualization/clusters/', {
      name: 'c1',
      cluster_type: ctype.id,
    });
    const vm = await create(t.api, '/api/virtualization/virtual-machines/', {
      name: 'vm1',
      cluster: cluster.id,
      status: 'Active',
      software_version: v16.id,
    });
    const vms = await t.api.get(`/api/virtualization/virtual-machines/?software_version=${String(v16.id)}`);
    expect(vms.body.results.map((v: Obj) => v.id)).toEqual([vm.id]);
    // A version something runs stays (PROTECT), whatever runs it.
    expect((await t.api.delete(`/api/dcim/software-versions/${String(v16.id)}/`)).status).toBe(409);
    await t.api.delete(`/api/virtualization/virtual-machines/${String(vm.id)}/`);
    await t.api.delete(`/api/dcim/inventory-items/${String(item.id)}/`);
  });

  it('filters versions, image files, devices and device types by their software', async () => {
    const get = (path: string) => t.api.get(path);
    expect(ids(await get(`${VERSIONS}?platform=IOS-XE`))).toEqual([v16.id, v17.id].sort());
    expect(ids(await get(`${VERSIONS}?status=Deprecated`))).toEqual([v16.id]);
    expect(ids(await get(`${VERSIONS}?long_term_support=true`))).toEqual([v17.id]);
    expect(ids(await get(`${VERSIONS}?q=cupertino`))).toEqual([v17.id]);
    expect(ids(await get(`${VERSIONS}?has_devices=true`))).toEqual([v17.id]);
    expect(ids(await get(`${VERSIONS}?devices=leaf1`))).toEqual([v17.id]);
    expect(ids(await get(`${VERSIONS}?device_types=SW-A`))).toEqual([v17.id]);
    expect(ids(await get(`${VERSIONS}?software_image_files=cat9k_iosxe.17.09.04.SPA.bin`))).toEqual([v17.id]);
    expect((await get(`${VERSIONS}?has_software_image_files=false`)).body.count).toBe(1);

    expect(ids(await get(`${IMAGES}?software_version=${v17.id}`))).toEqual([imgA.id, imgDefault.id].sort());
    expect((await get(`${IMAGES}?platform=IOS-XE`)).body.count).toBe(3);
    expect(ids(await get(`${IMAGES}?device_types=${typeA.id}`))).toEqual([imgA.id]);
    expect(ids(await get(`${IMAGES}?has_device_types=true`))).toEqual([imgA.id]);
    expect(ids(await get(`${IMAGES}?default_image=true`))).toEqual([imgDefault.id]);
    expect(ids(await get(`${IMAGES}?hashing_algorithm=sha256`))).toEqual([imgA.id]);
    expect(ids(await get(`${IMAGES}?devices=leaf1`))).toEqual([imgA.id]);
    expect(ids(await get(`${IMAGES}?q=cat9k`))).toEqual([imgA.id]);
    expect((await get(`${IMAGES}?has_devices=false`)).body.count).toBe(1);

    expect(ids(await get(`${DCIM.devices}?software_version=${v17.id}`))).toHaveLength(2);
    expect(ids(await get(`${DCIM.devices}?software_version=17.9.4`))).toHaveLength(2);
    expect(ids(await get(`${DCIM.devices}?software_version=16.12.1`))).toHaveLength(0);
    expect(ids(await get(`${IMAGES}?software_version=16.12.1`))).toHaveLength(1);
    expect(ids(await get(`${IMAGES}?device_types=SW-A`))).toEqual([imgA.id]);
    expect(ids(await get(`${IMAGES}?device_types=${s.manufacturer.name};SW-A`))).toEqual([imgA.id]);
    expect((await get(`${DCIM.devices}?has_software_version=true`)).body.count).toBe(2);
    expect(ids(await get(`${DCIM.devices}?software_image_files=${imgA.id}`))).toEqual([leaf1.id]);
    expect((await get(`${DCIM.devices}?has_software_image_files=true`)).body.count).toBe(2);
    expect(ids(await get(`${DCIM.deviceTypes}?has_software_image_files=true`))).toEqual([typeA.id]);
    expect(ids(await get(`${DCIM.deviceTypes}?software_image_files=${imgA.id}`))).toEqual([typeA.id]);

    const bad = await get(`${VERSIONS}?has_devices=maybe`);
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body as Obj)).toEqual(['has_devices']);
  });

  it('answers GraphQL: versions with image files and devices, devices with software', async () => {
    const res = await t.api.post('/api/graphql/', {
      query: `{ software_versions(version: "17.9.4", platform: "IOS-XE") {
          version alias long_term_support platform { name } status { name }
          software_image_files { image_file_name default_image device_types { model } }
          devices { name } }
        devices(name: "leaf1") { name software_version { version } software_image_files { image_file_name } }
        device_types(model: "SW-A") { model software_image_files { image_file_name } } }`,
    });
    expect(res.body.errors).toBeUndefined();
    const [v] = res.body.data.software_versions as Obj[];
    expect(v).toMatchObject({
      version: '17.9.4',
      alias: 'Cupertino 17.9.4',
      long_term_support: true,
      platform: { name: 'IOS-XE' },
      status: { name: 'Active' },
    });
    expect((v.software_image_files as Obj[]).map((f) => f.image_file_name).sort()).toEqual([
      'cat9k_iosxe.17.09.04.SPA.bin',
      'universal.bin',
    ]);
    expect((v.devices as Obj[]).map((d) => d.name).sort()).toEqual(['leaf1', 'leaf2']);
    expect(res.body.data.devices).toEqual([
      {
        name: 'leaf1',
        software_version: { version: '17.9.4' },
        software_image_files: [{ image_file_name: 'cat9k_iosxe.17.09.04.SPA.bin' }],
      },
    ]);
    expect(res.body.data.device_types).toEqual([
      { model: 'SW-A', software_image_files: [{ image_file_name: 'cat9k_iosxe.17.09.04.SPA.bin' }] },
    ]);
  });

  it('exports and imports CSV, change-logs writes and checks permissions', async () => {
    const csv = await t
      .http()
      .get(`${VERSIONS}?format=csv&platform=IOS-XE`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(csv.status).toBe(200);
    const [header] = csv.text.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['platform', 'version', 'alias', 'release_date', 'status', 'long_term_support']),
    );
    expect(csv.text).toContain('17.9.4');

    const ui = await new UiSession(t.baseUrl).login();
    const bad = await ui.post('/dcim/software-versions/import/', {
      csv_data: 'platform,version,status,documentation_url\nJunos,24.2R1,Active,gopher://x\n',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('documentation_url');
    const ok = await ui.post('/dcim/software-versions/import/', {
      csv_data: 'platform,version,status,pre_release\nJunos,24.2R1,Active,true\n',
    });
    expect(ok.status).toBe(303);
    const imported = (await t.api.get(`${VERSIONS}?version=24.2R1`)).body.results[0] as Obj;
    expect(imported).toMatchObject({ platform: { id: junos.id }, pre_release: true });
    const images = await ui.post('/dcim/software-image-files/import/', {
      csv_data: `software_version,image_file_name,status,hashing_algorithm\n${imported.id},junos-24.2R1.tgz,Active,md5\n`,
    });
    expect(images.status).toBe(303);
    const exported = await t
      .http()
      .get(`${IMAGES}?format=csv&software_version=${imported.id}`)
      .set('Authorization', `Token ${t.api.token}`);
    expect(exported.text).toContain('junos-24.2R1.tgz');

    await t.api.patch(`${VERSIONS}${imported.id}/`, { alias: 'Junos 24.2' });
    const changes = await t.api.get(`/api/extras/object-changes/?changed_object_id=${imported.id}`);
    expect(changes.body.results[0]).toMatchObject({
      action: { value: 'update' },
      changed_object_type: 'dcim.softwareversion',
      prechange_data: { alias: '' },
      postchange_data: { alias: 'Junos 24.2' },
    });

    // Deleting a platform deletes its versions and their image files, unless a device runs one.
    const inUse = await t.api.delete(`${DCIM.platforms}${ios.id}/`);
    expect(inUse.status).toBe(409);
    expect((await t.api.get(`${VERSIONS}?platform=IOS-XE`)).body.count).toBe(2);
    expect((await t.api.delete(`${DCIM.platforms}${junos.id}/`)).status).toBe(204);
    expect((await t.api.get(`${VERSIONS}?version=24.2R1`)).body.count).toBe(0);
    expect((await t.api.get(`${IMAGES}?q=junos-24.2R1`)).body.count).toBe(0);

    const { api } = await t.createUser('software-viewer', [
      { actions: ['view'], object_types: ['dcim.softwareversion'] },
    ]);
    expect((await api.get(VERSIONS)).status).toBe(200);
    expect((await api.get(IMAGES)).status).toBe(403);
    expect((await api.post(VERSIONS, { platform: ios.id, version: 'x', status: 'Active' })).status).toBe(403);
  });
});
