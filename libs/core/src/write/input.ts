import {
  ErrorCollector,
  parseBoolean,
  type FieldMeta,
  type ModelMeta,
  type Rec,
  type RelationMeta,
} from '@plinth/plugin-sdk';
import {
  isUuid,
  normalizeCidr,
  normalizeInet,
  normalizeMac,
  parseIsoDate,
  parseIsoDatetime,
} from '../models/values';
import { LIMITS, NUL_MESSAGE, jsonDepth, nulErrors, tooDeep } from '../http/limits';

/** A reference to a related object, as submitted. */
export type RefInput =
  | { kind: 'id'; id: string; raw: unknown }
  | { kind: 'nk'; value: string; raw: unknown }
  | { kind: 'attrs'; attrs: Record<string, unknown>; raw: unknown };

export interface ParsedItem {
  /** Typed values of the submitted scalar fields. */
  values: Rec;
  /** Submitted foreign keys (one ref or null) and many-to-many fields (list of refs). */
  refs: Map<RelationMeta, RefInput | RefInput[] | null>;
  errors: ErrorCollector;
  /** `id` of the object, for bulk updates. */
  id?: unknown;
  /** Submitted values of writable field sources (custom fields, relationships, plugin fields). */
  sources: Map<string, unknown>;
}

/** Keys clients echo back from responses; accepted and ignored. */
const ECHOED_KEYS = new Set([
  'id',
  'url',
  'display',
  'object_type',
  'natural_slug',
  'composite_key',
  'created',
  'last_updated',
  'notes_url',
]);

export type InputMode = 'create' | 'update' | 'partial';

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'dict' : typeof v;
}

/** Is the field required when creating (or on PUT)? */
export function isRequired(f: FieldMeta): boolean {
  if (f.read_only || f.nullable || f.blank || f.default !== undefined) return false;
  return !['m2m', 'boolean', 'array'].includes(f.kind);
}

/** The value a field gets when a create omits it. */
export function defaultValue(f: FieldMeta): unknown {
  if (f.default !== undefined)
    return typeof f.default === 'function' ? (f.default as () => unknown)() : f.default;
  if (f.kind === 'm2m' || f.kind === 'array') return [];
  if (f.nullable) return null;
  if (f.kind === 'boolean') return false;
  if (['string', 'text', 'slug', 'color', 'password'].includes(f.kind)) return '';
  return null;
}

/** Turn a submitted reference (uuid, URL, attribute dict, natural key) into a RefInput. */
export function parseRef(target: ModelMeta, v: unknown): RefInput | string {
  if (typeof v === 'string') {
    const s = v.trim();
    if (isUuid(s)) return { kind: 'id', id: s.toLowerCase(), raw: v };
    const url =
      /^https?:\/\/[^/]+(\/.*\/)([0-9a-fA-F-]{36})\/?$/.exec(s) ??
      /^(\/api\/.*\/)([0-9a-fA-F-]{36})\/?$/.exec(s);
    if (url && isUuid(url[2])) {
      if (target.api_path && url[1] !== target.api_path)
        return `URL does not point to a ${target.verbose_name}.`;
      return { kind: 'id', id: url[2].toLowerCase(), raw: v };
    }
    if (s === '') return 'This field may not be blank.';
    return { kind: 'nk', value: s, raw: v };
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const attrs = v as Record<string, unknown>;
    if (typeof attrs.id === 'string' && Object.keys(attrs).every((k) => k === 'id' || ECHOED_KEYS.has(k))) {
      return isUuid(attrs.id)
        ? { kind: 'id', id: attrs.id.toLowerCase(), raw: v }
        : `"${attrs.id}" is not a valid UUID.`;
    }
    if (Object.keys(attrs).length === 0) return 'Related object attributes must not be empty.';
    return { kind: 'attrs', attrs, raw: v };
  }
  return `Incorrect type. Expected a UUID, URL, natural key or attributes, received ${typeName(v)}.`;
}

/** Parse one scalar value; returns [value] or an error message. */
export function parseScalar(
  f: FieldMeta,
  v: unknown,
  contentTypes: (f: FieldMeta) => readonly string[],
): [unknown] | string {
  if (v === null) return f.nullable ? [null] : 'This field may not be null.';
  switch (f.kind) {
    case 'string':
    case 'text':
    case 'slug':
    case 'color':
    case 'password': {
      if (typeof v !== 'string' && typeof v !== 'number') return 'Not a valid string.';
      const s = f.kind === 'password' ? String(v) : String(v).trim();
      if (s.includes('\0')) return NUL_MESSAGE;
      if (s === '' && !f.blank) return f.nullable ? [null] : 'This field may not be blank.';
      return [f.kind === 'color' ? s.toLowerCase() : s];
    }
    case 'integer': {
      const raw = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
      // As DRF's IntegerField: a trailing `.0…` is dropped, so `"2.0"` is 2 and `"2.5"` is refused.
      const n = typeof raw === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(raw) ? Number.parseInt(raw, 10) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n)) return 'A valid integer is required.';
      if (!Number.isSafeInteger(n)) return 'Ensure this value is a safe integer.';
      if (f.choices && !f.choices.some((c) => c.value === n)) return `"${n}" is not a valid choice.`;
      return [n];
    }
    case 'float':
    case 'decimal': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) return 'A valid number is required.';
      if (f.kind === 'decimal' && f.scale !== undefined) {
        const digits = Math.abs(n).toFixed(f.scale).replace('.', '').replace(/^0+/, '').length;
        if (f.precision !== undefined && digits > f.precision) {
          return `Ensure that there are no more than ${f.precision} digits in total.`;
        }
        // Rounded to the column's scale but still a number: the API renders decimals as numbers.
        return [Number(n.toFixed(f.scale))];
      }
      return [n];
    }
    case 'boolean': {
      const b = parseBoolean(v === 1 || v === 0 ? String(v) : v);
      return b === undefined ? 'Must be a valid boolean.' : [b];
    }
    case 'uuid':
      return isUuid(v) ? [v.toLowerCase()] : 'Must be a valid UUID.';
    case 'datetime': {
      if (v instanceof Date)
        return Number.isNaN(v.getTime()) ? 'Datetime has wrong format. Use ISO 8601.' : [v];
      const d = typeof v === 'string' ? parseIsoDatetime(v) : null;
      return d ? [d] : 'Datetime has wrong format. Use ISO 8601.';
    }
    case 'date':
      return typeof v === 'string' && parseIsoDate(v) ? [v.trim()] : 'Date has wrong format. Use YYYY-MM-DD.';
    case 'json':
      if (jsonDepth(v, LIMITS.maxJsonDepth) > LIMITS.maxJsonDepth) return tooDeep();
      if (nulErrors(v)) return NUL_MESSAGE;
      return [v];
    case 'choice': {
      const value = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
      const s = typeof value === 'number' ? String(value) : value;
      if (s === '' && f.blank) return [''];
      if (typeof s !== 'string' || !f.choices?.some((c) => c.value === s)) {
        return `"${typeof s === 'string' ? s : JSON.stringify(value)}" is not a valid choice.`;
      }
      return [s];
    }
    case 'cidr':
    case 'inet':
    case 'mac': {
      if (typeof v !== 'string') return 'Not a valid string.';
      try {
        return [
          f.kind === 'cidr' ? normalizeCidr(v) : f.kind === 'inet' ? normalizeInet(v) : normalizeMac(v),
        ];
      } catch (e) {
        return (e as Error).message;
      }
    }
    case 'array': {
      if (!Array.isArray(v)) return `Expected a list of items but got type "${typeName(v)}".`;
      const out: unknown[] = [];
      for (const item of v) {
        if (f.item === 'integer') {
          if (typeof item !== 'number' || !Number.isInteger(item)) return 'A valid integer is required.';
          out.push(item);
          continue;
        }
        if (typeof item !== 'string') return 'Not a valid string.';
        if (item.includes('\0')) return NUL_MESSAGE;
        if (f.choices && !f.choices.some((c) => c.value === item)) return `"${item}" is not a valid choice.`;
        if (f.content_types && !contentTypes(f).includes(item)) return `Invalid content type: ${item}`;
        out.push(item);
      }
      return [[...new Set(out)]];
    }
    default:
      return `Field kind ${f.kind} cannot be parsed here.`;
  }
}

/** Set by the system only, even when a hook may set read-only fields. */
const SYSTEM_FIELDS = new Set(['id', 'created', 'last_updated']);

/**
 * Parse one submitted object. Read-only and echoed keys are ignored (clients send back what
 * they received); unknown keys are errors. `allowReadOnly` (nested writes from hooks only)
 * accepts read-only fields too.
 */
export function parseItem(
  model: ModelMeta,
  raw: unknown,
  mode: InputMode,
  targetOf: (f: RelationMeta) => ModelMeta,
  contentTypes: (f: FieldMeta) => readonly string[],
  allowReadOnly = false,
): ParsedItem {
  const item: ParsedItem = { values: {}, refs: new Map(), errors: new ErrorCollector(), sources: new Map() };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    item.errors.add('__all__', `Invalid data. Expected a dictionary, but got ${typeName(raw)}.`);
    return item;
  }
  const data = raw as Record<string, unknown>;
  item.id = data.id;
  for (const [key, v] of Object.entries(data)) {
    const f = model.field(key);
    if (!f) {
      const source = model.source(key);
      // Computed sources (config context) are echoed back by clients like read-only fields.
      if (source && (source.column || source.save) && !source.field.read_only) {
        if (v !== undefined) item.sources.set(key, v);
      } else if (!source && !ECHOED_KEYS.has(key)) {
        item.errors.add(key, 'Unknown field.');
      }
      continue;
    }
    if ((f.read_only && !allowReadOnly) || SYSTEM_FIELDS.has(key)) continue;
    if (v === undefined) continue;
    if (f.kind === 'fk') {
      if (v === null) {
        if (f.nullable) item.refs.set(f, null);
        else item.errors.add(key, 'This field may not be null.');
        continue;
      }
      const ref = parseRef(targetOf(f), v);
      if (typeof ref === 'string') item.errors.add(key, ref);
      else item.refs.set(f, ref);
      continue;
    }
    if (f.kind === 'm2m') {
      const list = v === null ? [] : v;
      if (!Array.isArray(list)) {
        item.errors.add(key, `Expected a list of items but got type "${typeName(v)}".`);
        continue;
      }
      const refs: RefInput[] = [];
      for (const el of list) {
        const ref = parseRef(targetOf(f), el);
        if (typeof ref === 'string') item.errors.add(key, ref);
        else refs.push(ref);
      }
      item.refs.set(f, refs);
      continue;
    }
    const parsed = parseScalar(f, v, contentTypes);
    if (typeof parsed === 'string') item.errors.add(key, parsed);
    else item.values[key] = parsed[0];
  }
  if (mode !== 'partial') {
    for (const f of model.fields) {
      if (isRequired(f) && !(f.name in data && data[f.name] !== undefined))
        item.errors.add(f.name, 'This field is required.');
    }
  }
  return item;
}
