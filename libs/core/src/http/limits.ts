import { PlinthError, ValidationError, type FieldErrors } from '@plinth/plugin-sdk';

/** Limits on what one request may ask of the server (see README "Security"). */
export interface RequestLimits {
  /** Largest request body, in bytes (PLINTH_MAX_BODY_SIZE_MB). */
  maxBodyBytes: number;
  /** Most objects in one bulk create, update or delete (PLINTH_MAX_BULK_ITEMS). */
  maxBulkItems: number;
  /** Deepest nesting of arrays and objects in a JSON body or JSON value (PLINTH_MAX_JSON_DEPTH). */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  maxBulkItems: 1000,
  maxJsonDepth: 32,
};

/**
 * The limits in force in this process. The write path checks JSON values from every source (REST,
 * UI forms, CSV import, jobs) against them, and it has no request at hand: `createApp` sets them
 * from the configuration.
 */
export const LIMITS: RequestLimits = { ...DEFAULT_LIMITS };

export function applyLimits(limits: RequestLimits): void {
  Object.assign(LIMITS, limits);
}

/** 413 Payload Too Large, with the limit in the message. */
export class PayloadTooLargeError extends PlinthError {
  constructor(message: string) {
    super(413, message);
  }
}

/** 415: a body Plinth cannot decode (unknown charset or content encoding). */
export class UnsupportedMediaTypeError extends PlinthError {
  constructor(message: string) {
    super(415, message);
  }
}

export function tooManyItems(count: number, limits: RequestLimits = LIMITS): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `A bulk request may hold at most ${limits.maxBulkItems} objects; this one has ${count}. Send it in smaller batches.`,
  );
}

export function tooDeep(limits: RequestLimits = LIMITS): string {
  return `JSON nesting is deeper than the maximum of ${limits.maxJsonDepth} levels.`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }
const COMMA = 0x2c;

/**
 * One pass over a JSON text before it is parsed: its nesting depth and, for a top-level array, the
 * number of items, so a body of millions of items or thousands of levels is refused without
 * building it in memory. Strings are skipped (brackets inside them do not count). The text need
 * not be valid; the parser judges that afterwards.
 */
export function scanJson(buf: Uint8Array, limits: RequestLimits = LIMITS): void {
  let depth = 0;
  let items = 0;
  let topArray = false;
  let sawValue = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      for (i++; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
      if (depth === 1 && topArray) sawValue = true;
      continue;
    }
    if (OPEN.has(c)) {
      if (depth === 0) topArray = c === 0x5b;
      else if (depth === 1 && topArray) sawValue = true;
      depth++;
      if (depth > limits.maxJsonDepth) throw ValidationError.nonField(tooDeep(limits));
    } else if (CLOSE.has(c)) {
      if (depth === 1 && topArray && sawValue) items++;
      depth = Math.max(0, depth - 1);
    } else if (depth === 1 && topArray) {
      if (c === COMMA) {
        items++;
        sawValue = false;
      } else if (c > 0x20) sawValue = true;
    }
  }
  if (items > limits.maxBulkItems) throw tooManyItems(items, limits);
}

/** Depth of a parsed JSON value (a scalar is 0), stopping as soon as it passes `max`. */
export function jsonDepth(value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const level = d + 1;
    if (level > deepest) deepest = level;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) stack.push([child, level]);
  }
  return deepest;
}

export const NUL_MESSAGE = 'Null characters are not allowed.';

/** Where a parsed JSON body holds a NUL character (in a string or a key), as field errors. */
export function nulErrors(body: unknown): FieldErrors | FieldErrors[] | null {
  const has = (v: unknown): boolean => {
    const stack = [v];
    while (stack.length) {
      const x = stack.pop();
      if (typeof x === 'string') {
        if (x.includes('\0')) return true;
      } else if (x !== null && typeof x === 'object') {
        for (const [k, child] of Object.entries(x)) {
          if (k.includes('\0')) return true;
          stack.push(child);
        }
      }
    }
    return false;
  };
  const fieldsOf = (obj: unknown): FieldErrors => {
    const errors: FieldErrors = {};
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      if (has(obj)) errors.__all__ = [NUL_MESSAGE];
      return errors;
    }
    for (const [k, v] of Object.entries(obj)) {
      if (k.includes('\0')) errors.__all__ = [NUL_MESSAGE];
      else if (has(v)) Object.defineProperty(errors, k, { value: [NUL_MESSAGE], enumerable: true });
    }
    return errors;
  };
  if (!has(body)) return null;
  if (Array.isArray(body)) return body.map(fieldsOf);
  return fieldsOf(body);
}

/** A NUL character in any query parameter (name or value) is a 400 naming the parameter. */
export function assertNoNulParams(params: Record<string, string[]>): void {
  const errors: FieldErrors = {};
  for (const [k, values] of Object.entries(params)) {
    if (k.includes('\0') || values.some((v) => v.includes('\0')))
      Object.defineProperty(errors, k.replace(/\0/g, '\\0'), { value: [NUL_MESSAGE], enumerable: true });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
}
