import { JsonBuffer, JsonValues, jsonString, objectEncoder } from './json-text';

/** Strings JSON.stringify treats specially: quotes, escapes, controls, surrogates, markup. */
const TRICKY_STRINGS = [
  '',
  'plain',
  'a"b',
  'back\\slash',
  '\\"',
  'tab\tnew\nline\rcr',
  '\b\f\u000b\u0000\u001f\u007f',
  '</script><script>alert(1)</script>',
  '<!-- -->',
  'ünïcødé ☃ 日本語',
  '😀 pair \ud83d\ude00',
  'lone high \ud83d end',
  'lone low \ude00 end',
  '\ud800',
  '\udfff\ud800',
  'line\u2028sep\u2029',
  '{"not":"json"}',
  'null',
];

/** A little deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomString(next: () => number): string {
  const alphabet = [
    'a',
    'Z',
    '0',
    ' ',
    '"',
    '\\',
    '\n',
    '\u0001',
    '\u001f',
    'é',
    '☃',
    '\ud83d',
    '\ude00',
    '<',
    '/',
  ];
  let out = '';
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 7 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return randomString(next);
    case 2:
      return [0, -0, 1.5, -3, 1e21, 1e-7, NaN, Infinity, -Infinity, 2 ** 53][Math.floor(next() * 10)];
    case 3:
      return next() < 0.5;
    case 4:
      return undefined;
    case 5:
      return new Date(Math.floor(next() * 2e12));
    case 6:
      return TRICKY_STRINGS[Math.floor(next() * TRICKY_STRINGS.length)];
    case 7: {
      const list: unknown[] = [];
      const n = Math.floor(next() * 4);
      for (let i = 0; i < n; i++) list.push(randomValue(next, depth + 1));
      return list;
    }
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(next() * 4);
      for (let i = 0; i < n; i++) o[randomString(next)] = randomValue(next, depth + 1);
      return o;
    }
  }
}

describe('jsonString', () => {
  it.each(TRICKY_STRINGS)('is JSON.stringify of %j', (s) => {
    expect(jsonString(s)).toBe(JSON.stringify(s));
  });

  it('is JSON.stringify of every UTF-16 code unit alone and between letters', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      expect(jsonString(ch)).toBe(JSON.stringify(ch));
      expect(jsonString(`a${ch}b`)).toBe(JSON.stringify(`a${ch}b`));
    }
  });
});

describe('JsonValues', () => {
  const json = () => new JsonValues();

  it('encodes primitives as JSON.stringify does', () => {
    const values: unknown[] = [
      null,
      true,
      false,
      0,
      -0,
      42,
      -1.25,
      1e21,
      1e-7,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      ...TRICKY_STRINGS,
    ];
    for (const v of values) expect(json().value(v)).toBe(JSON.stringify(v));
  });

  it('leaves to the caller what JSON leaves out, and writes it as null inside arrays', () => {
    expect(json().value(undefined)).toBeUndefined();
    expect(json().value(() => 1)).toBeUndefined();
    expect(json().value(Symbol('x'))).toBeUndefined();
    // eslint-disable-next-line no-sparse-arrays
    const list = [undefined, () => 1, Symbol('y'), , 1];
    expect(json().value(list)).toBe(JSON.stringify(list));
    expect(() => json().value(10n)).toThrow(TypeError);
    expect(() => json().value({ n: 10n })).toThrow(TypeError);
  });

  it('leaves to the caller a toJSON that reads its key (its text depends on its place)', () => {
    const keyed = { toJSON: (key: string) => `at ${key}` };
    expect(json().value(keyed)).toBeUndefined();
    expect(json().value([1, keyed])).toBeUndefined();
    // Inside an object it is JSON.stringify's to call, with its key.
    expect(json().value({ k: keyed })).toBe('{"k":"at k"}');
  });

  it('encodes objects, arrays, dates and boxed primitives as JSON.stringify does', () => {
    const values: unknown[] = [
      {},
      [],
      { a: 1, b: [1, 'two', null], c: { d: '</script>' } },
      { 2: 'b', 1: 'a', z: 'z', y: undefined, f: () => 1 },
      new Date(0),
      new Date(NaN),
      [new Date(86_400_000)],
      Object.assign(new String('boxed'), { x: 1 }),
      new Number(3),
      new Boolean(false),
      Object.create(null, { k: { value: 'v', enumerable: true } }),
      Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }),
      { nested: { toJSON: (key: string) => key } },
    ];
    for (const v of values) expect(json().value(v)).toBe(JSON.stringify(v));
  });

  it('encodes random nested values exactly as JSON.stringify does', () => {
    const next = random(15);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(next, 0);
      expect(json().value(v)).toBe(JSON.stringify(v));
    }
  });

  it('encodes an object once, however often it is met, and takes the text it is given', () => {
    const j = json();
    const shared = { id: 'x', url: 'http://h/x/' };
    const spy = jest.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 3; i++) expect(j.value(shared)).toBe('{"id":"x","url":"http://h/x/"}');
      expect(spy).toHaveBeenCalledTimes(1);
      const ref = { id: 'y' };
      j.remember(ref, '{"id":"y"}');
      expect(j.value([ref, ref])).toBe('[{"id":"y"},{"id":"y"}]');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('objectEncoder', () => {
  /** The object the serializer builds from the same keys and values (an object literal). */
  const literal = (keys: readonly string[], values: readonly unknown[]) =>
    new Function('v', `return { ${keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ')} };`)(
      values,
    ) as object;

  const cases: { keys: string[]; values: unknown[] }[] = [
    { keys: [], values: [] },
    { keys: ['id'], values: ['1'] },
    { keys: ['id', 'name', 'n', 'ok', 'tags', 'cf'], values: ['1', 'a"b', 3, true, [], { x: null }] },
    { keys: ['a', 'b', 'a'], values: [1, 2, 3] },
    { keys: ['__proto__', 'x'], values: [{ polluted: true }, 1] },
    { keys: ['ключ', 'k"q', 'back\\slash', '</script>', '\u2028'], values: [1, 2, 3, 4, 5] },
    { keys: ['2', '1', 'z'], values: ['b', 'a', 'z'] },
  ];

  it.each(cases)('writes $keys as JSON.stringify of the object literal', ({ keys, values }) => {
    expect(objectEncoder(keys)(values, new JsonValues())).toBe(JSON.stringify(literal(keys, values)));
  });

  it("gives undefined when a value's text depends on its place (the caller encodes the object)", () => {
    const j = new JsonValues();
    expect(objectEncoder(['a', 'b'])([1, undefined], j)).toBeUndefined();
    expect(objectEncoder(['a', 'b'])([1, { toJSON: (k: string) => k }], j)).toBeUndefined();
    expect(objectEncoder(['a', 'b'])([1, [() => 1]], j)).toBe('{"a":1,"b":[null]}');
  });

  it('matches random rows of random values', () => {
    const next = random(4);
    const keys = ['id', 'object_type', 'display', 'url', 'a', 'b', 'c', 'custom_fields', 'created'];
    const encode = objectEncoder(keys);
    for (let i = 0; i < 2000; i++) {
      const values = keys.map(() => randomValue(next, 1));
      const text = encode(values, new JsonValues());
      // Undefined: a value JSON leaves out, for the caller to encode the object itself.
      if (values.some((v) => v === undefined)) expect(text).toBeUndefined();
      else expect(text).toBe(JSON.stringify(literal(keys, values)));
    }
  });
});

describe('JsonBuffer', () => {
  it('collects text as UTF-8 bytes across growth, ASCII and not', () => {
    const out = new JsonBuffer(8);
    const pieces = ['{"a":', '"ascii"', ',"b":"ünï☃"', ',"c":"😀"', `,"d":"${'x'.repeat(1000)}"`, '}'];
    for (const p of pieces) out.write(p);
    expect(out.bytes().equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    expect(JSON.parse(out.bytes().toString('utf8'))).toEqual(JSON.parse(pieces.join('')));
  });

  it('writes a lone surrogate as JSON text can carry it (escaped by jsonString first)', () => {
    const out = new JsonBuffer(4);
    out.write(jsonString('\ud83d'));
    expect(out.bytes().toString('utf8')).toBe('"\\ud83d"');
  });
});
