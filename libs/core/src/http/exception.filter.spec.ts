import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../database/availability';
import { PlinthExceptionFilter } from './exception.filter';
import { scanJson, jsonDepth, nulErrors } from './limits';

describe('errors of an unavailable database', () => {
  const filter = new PlinthExceptionFilter();

  it('answers 503 for connection failures, never 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    );
    const terminated = new Error('Connection terminated unexpectedly');
    const closed = Object.assign(new Error('database "plinth" is not currently accepting connections'), {
      code: '55000',
    });
    for (const e of [refused, shutdown, terminated, closed]) {
      expect(isDatabaseUnavailable(e)).toBe(true);
      expect(filter.describe(e)[0]).toBe(503);
    }
    const badQuery = new QueryFailedError(
      'SELECT',
      [],
      Object.assign(new Error('syntax'), { code: '42601' }),
    );
    expect(isDatabaseUnavailable(badQuery)).toBe(false);
    expect(filter.describe(badQuery)[0]).toBe(500);
  });

  it('maps PostgreSQL NUL refusals and client error statuses to 4xx', () => {
    const nul = new QueryFailedError('INSERT', [], Object.assign(new Error('bad'), { code: '22P05' }));
    expect(filter.describe(nul)[0]).toBe(400);
    expect(filter.describe(Object.assign(new Error('unsupported charset'), { status: 415 }))[0]).toBe(415);
  });
});

describe('request limits', () => {
  const limits = { maxBodyBytes: 1000, maxBulkItems: 3, maxJsonDepth: 4 };
  const scan = (text: string) => () => scanJson(Buffer.from(text), limits);

  it('counts top-level items and depth before parsing, ignoring brackets in strings', () => {
    expect(scan('[{},{},{}]')).not.toThrow();
    expect(scan('[{},{},{},{}]')).toThrow(/at most 3 objects; this one has 4/);
    expect(scan('[[[["x"]]]]')).not.toThrow();
    expect(scan('[[[[["x"]]]]]')).toThrow(/deeper than the maximum of 4/);
    expect(scan('{"a": "[[[[[[[[", "b": "\\"]]]"}')).not.toThrow();
    expect(scan('[]')).not.toThrow();
  });

  it('measures parsed depth and finds NUL characters with their field', () => {
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(jsonDepth('x')).toBe(0);
    expect(nulErrors({ name: 'a\u0000', ok: 'b' })).toEqual({ name: ['Null characters are not allowed.'] });
    expect(nulErrors([{ ok: 1 }, { x: ['\u0000'] }])).toEqual([
      {},
      { x: ['Null characters are not allowed.'] },
    ]);
    expect(nulErrors({ fine: 'yes' })).toBeNull();
  });
});
