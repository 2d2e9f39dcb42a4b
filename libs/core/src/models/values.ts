import type { FieldMeta, ModelMeta, Rec, RecordOf } from '@plinth/plugin-sdk';

/** Conversions between database rows, internal records and API values, per field kind. */

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

/**
 * The column of a field that must have one (filters, uniqueness, natural keys): fields without a
 * column (handled by hooks or features) never reach these paths.
 */
export function columnOf(f: FieldMeta): string {
  if (f.column === null) throw new Error(`field "${f.name}" has no column of its own`);
  return f.column;
}

/** A database row (column names) to a record (field names); many-to-many fields are not included. */
/** A stored record as the write path and hooks see it (typed per model through the SDK). */
export type StoredRecord = RecordOf<object>;

export function rowToRecord(model: ModelMeta, row: Record<string, unknown>): StoredRecord {
  const rec: StoredRecord = { id: String(row.id) };
  // Values kept in a column of the model's own table (custom fields) travel under their name.
  for (const s of model.sources) if (s.column) rec[s.name] = row[s.column] ?? null;
  for (const f of model.fields) {
    if (!f.column) continue;
    const v = row[f.column] ?? null;
    // pg returns numerics as strings; records carry numbers so validation and change detection agree.
    rec[f.name] = f.kind === 'decimal' && typeof v === 'string' ? Number(v) : v;
  }
  return rec;
}

/** A record value as a bind parameter. */
export function toDbValue(field: FieldMeta, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.kind === 'json') return JSON.stringify(value);
  return value;
}

const lastStamp = { time: NaN, text: '' };

/**
 * A timestamp as a bind parameter (ISO 8601, UTC, for timestamptz columns). The driver's own
 * conversion of a Date costs more than the rest of a cell; the rows of one write share their
 * `created`/`last_updated` instant, converted once.
 */
export function timestampParam(d: Date): string | Date {
  const time = d.getTime();
  if (Number.isNaN(time)) return d;
  if (time !== lastStamp.time) {
    lastStamp.time = time;
    lastStamp.text = d.toISOString();
  }
  return lastStamp.text;
}

export function formatDatetime(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

/** A stored value as the API shows it (foreign keys and many-to-many are handled by the serializer). */
export function apiValue(field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (field.kind === 'array') return [];
    return null;
  }
  switch (field.kind) {
    case 'datetime':
      return formatDatetime(value);
    case 'mac':
      return String(value).toUpperCase();
    case 'inet':
      return withMask(value);
    case 'choice': {
      if (value === '') return null;
      const c = field.choices?.find((x) => x.value === value);
      return { value, label: c?.label ?? String(value) };
    }
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!field.choices) return n;
      return { value: n, label: field.choices.find((c) => c.value === n)?.label ?? String(n) };
    }
    // Decimals are JSON numbers, as NetBox and Nautobot render them (COERCE_DECIMAL_TO_STRING off).
    case 'float':
    case 'decimal':
      return typeof value === 'number' ? value : Number(value);
    default:
      return value;
  }
}

/** A value for change-log snapshots: JSON-safe, foreign keys as ids, choices as plain values. */
export function snapshotValue(field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined)
    return field.kind === 'array' || field.kind === 'm2m' ? [] : null;
  if (field.kind === 'datetime') return formatDatetime(value);
  if (field.kind === 'mac') return String(value).toUpperCase();
  if (field.kind === 'inet') return withMask(value);
  return value;
}

/**
 * An inet as Nautobot shows it: always with its mask. PostgreSQL's inet output leaves out a
 * full-length one (`10.0.0.1` for `10.0.0.1/32`).
 */
function withMask(value: unknown): string {
  const s = String(value);
  return s.includes('/') ? s : `${s}/${s.includes(':') ? 128 : 32}`;
}

export function snapshot(model: ModelMeta, rec: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id };
  for (const f of model.fields) {
    if (f.write_only || f.name === 'id') continue;
    out[f.name] = snapshotValue(f, rec[f.name]);
  }
  // Column-backed sources are part of the row (custom fields); others log their own changes.
  for (const s of model.sources) if (s.column) out[s.name] = rec[s.name] ?? null;
  return out;
}

// Network values are normalised by the SDK, so plugins and core agree on them.
export { normalizeCidr, normalizeInet, normalizeMac } from '@plinth/plugin-sdk';

/**
 * Nautobot's composite key form: parts joined by `;`, each URL-escaped with `+` for spaces. A part
 * that is not valid URL escaping (`50%`) is taken as written.
 */
export function splitNaturalKey(value: string): string[] {
  return value.split(';').map((p) => {
    const spaced = p.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(spaced);
    } catch {
      return spaced;
    }
  });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

/** `YYYY-MM-DD` naming a real day (`2020-02-30` is refused, not shifted to March). */
export function parseIsoDate(v: string): boolean {
  const m = ISO_DATE.exec(v.trim());
  return !!m && validDay(m[1], m[2], m[3]);
}

/**
 * An ISO 8601 date/time (a date alone is midnight UTC), with a real day and time of day; null
 * otherwise. JavaScript's Date parser accepts `"1"` (2001) and rolls `02-30` into March.
 */
export function parseIsoDatetime(v: string): Date | null {
  const m = ISO_DATETIME.exec(v.trim());
  if (!m || !validDay(m[1], m[2], m[3])) return null;
  const [h, min, sec] = [m[4], m[5], m[6]].map((x) => Number(x ?? 0));
  if (h > 23 || min > 59 || sec > 59) return null;
  if (m[7] && m[7].toUpperCase() !== 'Z') {
    const off = /^[+-](\d{2}):?(\d{2})?$/.exec(m[7]);
    if (!off || Number(off[1]) > 23 || Number(off[2] ?? 0) > 59) return null;
  }
  const text = v.trim().replace(' ', 'T');
  // No zone means UTC (as Plinth stores and shows every time).
  const d = new Date(m[4] && !m[7] ? `${text}Z` : m[4] ? text : `${text}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function joinNaturalKey(parts: readonly unknown[]): string {
  return parts.map((p) => encodeURIComponent(String(p ?? '')).replace(/%20/g, '+')).join(';');
}
