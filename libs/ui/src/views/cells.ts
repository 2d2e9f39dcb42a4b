import { displayOf, jsonDepth, type Reads } from '@plinth/core';
import {
  escapeHtml,
  type ComputedField,
  type FieldMeta,
  type ModelMeta,
  type ReadActor,
  type TableColumn,
} from '@plinth/plugin-sdk';
import { formatDate } from '../render';
import type { UiModels } from '../ui-models';

/** A related object as a page shows it. */
export interface RefDisplay {
  display: string;
  url: string | null;
  /** 6-hex colour of tags, statuses, roles (shown as a badge). */
  color?: string;
}

interface RefValue {
  id: string;
  object_type: string;
}

function isRef(v: unknown): v is RefValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as RefValue).id === 'string' &&
    typeof (v as RefValue).object_type === 'string'
  );
}

const key = (label: string, id: string): string => `${label}:${id}`;

/**
 * Names and links of the objects that serialized values point at: one query per referenced
 * model for a whole page, so a page costs the same number of queries whatever its size.
 */
export class RefNames {
  private readonly map = new Map<string, RefDisplay>();

  constructor(
    private readonly reads: Reads,
    private readonly actor: ReadActor,
    private readonly ui: UiModels,
  ) {}

  /** Collect every `{id, object_type}` in the values (nested in lists too) and load their names. */
  async load(values: Iterable<unknown>): Promise<this> {
    const wanted = new Map<string, Set<string>>();
    // References are values or lists of them: no deeper (JSON values may nest thousands of lists).
    const visit = (v: unknown, depth: number): void => {
      if (Array.isArray(v)) {
        if (depth < 2) for (const x of v) visit(x, depth + 1);
      } else if (isRef(v) && !this.map.has(key(v.object_type, v.id)))
        (wanted.get(v.object_type) ?? wanted.set(v.object_type, new Set()).get(v.object_type)!).add(v.id);
    };
    for (const v of values) visit(v, 0);
    await this.loadIds(wanted);
    return this;
  }

  /** Load names for ids of one model (e.g. filter values). */
  async loadIds(wanted: Map<string, Set<string>>): Promise<void> {
    for (const [label, ids] of wanted) {
      const model = this.ui.get(label);
      if (!model || ids.size === 0) continue;
      // Names of objects the user may not view stay hidden (the reference shows its id).
      const rows = await this.reads.rowsById(this.actor, model, [...ids]);
      for (const row of rows) {
        const color =
          typeof row.color === 'string' && /^[0-9a-f]{6}$/i.test(row.color) ? row.color : undefined;
        this.map.set(key(label, String(row.id)), {
          display: displayOf(model, row),
          url: this.ui.url(label, row.id),
          color,
        });
      }
    }
  }

  get(label: string, id: string): RefDisplay {
    return this.map.get(key(label, id)) ?? { display: id, url: this.ui.url(label, id) };
  }
}

/** Black or white text on a background colour. */
function textOn(hex: string): string {
  const n = parseInt(hex, 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return r * 0.299 + g * 0.587 + b * 0.114 > 150 ? '#000' : '#fff';
}

export function refHtml(ref: RefDisplay): string {
  const text = escapeHtml(ref.display);
  if (ref.color) {
    const style = `background-color:#${ref.color};color:${textOn(ref.color)}`;
    return ref.url
      ? `<a class="badge text-decoration-none" style="${style}" href="${escapeHtml(ref.url)}">${text}</a>`
      : `<span class="badge" style="${style}">${text}</span>`;
  }
  return ref.url ? `<a href="${escapeHtml(ref.url)}">${text}</a>` : text;
}

export const EMPTY = '<span class="text-muted">—</span>';

/**
 * One serialized value as table/attribute markup (escaped). `full` shows JSON and long text in
 * full (detail pages); lists abbreviate.
 */
export function valueHtml(
  value: unknown,
  field: FieldMeta | ComputedField | undefined,
  names: RefNames,
  full = false,
): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY;
    if (value.every(isRef)) return value.map((r) => refHtml(names.get(r.object_type, r.id))).join(' ');
    // JSON fields and JSON computed values (lists of objects) show as JSON, not as badges.
    const json =
      (field && 'kind' in field && field.kind === 'json') ||
      (field && 'type' in field && field.type === 'json');
    if (json || value.some((v) => typeof v === 'object' && v !== null)) return jsonHtml(value, full);
    return value.map((v) => `<span class="badge text-bg-light border">${escapeHtml(v)}</span>`).join(' ');
  }
  if (isRef(value)) return refHtml(names.get(value.object_type, value.id));
  const kind = field && 'kind' in field ? field.kind : undefined;
  // Choices (string or integer) serialize as {value, label}.
  if (typeof value === 'object' && value !== null && 'label' in value && 'value' in value) {
    const v = (value as { value: unknown }).value;
    const choices = field && 'choices' in field ? field.choices : undefined;
    const color = choices?.find((c) => c.value === v)?.color ?? 'secondary';
    return `<span class="badge text-bg-${escapeHtml(color)}">${escapeHtml((value as { label: unknown }).label)}</span>`;
  }
  if (typeof value === 'boolean')
    return value
      ? '<span class="text-success" title="Yes">✔</span>'
      : '<span class="text-danger" title="No">✘</span>';
  if (kind === 'color' && typeof value === 'string' && /^[0-9a-f]{6}$/i.test(value))
    return `<span class="color-swatch" style="background-color:#${value}"></span> <code>${value}</code>`;
  if (kind === 'datetime') return escapeHtml(formatDate(value));
  if (kind === 'json' || (field && 'type' in field && field.type === 'json') || typeof value === 'object')
    return jsonHtml(value, full);
  if (kind === 'text' && !full) {
    const s = String(value);
    return escapeHtml(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  }
  if (kind === 'text')
    return `<div class="text-break" style="white-space:pre-wrap">${escapeHtml(value)}</div>`;
  return escapeHtml(value);
}

/** Deeper JSON is shown compact: indentation grows with depth, so pretty text grows with its square. */
const PRETTY_DEPTH = 12;
/** Most characters of one JSON value a page shows. */
const MAX_JSON_CHARS = 65_536;

/** JSON as text for a page, bounded whatever the value's size or depth. */
export function boundedJson(value: unknown, pretty: boolean): string {
  let text: string;
  try {
    text = JSON.stringify(
      value,
      null,
      pretty && jsonDepth(value, PRETTY_DEPTH) <= PRETTY_DEPTH ? 2 : undefined,
    );
  } catch {
    return '(this value is nested too deeply to show)';
  }
  return text.length > MAX_JSON_CHARS
    ? `${text.slice(0, MAX_JSON_CHARS)}… (${text.length - MAX_JSON_CHARS} more characters)`
    : text;
}

function jsonHtml(value: unknown, full: boolean): string {
  const text = boundedJson(value, full);
  if (full) return `<pre class="mb-0 small">${escapeHtml(text)}</pre>`;
  return `<code class="small">${escapeHtml(text.length > 80 ? `${text.slice(0, 80)}…` : text)}</code>`;
}

/** A table column: a field or a computed value of the model, or a column a plugin contributes. */
export interface Column {
  name: string;
  label: string;
  sortable: boolean;
  field?: FieldMeta;
  computed?: ComputedField;
  contributed?: { column: TableColumn; plugin: string };
}

/** The model's own columns, then the contributed ones (a contributed name never hides a field). */
export function availableColumns(
  model: ModelMeta,
  contributed: readonly { column: TableColumn; plugin: string }[] = [],
): Column[] {
  const cols = ownColumns(model);
  const taken = new Set(cols.map((c) => c.name));
  for (const c of contributed) {
    if (taken.has(c.column.name)) continue;
    taken.add(c.column.name);
    cols.push({ name: c.column.name, label: c.column.label, sortable: false, contributed: c });
  }
  return cols;
}

function ownColumns(model: ModelMeta): Column[] {
  const cols: Column[] = model.fields
    .filter((f) => !f.write_only)
    .map((f) => ({
      name: f.name,
      label: f.name === 'id' ? 'ID' : f.label,
      sortable: !!f.column && f.kind !== 'json',
      field: f,
    }));
  for (const c of model.definition.computed ?? []) {
    if (c.detail_only) continue;
    cols.push({ name: c.name, label: c.label ?? humanize(c.name), sortable: false, computed: c });
  }
  return cols;
}

export function humanize(name: string): string {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The model's `list_fields` (else its first few plain fields), then the contributed columns
 * marked `default`.
 */
export function defaultColumns(model: ModelMeta, columns: readonly Column[] = ownColumns(model)): string[] {
  const available = new Set(ownColumns(model).map((c) => c.name));
  const declared = (model.definition.list_fields ?? []).filter((n) => available.has(n));
  const skip = new Set(['id', 'created', 'last_updated']);
  const plain = model.fields
    .filter((f) => !f.write_only && !skip.has(f.name) && f.kind !== 'json')
    .map((f) => f.name)
    .slice(0, 6);
  const own = declared.length ? declared : plain.length ? plain : ['id'];
  return [...own, ...columns.filter((c) => c.contributed?.column.default).map((c) => c.name)];
}
