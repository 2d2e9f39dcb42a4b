import { checkMinMax, checkRegex, checkRequired, isEmpty, regexError, uniqueMessage } from './checks';

const named = { name: 'r1', error_message: '' };

describe('rule checks', () => {
  it('treats null, undefined, empty text and empty lists as empty', () => {
    expect([null, undefined, '', []].map(isEmpty)).toEqual([true, true, true, true]);
    expect([0, false, ' ', ['x']].map(isEmpty)).toEqual([false, false, false, false]);
  });

  it('compiles RE2 expressions and refuses what RE2 cannot run in linear time', () => {
    expect(regexError('^[a-z]+$')).toBeNull();
    expect(regexError('(a')).toMatch(/missing closing \)/);
    expect(regexError('(a)\\1')).toMatch(/invalid escape/);
    expect(regexError('x'.repeat(1001))).toMatch(/under 1000/);
  });

  it('matches at the start of the value, as re.match does', () => {
    const rule = { ...named, regular_expression: '[a-z]+' };
    expect(checkRegex(rule, 'abc1')).toBeNull();
    expect(checkRegex(rule, '1abc')).toBe('Value does not match the regular expression [a-z]+ (rule "r1").');
    expect(checkRegex({ ...rule, regular_expression: '[a-z]+$' }, 'abc1')).not.toBeNull();
    expect(checkRegex(rule, null)).toBeNull();
    expect(checkRegex(rule, 42)).not.toBeNull();
    expect(checkRegex({ ...rule, error_message: 'Lower case.' }, 'X')).toBe('Lower case.');
    // Catastrophic for a backtracking engine, instant for RE2.
    expect(checkRegex({ ...named, regular_expression: '^(a+)+$' }, `${'a'.repeat(50_000)}!`)).not.toBeNull();
  });

  it('checks minimum and maximum, either optional', () => {
    const rule = { ...named, min: 1, max: 10 };
    expect([0, 1, 10, 11].map((v) => checkMinMax(rule, v))).toEqual([
      'Value is less than the minimum of 1 (rule "r1").',
      null,
      null,
      'Value is more than the maximum of 10 (rule "r1").',
    ]);
    expect(checkMinMax({ ...rule, min: null }, -5)).toBeNull();
    expect(checkMinMax({ ...rule, max: null }, 1e9)).toBeNull();
    expect(checkMinMax(rule, '12.5')).not.toBeNull();
    expect(checkMinMax(rule, null)).toBeNull();
  });

  it('requires a value', () => {
    expect(checkRequired(named, '')).toBe('This field is required (rule "r1").');
    expect(checkRequired(named, [])).not.toBeNull();
    expect(checkRequired(named, 0)).toBeNull();
  });

  it('names the scope in the unique message', () => {
    expect(uniqueMessage({ ...named, max_instances: 1, scope: [] })).toBe(
      'Only one object may have this value (rule "r1").',
    );
    expect(uniqueMessage({ ...named, max_instances: 3, scope: ['location', 'role'] })).toBe(
      'Only 3 objects with the same location, role may have this value (rule "r1").',
    );
  });
});
