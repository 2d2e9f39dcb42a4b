import { renderConfigContext } from './feature';
import { dataProblem, schemaProblem } from './json-schema';
import { deepMerge } from './merge';

describe('config context rendering', () => {
  it('deep-merges objects and replaces everything else, without touching the inputs', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const over = { a: { c: [3], e: null }, d: { y: 1 } };
    expect(deepMerge(base, over)).toEqual({ a: { b: 1, c: [3], e: null }, d: { y: 1 } });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });

  it('merges sources in order, then the local data', () => {
    const sources = [
      { id: '1', name: 'a', weight: 100, data: { ntp: ['1'], dns: { p: 'a' } } },
      { id: '2', name: 'b', weight: 200, data: { ntp: ['2'], dns: { s: 'b' } } },
    ];
    expect(renderConfigContext(sources, { dns: { p: 'local' } })).toEqual({
      ntp: ['2'],
      dns: { p: 'local', s: 'b' },
    });
    expect(renderConfigContext([], null)).toEqual({});
  });
});

describe('JSON Schema checks', () => {
  it('refuses documents that are not JSON Schemas', () => {
    expect(schemaProblem([])).toBe('The schema must be a JSON object.');
    expect(schemaProblem({ type: 'nope' })).toMatch(/^Invalid JSON Schema: \/type/);
    expect(schemaProblem({ $ref: '#/definitions/missing' })).toMatch(/^Invalid JSON Schema/);
    expect(
      schemaProblem({ type: 'object', properties: { a: { type: 'string', format: 'ipv4' } } }),
    ).toBeNull();
  });

  it('reports the failing path of data', () => {
    const schema = { type: 'object', properties: { ntp: { type: 'array', items: { type: 'string' } } } };
    expect(dataProblem(schema, { ntp: ['a'] })).toBeNull();
    expect(dataProblem(schema, { ntp: [1] })).toBe('/ntp/0: must be string');
  });
});
