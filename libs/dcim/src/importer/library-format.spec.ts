import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError, parseDeviceType } from './library-format';

const FIXTURES = path.resolve(__dirname, '../../test-fixtures/devicetypes');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('devicetype-library format', () => {
  it('reads a device type, its components, and what Plinth ignores', () => {
    const def = parseDeviceType(read('good-switch.yaml'));
    expect(def).toMatchObject({
      manufacturer: 'Fixture Networks',
      model: 'FX-8',
      part_number: 'FX-8-AC',
      u_height: 1,
      is_full_depth: false,
      subdevice_role: '',
    });
    expect(def.components.interfaces.map((c) => [c.name, c.values.type, c.values.mgmt_only])).toEqual([
      ['mgmt', '1000base-t', true],
      ['ge-0/0/1', '1000base-t', false],
      ['ge-0/0/2', '1000base-t', false],
    ]);
    expect(def.components['power-ports'][0].values).toEqual({
      type: 'iec-60320-c14',
      maximum_draw: 150,
      allocated_draw: 90,
    });
    expect(def.module_bays).toEqual([{ name: 'PSU bay', position: '1', label: '', description: '' }]);
    expect(def.components.interfaces[1].values).toMatchObject({ poe_mode: 'pse', poe_type: '' });
    expect(def).toMatchObject({ airflow: 'front-to-rear', weight: null, weight_unit: '', description: '' });
    expect(def.inventory_items).toEqual([
      { name: 'PSU module', label: '', manufacturer: 'Fixture Power', part_id: 'FP-150', description: '' },
      { name: 'Fan module', label: 'FAN', manufacturer: '', part_id: '', description: 'Hot-swappable fan' },
    ]);
    expect(def.ignored).toEqual([]);
  });

  it('reads YAML 1.1 as the library tooling does, and fills in what the library leaves out', () => {
    const panel = parseDeviceType(
      [
        'manufacturer: P',
        'model: DIN',
        'is_powered: false',
        'front-ports:',
        '  - {name: 08, type: 8p8c, rear_port: 08}',
        'rear-ports:',
        "  - {name: '08', type: 110-punch}",
      ].join('\n'),
    );
    expect(panel.components['front-ports'][0]).toMatchObject({ name: '08', values: { rear_port: '08' } });
    const child = parseDeviceType(
      'manufacturer: M\nmodel: C\nsubdevice_role: child\nweight: 2.98\nweight_unit: kg\n',
    );
    expect(child).toMatchObject({ u_height: 0, weight: 2.98, weight_unit: 'kg' });
    expect(parseDeviceType('manufacturer: M\nmodel: R\n').u_height).toBe(1);
    expect(
      parseDeviceType('manufacturer: M\nmodel: D\ndescription: A PDU\nfront_image: true\n'),
    ).toMatchObject({ description: 'A PDU', ignored: [] });
  });

  it('checks the keys it stores or checks', () => {
    const cases: [string, string][] = [
      ['weight: 3\n', 'weight_unit is required with weight'],
      ['weight: heavy\nweight_unit: kg\n', 'weight must be a number of at least 0 (got "heavy")'],
      ['airflow: upwards\n', 'airflow: unknown airflow "upwards"'],
      [
        'is_powered: false\npower-ports:\n  - {name: PS1, type: iec-60320-c14}\n',
        'is_powered is false, yet the device type has power ports',
      ],
      [
        'interfaces:\n  - {name: e1, type: 1000base-t, poe_mode: both}\n',
        'interfaces[0] (e1).poe_mode: unknown PoE mode "both"',
      ],
      ['front_image: maybe\n', 'front_image must be true or false'],
      ['inventory-items:\n  - {name: A}\n  - {name: A}\n', 'inventory-items: "A" appears twice'],
      ['inventory-items:\n  - {label: A}\n', 'inventory-items[0].name is required'],
    ];
    for (const [extra, message] of cases)
      expect(() => parseDeviceType(`manufacturer: M\nmodel: X\n${extra}`)).toThrow(message);
  });

  it('explains what is wrong with a file', () => {
    const cases: [string, RegExp][] = [
      ['errors/bad-yaml.yaml', /^invalid YAML: .* at line 6, column 1$/],
      ['errors/unknown-type.yaml', /^interfaces\[1\] \(warp0\)\.type: unknown interface type "warp-drive"$/],
      ['errors/missing-model.yaml', /^model is required$/],
      ['errors/half-unit.yml', /^u_height 0\.5: Plinth stores whole rack units only/],
      ['errors/dangling-rear-port.yaml', /^front-ports \(P1\): rear port "Missing" is not defined$/],
    ];
    for (const [file, message] of cases) {
      expect(() => parseDeviceType(read(file))).toThrow(FormatError);
      expect(() => parseDeviceType(read(file))).toThrow(message);
    }
    expect(() => parseDeviceType('- just\n- a list\n')).toThrow('the file must hold a mapping');
    expect(() =>
      parseDeviceType(
        'manufacturer: X\nmodel: Y\ninterfaces:\n  - name: a\n    type: 1000base-t\n  - name: a\n    type: 1000base-t\n',
      ),
    ).toThrow('interfaces: "a" appears twice');
  });
});
