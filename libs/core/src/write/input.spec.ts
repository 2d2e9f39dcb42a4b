import type { FieldMeta, ModelMeta } from '@plinth/plugin-sdk';
import { loadPlugins } from '../app/context';
import { loadConfig } from '../config/config';
import { parseItem, parseRef, parseScalar, type InputMode } from './input';

/* How the write path reads submitted values, on the built-in plugins' real models (no database). */

const { models } = loadPlugins(loadConfig({}, __dirname));
const contentTypes = () => models.labels();

function field(label: string, name: string): FieldMeta {
  const f = models.require(label).field(name);
  if (!f) throw new Error(`${label} has no field ${name}`);
  return f;
}

function scalar(label: string, name: string, v: unknown): unknown {
  return parseScalar(field(label, name), v, contentTypes);
}

function parse(label: string, raw: unknown, mode: InputMode = 'partial') {
  const item = parseItem(models.require(label), raw, mode, (f) => models.targetOf(f), contentTypes);
  return {
    values: item.values,
    refs: Object.fromEntries([...item.refs].map(([f, r]) => [f.name, r])),
    errors: item.errors.errors,
  };
}

const ID = '0A1B2C3D-0000-4000-8000-000000000001';

describe('write input: scalar values', () => {
  it('booleans: the words parseBoolean takes, 1 and 0; nothing else', () => {
    for (const v of [true, 'true', 'True', 'yes', 'on', '1', 1])
      expect(scalar('dcim.interface', 'enabled', v)).toEqual([true]);
    for (const v of [false, 'false', 'no', 'off', '0', 0])
      expect(scalar('dcim.interface', 'enabled', v)).toEqual([false]);
    for (const v of ['maybe', 2, [], {}])
      expect(scalar('dcim.interface', 'enabled', v)).toBe('Must be a valid boolean.');
  });

  it('integers: numbers, digit strings and echoed choices; not fractions', () => {
    expect(scalar('dcim.devicetype', 'u_height', ' 2 ')).toEqual([2]);
    expect(scalar('dcim.devicetype', 'u_height', { value: 4, label: '4' })).toEqual([4]);
    expect(scalar('dcim.devicetype', 'u_height', 1.5)).toBe('A valid integer is required.');
    expect(scalar('dcim.devicetype', 'u_height', '2.0')).toEqual([2]);
    expect(scalar('dcim.devicetype', 'u_height', ' 3.00 ')).toEqual([3]);
    expect(scalar('dcim.devicetype', 'u_height', '2.5')).toBe('A valid integer is required.');
    expect(scalar('dcim.devicetype', 'u_height', 2 ** 60)).toBe('Ensure this value is a safe integer.');
  });

  it('decimals: rounded to the scale, refused beyond the precision', () => {
    expect(scalar('dcim.cable', 'length', '12.345')).toEqual([12.35]);
    expect(scalar('dcim.cable', 'length', 1234567)).toBe(
      'Ensure that there are no more than 8 digits in total.',
    );
    expect(scalar('dcim.cable', 'length', 'long')).toBe('A valid number is required.');
  });

  it('strings are trimmed; blank only where allowed; colours lower-cased', () => {
    expect(scalar('dcim.device', 'serial', '  SN1 ')).toEqual(['SN1']);
    expect(scalar('dcim.manufacturer', 'name', ' ')).toBe('This field may not be blank.');
    expect(scalar('dcim.device', 'asset_tag', '')).toEqual([null]);
    expect(scalar('dcim.cable', 'color', 'FF00AA')).toEqual(['ff00aa']);
  });

  it('choices: the value or its echoed {value, label}; blank only where allowed', () => {
    expect(scalar('dcim.device', 'face', { value: 'front', label: 'Front' })).toEqual(['front']);
    expect(scalar('dcim.device', 'face', '')).toEqual(['']);
    expect(scalar('dcim.interface', 'type', '')).toBe('"" is not a valid choice.');
    expect(scalar('dcim.interface', 'type', 'carrier-pigeon')).toBe(
      '"carrier-pigeon" is not a valid choice.',
    );
  });

  it('network values are normalised', () => {
    expect(scalar('ipam.prefix', 'prefix', '10.0.0.1/24')).toEqual(['10.0.0.0/24']);
    expect(scalar('ipam.ipaddress', 'address', '2001:DB8::1/64')).toEqual(['2001:db8::1/64']);
    expect(scalar('dcim.interface', 'mac_address', 'aabb.cc00.1122')).toEqual(['AA:BB:CC:00:11:22']);
  });

  it('arrays: items checked one by one, duplicates dropped, content types known', () => {
    expect(scalar('ipam.service', 'ports', [22, 22, 443])).toEqual([[22, 443]]);
    expect(scalar('ipam.service', 'ports', ['22'])).toBe('A valid integer is required.');
    expect(scalar('dcim.locationtype', 'content_types', ['dcim.device'])).toEqual([['dcim.device']]);
    expect(scalar('dcim.locationtype', 'content_types', ['dcim.nothing'])).toBe(
      'Invalid content type: dcim.nothing',
    );
  });
});

describe('write input: references', () => {
  const device = (): ModelMeta => models.require('dcim.device');

  it('a uuid, a URL of the model, a natural key or attributes', () => {
    expect(parseRef(device(), ID)).toEqual({ kind: 'id', id: ID.toLowerCase(), raw: ID });
    expect(parseRef(device(), `https://nsot.example.com/api/dcim/devices/${ID}/`)).toMatchObject({
      kind: 'id',
      id: ID.toLowerCase(),
    });
    expect(parseRef(device(), `/api/dcim/racks/${ID}/`)).toBe('URL does not point to a device.');
    expect(parseRef(device(), ' edge1 ')).toEqual({ kind: 'nk', value: 'edge1', raw: ' edge1 ' });
    expect(parseRef(device(), { name: 'edge1' })).toMatchObject({ kind: 'attrs', attrs: { name: 'edge1' } });
  });

  it('an echoed object is its id; empty or malformed references are refused', () => {
    expect(parseRef(device(), { id: ID, url: 'x', display: 'edge1' })).toMatchObject({ kind: 'id' });
    expect(parseRef(device(), { id: 'nope', display: 'x' })).toBe('"nope" is not a valid UUID.');
    expect(parseRef(device(), {})).toBe('Related object attributes must not be empty.');
    expect(parseRef(device(), '')).toBe('This field may not be blank.');
    expect(parseRef(device(), 7)).toBe(
      'Incorrect type. Expected a UUID, URL, natural key or attributes, received number.',
    );
  });
});

describe('write input: objects', () => {
  it('splits values and references; ignores read-only and echoed keys; refuses unknown ones', () => {
    expect(
      parse('dcim.interface', {
        id: ID,
        url: 'x',
        name: 'eth0',
        enabled: 'no',
        device: 'edge1',
        lag: null,
        tagged_vlans: [ID],
        cable: ID,
        colour: 'red',
      }),
    ).toEqual({
      values: { name: 'eth0', enabled: false },
      refs: {
        device: { kind: 'nk', value: 'edge1', raw: 'edge1' },
        lag: null,
        tagged_vlans: [{ kind: 'id', id: ID.toLowerCase(), raw: ID }],
      },
      errors: { colour: ['Unknown field.'] },
    });
  });

  it('create requires what has no default; a partial update does not', () => {
    expect(parse('dcim.manufacturer', {}, 'create').errors).toEqual({ name: ['This field is required.'] });
    expect(parse('dcim.manufacturer', {}, 'partial').errors).toEqual({});
    expect(parse('dcim.interface', { device: null }).errors).toEqual({
      device: ['This field may not be null.'],
    });
    expect(parse('dcim.interface', 'eth0').errors).toEqual({
      __all__: ['Invalid data. Expected a dictionary, but got string.'],
    });
  });
});
