import { hasMany, labelFrom, peerTypeOf, requiredOn, sidesOf, type RelationshipDef } from './definitions';
import { parseFilterName } from './feature';

function def(over: Partial<RelationshipDef>): RelationshipDef {
  return {
    id: '1',
    key: 'k',
    label: 'K',
    description: '',
    type: 'many-to-many',
    source_type: 'dcim.device',
    source_label: '',
    source_hidden: false,
    source_filter: null,
    destination_type: 'circuits.provider',
    destination_label: '',
    destination_hidden: false,
    destination_filter: null,
    required_on: '',
    advanced_ui: false,
    ...over,
  };
}

describe('relationship sides', () => {
  it('places a model on the sides it takes, symmetric ones as peer', () => {
    expect(sidesOf(def({}), 'dcim.device')).toEqual(['source']);
    expect(sidesOf(def({}), 'circuits.provider')).toEqual(['destination']);
    expect(sidesOf(def({}), 'tenancy.tenant')).toEqual([]);
    const self = def({ destination_type: 'dcim.device' });
    expect(sidesOf(self, 'dcim.device')).toEqual(['source', 'destination']);
    const sym = def({ type: 'symmetric-one-to-one', destination_type: 'dcim.device' });
    expect(sidesOf(sym, 'dcim.device')).toEqual(['peer']);
  });

  it('knows which sides have many peers, which are required, and their labels', () => {
    const o2m = def({ type: 'one-to-many', source_label: 'Providers', required_on: 'destination' });
    expect(hasMany(o2m, 'source')).toBe(true);
    expect(hasMany(o2m, 'destination')).toBe(false);
    expect(hasMany(def({ type: 'one-to-one' }), 'source')).toBe(false);
    expect(requiredOn(o2m, 'destination')).toBe(true);
    expect(requiredOn(o2m, 'source')).toBe(false);
    expect(requiredOn(def({ type: 'symmetric-many-to-many', required_on: 'source' }), 'peer')).toBe(true);
    expect(labelFrom(o2m, 'source')).toBe('Providers');
    expect(labelFrom(o2m, 'destination')).toBe('K');
    expect(peerTypeOf(o2m, 'destination')).toBe('dcim.device');
  });

  it('parses cr_<key>__<side> for the sides the model takes', () => {
    const defs = [def({ key: 'uplink' })];
    expect(parseFilterName(defs, 'dcim.device', 'cr_uplink__destination')).toMatchObject({
      peerSide: 'destination',
    });
    expect(parseFilterName(defs, 'dcim.device', 'cr_uplink__source')).toBeUndefined();
    expect(parseFilterName(defs, 'circuits.provider', 'cr_uplink__source')).toMatchObject({
      peerSide: 'source',
    });
    expect(parseFilterName(defs, 'dcim.device', 'uplink')).toBeUndefined();
  });
});
