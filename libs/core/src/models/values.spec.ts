import type { FieldMeta } from '@plinth/plugin-sdk';
import { loadPlugins } from '../app/context';
import { loadConfig } from '../config/config';
import { apiValue, joinNaturalKey, rowToRecord, snapshot, splitNaturalKey, toDbValue } from './values';

/* How stored values become records, API values and change-log snapshots, on real models. */

const { models } = loadPlugins(loadConfig({}, __dirname));

function field(label: string, name: string): FieldMeta {
  const f = models.require(label).field(name);
  if (!f) throw new Error(`${label} has no field ${name}`);
  return f;
}

describe('values: rows, API values, snapshots', () => {
  it('rows become records by field name; numerics arrive as strings and leave as numbers', () => {
    const rec = rowToRecord(models.require('dcim.cable'), {
      id: 'c1',
      label: 'x',
      length: '12.50',
      status_id: 's1',
      termination_a_type: 'dcim.interface',
      unrelated: 1,
    });
    expect(rec).toMatchObject({ id: 'c1', label: 'x', length: 12.5, status: 's1', color: null });
    expect(rec).not.toHaveProperty('unrelated');
  });

  it('API values per kind', () => {
    expect(apiValue(field('dcim.device', 'face'), 'rear')).toEqual({ value: 'rear', label: 'Rear' });
    expect(apiValue(field('dcim.device', 'face'), '')).toBeNull();
    expect(apiValue(field('dcim.interface', 'mac_address'), 'aa:bb:cc:00:11:22')).toBe('AA:BB:CC:00:11:22');
    expect(apiValue(field('ipam.ipaddress', 'address'), '10.0.0.1')).toBe('10.0.0.1/32');
    expect(apiValue(field('ipam.ipaddress', 'address'), '2001:db8::1')).toBe('2001:db8::1/128');
    expect(apiValue(field('dcim.cable', 'length'), '3.00')).toBe(3);
    expect(apiValue(field('dcim.device', 'created'), new Date(Date.UTC(2024, 4, 1, 12)))).toBe(
      '2024-05-01T12:00:00.000Z',
    );
    expect(apiValue(field('ipam.service', 'ports'), null)).toEqual([]);
    expect(apiValue(field('dcim.device', 'name'), null)).toBeNull();
  });

  it('snapshots are JSON-safe, many-to-many empty rather than null, write-only fields left out', () => {
    const snap = snapshot(models.require('dcim.interface'), {
      id: 'i1',
      name: 'eth0',
      mac_address: 'aa:bb:cc:00:11:22',
      tagged_vlans: null,
    });
    expect(snap).toMatchObject({
      id: 'i1',
      name: 'eth0',
      mac_address: 'AA:BB:CC:00:11:22',
      tagged_vlans: [],
    });
    const user = models.require('users.user');
    const hidden = user.fields.filter((f) => f.write_only).map((f) => f.name);
    expect(hidden.length).toBeGreaterThan(0);
    for (const name of hidden) expect(snapshot(user, { id: 'u1' })).not.toHaveProperty(name);
  });

  it('JSON goes to the database as text; everything else as it is', () => {
    expect(toDbValue(field('dcim.device', 'local_config_context_data'), { a: 1 })).toBe('{"a":1}');
    expect(toDbValue(field('dcim.device', 'name'), undefined)).toBeNull();
  });

  it('composite natural keys: `;`-joined, URL-escaped parts, `+` for spaces', () => {
    const parts = ['Acme Networks', 'DCS-7050;X', ''];
    expect(joinNaturalKey(parts)).toBe('Acme+Networks;DCS-7050%3BX;');
    expect(splitNaturalKey(joinNaturalKey(parts))).toEqual(parts);
  });
});
