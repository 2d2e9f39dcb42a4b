import type { CustomFieldDef } from './definitions';
import { parseFilterName } from './filters';
import { checkValue } from './values';

function def(over: Partial<CustomFieldDef>): CustomFieldDef {
  return {
    id: '1',
    key: 'k',
    label: 'K',
    type: 'text',
    content_types: [],
    grouping: '',
    description: '',
    required: false,
    filter_logic: 'loose',
    default: null,
    weight: 100,
    validation_minimum: null,
    validation_maximum: null,
    validation_regex: '',
    advanced_ui: false,
    choices: [],
    ...over,
  };
}

describe('custom field values', () => {
  it('normalises what forms and CSV send, and refuses what does not fit', () => {
    expect(checkValue(def({ type: 'integer' }), '42')).toEqual({ ok: true, value: 42 });
    expect(checkValue(def({ type: 'integer' }), 4.5).ok).toBe(false);
    expect(checkValue(def({ type: 'integer', validation_maximum: 3 }), 4)).toEqual({
      ok: false,
      error: 'Value must not exceed 3',
    });
    expect(checkValue(def({ type: 'boolean' }), 'true')).toEqual({ ok: true, value: true });
    expect(checkValue(def({ type: 'date' }), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(checkValue(def({ type: 'date' }), '2023-02-29').ok).toBe(false);
    expect(checkValue(def({ type: 'url' }), 'javascript:alert(1)').ok).toBe(false);
    expect(checkValue(def({ type: 'url' }), 'https://example.com/x')).toEqual({
      ok: true,
      value: 'https://example.com/x',
    });
    expect(checkValue(def({ validation_regex: '^CC-\\d+$' }), 'CC-1').ok).toBe(true);
    expect(checkValue(def({ validation_regex: '^CC-\\d+$' }), 'x').ok).toBe(false);
    expect(checkValue(def({ type: 'json' }), '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    const multi = def({ type: 'multi-select', choices: ['a', 'b'] });
    expect(checkValue(multi, 'a, b,a')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(checkValue(multi, ['c']).ok).toBe(false);
    expect(checkValue(def({ type: 'select', choices: ['a'] }), '')).toEqual({ ok: true, value: null });
  });

  it('splits cf_<key>__<lookup> by the field type and skips disabled filters', () => {
    const defs = [def({ key: 'seats', type: 'integer' }), def({ key: 'hidden', filter_logic: 'disabled' })];
    expect(parseFilterName(defs, 'cf_seats__gte')).toMatchObject({ lookup: 'gte' });
    expect(parseFilterName(defs, 'cf_seats')).toMatchObject({ lookup: 'exact' });
    expect(parseFilterName(defs, 'cf_seats__ic')).toBeUndefined();
    expect(parseFilterName(defs, 'cf_hidden')).toBeUndefined();
    expect(parseFilterName(defs, 'seats')).toBeUndefined();
  });
});
