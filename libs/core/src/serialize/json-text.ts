/**
 * JSON text written straight from a page's values, exactly as `JSON.stringify` of the objects
 * the serializer would build: REST list pages skip building (and collecting) an object per row
 * and encoding again the references that a page's rows share.
 */

/** The toJSON of dates, which does not read the key it is given. */
const DATE_TO_JSON = Date.prototype.toJSON;

/** Characters `JSON.stringify` escapes in a string (`"`, `\`, controls, surrogates if lone). */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text (what `JSON.stringify(s)` returns, without its setup for most). */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Encodes one page's values. Objects are encoded once each: a page's rows share their brief
 * references, choice values and nested objects (the serializer hands out one object per
 * target), so a status or device type referenced by 1,000 rows is encoded once. Values are
 * never changed while a page is written, which is what makes the text of an object reusable.
 */
export class JsonValues {
  private readonly texts = new Map<object, string>();

  /**
   * `JSON.stringify(v)` as the value of a key or an array element. Undefined when the text
   * depends on where the value is (what JSON leaves out, a toJSON that is given its key): the
   * caller then encodes the whole object with JSON.stringify. Nothing the serializer makes is.
   */
  value(v: unknown): string | undefined {
    switch (typeof v) {
      case 'string':
        return jsonString(v);
      case 'number':
        // JSON writes finite numbers as ToString does, and the others as null.
        return Number.isFinite(v) ? String(v) : 'null';
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return 'null';
        return this.structure(v);
      case 'bigint':
        return JSON.stringify(v); // throws, as JSON.stringify of the object would
      default:
        return undefined; // undefined, a function, a symbol: left out of an object
    }
  }

  /** Takes `text` as the JSON of `o` (made from its values; undefined: JSON.stringify it). */
  remember(o: object, text: string | undefined): void {
    this.texts.set(o, text ?? JSON.stringify(o));
  }

  private structure(v: object): string | undefined {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    // A toJSON is given the value's key; Date's (the dates rows hold) does not read it.
    if (typeof toJSON === 'function' && toJSON !== DATE_TO_JSON) return undefined;
    return Array.isArray(v) ? this.array(v) : this.object(v);
  }

  private array(list: readonly unknown[]): string | undefined {
    if (list.length === 0) return '[]';
    let out = '[';
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      // Holes and what JSON leaves out are null inside arrays.
      const kind = typeof item;
      const text =
        kind === 'undefined' || kind === 'function' || kind === 'symbol' ? 'null' : this.value(item);
      if (text === undefined) return undefined;
      out += (i === 0 ? '' : ',') + text;
    }
    return out + ']';
  }

  private object(o: object): string {
    let text = this.texts.get(o);
    if (text === undefined) {
      text = JSON.stringify(o);
      this.texts.set(o, text);
    }
    return text;
  }
}

/**
 * A function writing an object with these keys, in this order, from an array of their values,
 * as JSON text: the keys are encoded once per shape and the text is one concatenation.
 * Returns undefined when a value's text depends on its place (see `JsonValues.value`): the
 * caller then encodes the object itself.
 */
export type ObjectEncoder = (values: readonly unknown[], json: JsonValues) => string | undefined;

/** An array-index key's number (properties are ordered by it first); others: after them all. */
function indexOrder(key: string): number {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1 ? Number(key) : 2 ** 32;
}

const encoders = new Map<string, ObjectEncoder>();
export function objectEncoder(keys: readonly string[]): ObjectEncoder {
  const shape = keys.join('\n');
  let encode = encoders.get(shape);
  if (!encode) {
    // As the object literal the serializer builds: a key given twice keeps its first place and
    // its last value, `__proto__` sets no property, and array-index keys come first, ascending.
    const shown = keys
      .map((k, i) => ({ key: k, value: keys.lastIndexOf(k), first: keys.indexOf(k) === i }))
      .filter((k) => k.first && k.key !== '__proto__')
      .sort((a, b) => indexOrder(a.key) - indexOrder(b.key));
    const read = shown.map((k, i) => `a${i} = j.value(v[${k.value}])`).join(', ');
    const missing = shown.map((_k, i) => `a${i} === undefined`).join(' || ');
    // Each key's text (`,"name":`) is embedded as a string literal: JSON text is valid JS.
    const text = shown
      .map((k, i) => `${JSON.stringify(`${i === 0 ? '' : ','}${JSON.stringify(k.key)}:`)} + a${i}`)
      .join(' + ');
    const body = shown.length
      ? `const ${read}; if (${missing}) return undefined; return '{' + ${text} + '}';`
      : `return '{}';`;
    encode = new Function('v', 'j', body) as ObjectEncoder;
    encoders.set(shape, encode);
  }
  return encode;
}

/**
 * A response body built as UTF-8 bytes in one growing buffer. Pieces of text are written as
 * they are made, so none of them outlives its row, and the body is sent without a whole-page
 * string and its conversion.
 */
export class JsonBuffer {
  private buf: Buffer;
  private length = 0;

  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(sizeHint);
  }

  write(text: string): void {
    const bytes = Buffer.byteLength(text);
    if (this.length + bytes > this.buf.length) this.grow(this.length + bytes);
    // Text whose byte length is its length is ASCII: copied as Latin-1 (no UTF-8 encoding step).
    this.length += this.buf.write(text, this.length, bytes === text.length ? 'latin1' : 'utf8');
  }

  /** The bytes written (a view of the buffer, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}
