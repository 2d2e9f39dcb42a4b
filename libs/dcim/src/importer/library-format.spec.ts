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
    expect(def.ignored).toEqual(['airflow', 'interfaces[].poe_mode']);
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
