import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importDeviceTypes, readDeviceTypeSources, type ImportSummary } from '@plinth/dcim';
import { OBJECTS, type ObjectsService } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp } from '@plinth/testing';
import { ROOT, installation, plinth } from './cli-helpers';
import { DCIM, buildSite, create, device, type Obj } from './dcim-fixtures';

// The community library's files, copied unmodified (see test/fixtures/devicetype-library/README.md).
const LIBRARY = path.join(ROOT, 'test/fixtures/devicetype-library/device-types');
const FIXTURES = path.join(ROOT, 'libs/dcim/test-fixtures/devicetypes');

/** Template counts per library file (from the library's own README), in this order. */
const KINDS = [
  'interfaces',
  'console',
  'console-server',
  'power',
  'outlets',
  'front',
  'rear',
  'bays',
] as const;
const TEMPLATE_PATHS: Record<(typeof KINDS)[number], string> = {
  interfaces: DCIM.interfaceTemplates,
  console: DCIM.consolePortTemplates,
  'console-server': DCIM.consoleServerPortTemplates,
  power: DCIM.powerPortTemplates,
  outlets: DCIM.powerOutletTemplates,
  front: DCIM.frontPortTemplates,
  rear: DCIM.rearPortTemplates,
  bays: DCIM.deviceBayTemplates,
};
const EXPECTED: Record<string, [string, string, number[]]> = {
  'APC/AP4424.yaml': ['APC', 'AP4424', [1, 1, 0, 2, 18, 0, 0, 0]],
  'APC/AP8881.yaml': ['APC', 'AP8881', [1, 3, 0, 1, 42, 0, 0, 0]],
  'Arista/CCS-720DP-24ZS-2F.yaml': ['Arista', 'CCS-720DP-24ZS-2F', [29, 1, 0, 2, 0, 0, 0, 0]],
  'Arista/DCS-7010TX-48-F.yaml': ['Arista', 'DCS-7010TX-48-F', [53, 1, 0, 2, 0, 0, 0, 0]],
  'Arista/DCS-7280SR3-48YC8-F.yaml': ['Arista', 'DCS-7280SR3-48YC8-F', [57, 1, 0, 0, 0, 0, 0, 0]],
  'Arista/DCS-7368.yaml': ['Arista', 'DCS-7368', [0, 0, 0, 0, 0, 0, 0, 0]],
  'Cisco/AS2511RJ.yaml': ['Cisco', 'AS2511RJ', [1, 3, 16, 1, 0, 0, 0, 0]],
  'Cisco/C9200-24T.yaml': ['Cisco', 'Catalyst 9200-24T', [27, 2, 0, 2, 0, 0, 0, 0]],
  'Cisco/Meraki-MX84.yaml': ['Cisco', 'Meraki MX84', [13, 1, 0, 1, 0, 0, 0, 0]],
  'Cisco/UCSB-5108-AC2.yaml': ['Cisco', 'UCSB-5108-AC2', [0, 0, 0, 0, 0, 0, 0, 8]],
  'Dell/DMPU2016-G01.yml': ['Dell', 'DMPU2016-G01', [2, 9, 16, 2, 0, 0, 0, 0]],
  'Dell/PowerEdge-MX7000.yaml': ['Dell', 'PowerEdge MX7000', [0, 0, 0, 6, 0, 0, 0, 16]],
  'Dell/PowerSwitch-s5248f-on.yaml': ['Dell', 'PowerSwitch S5248F-ON', [57, 1, 0, 2, 0, 0, 0, 0]],
  'Generic/24-port-copper-patch-panel.yaml': [
    'Generic',
    '24-port Copper Patch Panel',
    [0, 0, 0, 0, 0, 24, 24, 0],
  ],
  'Generic/LC-24-port-fiber-patch-panel-2x-rear-splice.yaml': [
    'Generic',
    'LC-24-port Fiber Patch Panel 2x Rear Splice',
    [0, 0, 0, 0, 0, 24, 2, 0],
  ],
  'HPE/Aruba-6300M-24SFPP-4SFP56.yaml': ['HPE', 'Aruba 6300M-24SFPP-4SFP56', [29, 2, 0, 0, 0, 0, 0, 0]],
  'HPE/J9805A.yaml': ['HPE', 'Aruba 640 Redundant/External Power Supply Shelf', [0, 0, 0, 0, 8, 0, 0, 0]],
  'Juniper/EX4100-F-48T.yaml': ['Juniper', 'EX4100-F-48T', [56, 2, 0, 1, 0, 0, 0, 0]],
  'Juniper/QFX5120-48Y-DC-AFO2.yaml': ['Juniper', 'QFX5120-48Y-DC-AFO2', [57, 1, 0, 0, 0, 0, 0, 0]],
  'Juniper/SRX345-DUAL-AC.yaml': ['Juniper', 'SRX345-DUAL-AC', [17, 1, 0, 2, 0, 0, 0, 0]],
  'Palo Alto/PA-220-Rack-Tray-Kit.yaml': ['Palo Alto', 'PA-220 Rack Tray Kit', [0, 0, 0, 0, 0, 0, 0, 2]],
  'Palo Alto/PA-220.yaml': ['Palo Alto', 'PA-220', [10, 1, 0, 2, 0, 0, 0, 0]],
  'Ubiquiti/Surge-Protector.yaml': ['Ubiquiti', 'Surge Protector', [0, 0, 0, 0, 0, 1, 1, 0]],
  'Ubiquiti/USP-RPS.yaml': ['Ubiquiti', 'UniFi SmartPower RPS', [1, 0, 0, 1, 6, 0, 0, 0]],
  // Real files that failed before: an unquoted `08` (YAML 1.1 text), a child type without u_height.
  'Panduit/CDPP8RG.yaml': ['Panduit', 'Mini-Com DIN Rail Patch Panel (8 Port)', [0, 0, 0, 0, 0, 8, 8, 0]],
  'Mellanox/SX6012T-1BFS.yaml': ['Mellanox', 'SX6012T-1BFS', [13, 2, 0, 1, 0, 0, 0, 0]],
};

describe(onDatabase('device-type import'), () => {
  let t: TestApp;
  let objects: ObjectsService;
  let first: ImportSummary;

  beforeAll(async () => {
    t = await createTestApp();
    objects = t.app.get<ObjectsService>(OBJECTS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports every file of the community library with all its components', async () => {
    const sources = readDeviceTypeSources(LIBRARY);
    expect(sources.map((s) => path.relative(LIBRARY, s.path)).sort()).toEqual(Object.keys(EXPECTED).sort());
    first = await importDeviceTypes(objects, sources);
    expect(first.files.filter((f) => !f.ok)).toEqual([]);
    expect(first.device_types).toEqual({ created: 26, updated: 0, unchanged: 0 });
    // Component templates, inventory item templates and 36 module bay templates (8 files have module bays).
    expect(first.templates.created).toBe(744);
    // Every key of the library's schema has a place.
    expect(first.ignored).toEqual({});

    for (const [file, [manufacturer, model, counts]] of Object.entries(EXPECTED)) {
      const found = await t.api.get(
        `${DCIM.deviceTypes}?manufacturer=${encodeURIComponent(manufacturer)}&model=${encodeURIComponent(model)}`,
      );
      expect({ file, found: found.body.count }).toEqual({ file, found: 1 });
      const id = found.body.results[0].id;
      const got: number[] = [];
      for (const kind of KINDS)
        got.push((await t.api.get(`${TEMPLATE_PATHS[kind]}?device_type=${id}&limit=1`)).body.count);
      expect({ file, counts: got }).toEqual({ file, counts });
    }
  });

  it('keeps what the files say', async () => {
    const type = async (model: string) =>
      (await t.api.get(`${DCIM.deviceTypes}?model=${encodeURIComponent(model)}`)).body.results[0];
    const arista = await type('DCS-7010TX-48-F');
    expect(arista).toMatchObject({ u_height: 1, part_number: 'DCS-7010TX-48-F' });
    const psus = (await t.api.get(`${DCIM.powerPortTemplates}?device_type=${arista.id}`)).body.results;
    expect(psus.find((p: Obj) => p.name === 'PS1')).toMatchObject({
      maximum_draw: 106,
      type: { value: 'iec-60320-c14' },
    });
    const mgmt = (await t.api.get(`${DCIM.interfaceTemplates}?device_type=${arista.id}&mgmt_only=true`)).body;
    expect(mgmt.count).toBeGreaterThan(0);
    expect(await type('PA-220')).toMatchObject({ u_height: 0, subdevice_role: { value: 'child' } });
    expect(await type('SX6012T-1BFS')).toMatchObject({
      u_height: 0,
      subdevice_role: { value: 'child' },
      airflow: { value: 'rear-to-front', label: 'Rear to front' },
      weight: 2.98,
      weight_unit: { value: 'kg', label: 'Kilograms' },
    });
    const poe = await type('CCS-720DP-24ZS-2F');
    expect(poe).toMatchObject({
      weight: 12.8,
      weight_unit: { value: 'lb' },
      airflow: { value: 'front-to-rear' },
    });
    const pse = (await t.api.get(`${DCIM.interfaceTemplates}?device_type=${poe.id}&poe_mode=pse&limit=0`))
      .body.results;
    expect(pse.length).toBeGreaterThan(0);
    expect(pse[0]).toMatchObject({ poe_mode: { value: 'pse' }, poe_type: { value: 'type3-ieee802.3bt' } });
    expect((await type('AP8881')).description).toMatch(/^APC NetShelter Metered Rack PDU/);
    const din = await type('Mini-Com DIN Rail Patch Panel (8 Port)');
    const p08 = (await t.api.get(`${DCIM.frontPortTemplates}?device_type=${din.id}&name=08&depth=1`)).body
      .results[0];
    expect(p08.rear_port_template.name).toBe('08');
    expect(await type('UCSB-5108-AC2')).toMatchObject({ u_height: 6, subdevice_role: { value: 'parent' } });
    const pdu = await type('AP4424');
    const outlets = (await t.api.get(`${DCIM.powerOutletTemplates}?device_type=${pdu.id}&limit=0`)).body
      .results;
    expect(outlets.filter((o: Obj) => o.power_port_template !== null)).toHaveLength(18);
    expect(outlets.filter((o: Obj) => o.feed_leg?.value === 'A').length).toBeGreaterThan(0);
    const panel = await type('LC-24-port Fiber Patch Panel 2x Rear Splice');
    const p13 = (await t.api.get(`${DCIM.frontPortTemplates}?device_type=${panel.id}&name=Port%2013&depth=1`))
      .body.results[0];
    expect(p13).toMatchObject({ rear_port_position: 1, rear_port_template: { name: 'Splice 2' } });
  });

  it('re-imports idempotently and updates what changed', async () => {
    const again = await importDeviceTypes(objects, readDeviceTypeSources(LIBRARY));
    expect(again.device_types).toEqual({ created: 0, updated: 0, unchanged: 26 });
    expect(again.templates).toEqual({ created: 0, updated: 0, unchanged: 744 });
    expect((await t.api.get(`${DCIM.deviceTypes}?limit=1`)).body.count).toBe(26);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-dt-'));
    try {
      const original = fs.readFileSync(path.join(LIBRARY, 'Cisco/Meraki-MX84.yaml'), 'utf8');
      const changed = original
        .replace(/^part_number: .*$/m, 'part_number: MX84-HW-NEW')
        .replace(/^interfaces:\n/m, 'interfaces:\n  - name: extra0\n    type: 1000base-t\n');
      fs.writeFileSync(path.join(dir, 'mx84.yaml'), changed);
      const updated = await importDeviceTypes(objects, readDeviceTypeSources(dir));
      expect(updated.device_types).toEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(updated.templates).toMatchObject({ created: 1, updated: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const mx = (await t.api.get(`${DCIM.deviceTypes}?model=Meraki%20MX84`)).body.results[0];
    expect(mx.part_number).toBe('MX84-HW-NEW');
    expect((await t.api.get(`${DCIM.interfaceTemplates}?device_type=${mx.id}&limit=1`)).body.count).toBe(14);
  });

  it('reports bad files with their path and reason, and imports the others', async () => {
    const summary = await importDeviceTypes(objects, readDeviceTypeSources(FIXTURES));
    const failed = Object.fromEntries(
      summary.files.filter((f) => !f.ok).map((f) => [path.relative(FIXTURES, f.path), f.error]),
    );
    expect(failed).toEqual({
      'errors/bad-yaml.yaml': expect.stringMatching(/^invalid YAML: .*line 6/),
      'errors/dangling-rear-port.yaml': 'front-ports (P1): rear port "Missing" is not defined',
      'errors/half-unit.yml': expect.stringMatching(/^u_height 0\.5/),
      'errors/missing-model.yaml': 'model is required',
      'errors/unknown-type.yaml': 'interfaces[1] (warp0).type: unknown interface type "warp-drive"',
    });
    expect(summary.imported).toBe(1);
    const fx8 = (await t.api.get(`${DCIM.deviceTypes}?model=FX-8`)).body.results[0] as Obj;
    expect(fx8.airflow.value).toBe('front-to-rear');
    // `inventory-items` become inventory item templates; their manufacturer is created by name.
    const templates = (
      await t.api.get(`/api/dcim/inventory-item-templates/?device_type=${fx8.id}&depth=1`)
    ).body.results.map((x: Obj) => [x.name, x.manufacturer?.name ?? null, x.part_id, x.label]);
    expect(templates.sort()).toEqual([
      ['Fan module', null, '', 'FAN'],
      ['PSU module', 'Fixture Power', 'FP-150', ''],
    ]);
    // ... and every new device of the type starts with them as inventory items.
    const s = await buildSite(t, 'inv-');
    const d = await create(t.api, DCIM.devices, device(s, fx8, 'fx8-1'));
    const items = (await t.api.get(`/api/dcim/inventory-items/?device=${d.id}&depth=1`)).body.results;
    expect(items.map((i: Obj) => [i.name, i.parent, i.manufacturer?.name ?? null, i.part_id])).toEqual([
      ['Fan module', null, null, ''],
      ['PSU module', null, 'Fixture Power', 'FP-150'],
    ]);
    const again = await importDeviceTypes(
      objects,
      readDeviceTypeSources(path.join(FIXTURES, 'good-switch.yaml')),
    );
    expect(again.templates).toMatchObject({ created: 0, updated: 0 });
    expect((await t.api.get(`${DCIM.deviceTypes}?model=Warp`)).body.count).toBe(0);
  });

  it('makes devices of imported types with linked components', async () => {
    const s = await buildSite(t, 'imp-');
    const panel = (
      await t.api.get(
        `${DCIM.deviceTypes}?model=${encodeURIComponent('LC-24-port Fiber Patch Panel 2x Rear Splice')}`,
      )
    ).body.results[0];
    const pdu = (await t.api.get(`${DCIM.deviceTypes}?model=AP8881`)).body.results[0];
    const [p, u] = await create(t.api, DCIM.devices, [device(s, panel, 'panel'), device(s, pdu, 'pdu')]);
    const fronts = (await t.api.get(`${DCIM.frontPorts}?device=${p.id}&limit=0&depth=1`)).body.results;
    expect(fronts).toHaveLength(24);
    expect(fronts.find((f: Obj) => f.name === 'Port 24')).toMatchObject({
      rear_port_position: 12,
      rear_port: { name: 'Splice 2' },
    });
    const outlets = (await t.api.get(`${DCIM.powerOutlets}?device=${u.id}&limit=0`)).body;
    expect(outlets.count).toBe(42);
    expect(outlets.results.every((o: Obj) => o.power_port !== null)).toBe(true);
  });
});

describe(onDatabase('plinth import-devicetypes'), () => {
  it('imports from the command line, prints a summary, and fails on bad files', async () => {
    const { env, dispose } = await installation();
    try {
      expect((await plinth(['migrate'], env)).code).toBe(0);
      const good = await plinth(['import-devicetypes', LIBRARY], env);
      expect(good.err).toBe('');
      expect(good.code).toBe(0);
      expect(good.out).toContain('26 file(s): 26 imported, 0 failed');
      expect(good.out).toContain('device types: 26 created, 0 updated, 0 unchanged');
      expect(good.out).toContain('component templates: 744 created, 0 updated, 0 unchanged');
      expect(good.out).not.toContain('ignored');
      // No terminal: no progress bar.
      expect(good.out).not.toContain('[#');
      const again = await plinth(
        ['import-devicetypes', path.join(LIBRARY, 'Arista/DCS-7010TX-48-F.yaml')],
        env,
      );
      expect(again.out).toContain('device types: 0 created, 0 updated, 1 unchanged');
      const bad = await plinth(['import-devicetypes', FIXTURES], env);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(
        `FAILED ${path.join(FIXTURES, 'errors/unknown-type.yaml')}: interfaces[1] (warp0).type: unknown interface type "warp-drive"`,
      );
      expect(bad.out).toContain('6 file(s): 1 imported, 5 failed');
      expect(bad.err).toContain('plinth: 5 of 6 file(s) could not be imported');
      const missing = await plinth(['import-devicetypes', '/nonexistent/dir'], env);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain('no such file or directory');
    } finally {
      await dispose();
    }
  });
});
