import { isRequired } from '@plinth/core';
import {
  isRelation,
  parseBoolean,
  type FieldErrors,
  type FieldMeta,
  type FieldSourceColumn,
  type ModelMeta,
  type Rec,
} from '@plinth/plugin-sdk';
import type { UiModels } from '../ui-models';
import type { RefNames } from './cells';

/** A submitted form: urlencoded values, repeated keys as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

export type Widget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'checkbox'
  | 'select'
  | 'multiselect'
  | 'remote'
  | 'password'
  | 'color'
  | 'json'
  | 'date';

export interface FormField {
  name: string;
  label: string;
  help_text: string;
  required: boolean;
  widget: Widget;
  multiple: boolean;
  value: string;
  checked: boolean;
  choices: { value: string; label: string; selected: boolean }[];
  /** REST list URL (with limit_choices_to filters) that searchable selects query. */
  api?: string;
  placeholder: string;
  errors: string[];
}

/** Fields a form edits: everything clients may write. */
/** Field sources shown like fields (custom fields, plugin fields): optional ones are asked for. */
export function sourceFields(
  model: ModelMeta,
  opts: { writable?: boolean; stored?: boolean } = {},
): FieldMeta[] {
  return model.sources
    .filter((s) => !s.optional && !s.columns)
    .filter((s) => !opts.writable || ((s.column || s.save) && !s.field.read_only))
    .filter((s) => !opts.stored || s.column)
    .map((s): FieldMeta => ({ ...s.field, name: s.name, column: null }));
}

/** One key of an object-valued source shown as its own field (`cf_<key>` of `custom_fields`). */
export interface KeyedField {
  source: string;
  key: string;
  group: string;
  advanced: boolean;
  markdown: boolean;
  field: FieldMeta;
  /** The column's value in the source's value, and the source's value with it put in. */
  get(value: unknown): unknown;
  set(value: unknown, columnValue: unknown): unknown;
}

/** A column whose values are object ids, as a reference field (searchable selects, names). */
function columnField(c: FieldSourceColumn): FieldMeta {
  if (!c.target) return { ...c.field, name: c.name, column: null } as FieldMeta;
  const base = { ...c.field, name: c.name, target: c.target };
  return c.field.kind === 'array'
    ? ({ ...base, kind: 'm2m', column: null, through: { table: '', source: '', target: '' } } as FieldMeta)
    : ({ ...base, kind: 'fk', column: '', on_delete: 'SET_NULL' } as FieldMeta);
}

const keyOf = (key: string) => ({
  get: (value: unknown): unknown =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
  set: (value: unknown, v: unknown): unknown => ({
    ...(value !== null && typeof value === 'object' ? value : {}),
    [key]: v,
  }),
});

/**
 * The keys of sources shown key by key (custom fields), in the sources' order. Optional sources'
 * columns (relationships) are form inputs only: `writable` lists them.
 */
export function keyedFields(model: ModelMeta, opts: { writable?: boolean } = {}): KeyedField[] {
  return model.sources
    .filter((s) => (!s.optional || opts.writable) && s.columns)
    .filter((s) => !opts.writable || ((s.column || s.save) && !s.field.read_only))
    .flatMap((s) =>
      s.columns!().map((c) => ({
        source: s.name,
        key: c.key,
        group: c.group ?? '',
        advanced: c.advanced ?? false,
        markdown: c.markdown ?? false,
        field: columnField(c),
        get: c.get ?? keyOf(c.key).get,
        set: c.set ?? keyOf(c.key).set,
      })),
    );
}

/** Optional sources with form inputs: an edit form reads their values (`?include=`). */
export function formSources(model: ModelMeta): string[] {
  return model.sources.filter((s) => s.optional && s.columns && (s.column || s.save)).map((s) => s.name);
}

export function editableFields(model: ModelMeta): FieldMeta[] {
  return [
    ...model.fields.filter((f) => !f.read_only && f.name !== 'id'),
    ...sourceFields(model, { writable: true }),
    ...keyedFields(model, { writable: true }).map((k) => k.field),
  ];
}

/** Put a form value where the write path takes it: a field, or one key of a source's object. */
export function assignFormValue(model: ModelMeta, data: Rec, name: string, value: unknown): void {
  const keyed = keyedFields(model, { writable: true }).find((k) => k.field.name === name);
  if (!keyed) {
    data[name] = value;
    return;
  }
  data[keyed.source] = keyed.set(data[keyed.source], value);
}

/** Write-path errors of source keys (`custom_fields.<key>`) under their form input (`cf_<key>`). */
export function keyedErrors(model: ModelMeta, errors: FieldErrors): FieldErrors {
  const byPath = new Map(
    keyedFields(model, { writable: true }).map((k) => [`${k.source}.${k.key}`, k.field.name]),
  );
  const out: FieldErrors = {};
  for (const [k, msgs] of Object.entries(errors)) {
    const keyed = byPath.get(k);
    // A part of one input (`filter.status` of a JSON field) is shown on that input, naming the part.
    const dot = k.indexOf('.');
    const whole = !keyed && dot > 0 && model.field(k.slice(0, dot)) ? k.slice(0, dot) : undefined;
    if (whole) (out[whole] ??= []).push(...msgs.map((m) => `${k.slice(dot + 1)}: ${m}`));
    else (out[keyed ?? k] ??= []).push(...msgs);
  }
  return out;
}

/** A record with each source key's value under its input name, for forms. */
function flatRecord(model: ModelMeta, rec: Rec): Rec {
  const out: Rec = { ...rec };
  for (const k of keyedFields(model, { writable: true })) out[k.field.name] = k.get(rec[k.source]);
  return out;
}

export function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== '');
}

export function one(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? '');
}

function usesChoiceList(f: FieldMeta): boolean {
  return f.kind === 'array' && (!!f.choices?.length || !!f.content_types);
}

/**
 * A form value (strings from the browser) as write-path input. Returns `undefined` to leave
 * the field out (blank numbers and choices: the default on create, unchanged on edit), or an
 * error message for input the write path cannot even receive (malformed JSON).
 */
export function parseFormValue(
  f: FieldMeta,
  raw: string | string[] | undefined,
): { value?: unknown; error?: string } {
  if (f.kind === 'm2m') return { value: list(raw) };
  if (f.kind === 'boolean') return { value: parseBoolean(one(raw)) === true };
  if (f.kind === 'array') {
    const items = usesChoiceList(f)
      ? list(raw)
      : one(raw)
          .split(/[\n,]/)
          .map((s) => s.trim())
          .filter(Boolean);
    return { value: f.item === 'integer' ? items.map((x) => (/^-?\d+$/.test(x) ? Number(x) : x)) : items };
  }
  const text = one(raw);
  const blank = text.trim() === '';
  if (f.kind === 'json') {
    if (blank) return f.nullable ? { value: null } : {};
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (e) {
      return { error: `Enter valid JSON: ${(e as Error).message}` };
    }
  }
  if (f.kind === 'password' || f.write_only) return blank ? {} : { value: text };
  if (f.kind === 'color') return { value: text.trim().replace(/^#/, '') };
  if (['string', 'text', 'slug'].includes(f.kind)) return { value: text };
  if (blank && f.nullable) return { value: null };
  // "---------" on a choice that may be blank clears it (an edit otherwise kept the old choice).
  if (blank) return f.kind === 'choice' && f.blank ? { value: '' } : {};
  return { value: text.trim() };
}

/** Write-path input from a submitted form, plus errors found before the write path. */
export function formInput(model: ModelMeta, body: FormBody): { data: Rec; errors: FieldErrors } {
  const data: Rec = {};
  const errors: FieldErrors = {};
  for (const f of editableFields(model)) {
    const r = parseFormValue(f, body[f.name]);
    if (r.error) errors[f.name] = [r.error];
    else if ('value' in r) assignFormValue(model, data, f.name, r.value);
  }
  return { data, errors };
}

/** A stored record as form strings. */
export function recordToForm(model: ModelMeta, stored: Rec): FormBody {
  const rec = flatRecord(model, stored);
  const out: FormBody = {};
  for (const f of editableFields(model)) {
    const v = rec[f.name];
    if (f.write_only || v === null || v === undefined) out[f.name] = f.kind === 'm2m' ? [] : '';
    else if (f.kind === 'm2m') out[f.name] = (v as unknown[]).map(String);
    else if (f.kind === 'array')
      out[f.name] = usesChoiceList(f) ? (v as unknown[]).map(String) : (v as unknown[]).join('\n');
    else if (f.kind === 'boolean') out[f.name] = v ? 'on' : '';
    else if (f.kind === 'json') out[f.name] = JSON.stringify(v, null, 2);
    else if (f.kind === 'datetime') out[f.name] = new Date(v as string).toISOString();
    else out[f.name] = String(v);
  }
  return out;
}

/** Initial values of an add form: defaults, overridden by query parameters (`?status=Active`). */
export function initialForm(model: ModelMeta, query: Record<string, string[]>): FormBody {
  const out: FormBody = {};
  for (const f of editableFields(model)) {
    if (query[f.name]?.length) {
      out[f.name] = f.kind === 'm2m' || usesChoiceList(f) ? query[f.name] : query[f.name][0];
      continue;
    }
    const d = typeof f.default === 'function' ? undefined : f.default;
    if (d === undefined || d === null) continue;
    out[f.name] =
      f.kind === 'boolean'
        ? d
          ? 'on'
          : ''
        : Array.isArray(d)
          ? d.map(String)
          : typeof d === 'object'
            ? JSON.stringify(d)
            : String(d);
  }
  return out;
}

function widgetOf(f: FieldMeta): Widget {
  // Integer fields may have choices too (rack widths).
  if (f.choices?.length && f.kind !== 'array') return 'select';
  switch (f.kind) {
    case 'fk':
    case 'm2m':
      return 'remote';
    case 'boolean':
      return 'checkbox';
    case 'choice':
      return 'select';
    case 'array':
      return usesChoiceList(f) ? 'multiselect' : 'textarea';
    case 'text':
      return 'textarea';
    case 'json':
      return 'json';
    case 'password':
      return 'password';
    case 'color':
      return 'color';
    case 'integer':
    case 'float':
    case 'decimal':
      return 'number';
    case 'date':
      return 'date';
    default:
      return f.write_only ? 'password' : 'text';
  }
}

const PLACEHOLDERS: Partial<Record<FieldMeta['kind'], string>> = {
  datetime: 'YYYY-MM-DDThh:mm:ssZ',
  cidr: '192.0.2.0/24',
  inet: '192.0.2.1/24',
  mac: '00:00:5E:00:53:01',
  uuid: '00000000-0000-0000-0000-000000000000',
  color: '9e9e9e',
};

/** Form fields with values, choices, searchable-select sources and errors. */
export function formFields(
  model: ModelMeta,
  fields: readonly FieldMeta[],
  values: FormBody,
  errors: FieldErrors,
  ui: UiModels,
  names: RefNames,
  opts: { allOptional?: boolean } = {},
): FormField[] {
  return fields.map((f) => {
    const widget = widgetOf(f);
    const selected = list(values[f.name]);
    const field: FormField = {
      name: f.name,
      label: f.label,
      help_text: f.help_text ?? '',
      required: !opts.allOptional && isRequired(f),
      widget,
      multiple: f.kind === 'm2m' || f.kind === 'array',
      value: Array.isArray(values[f.name]) ? '' : one(values[f.name]),
      checked: one(values[f.name]) === 'on',
      choices: [],
      placeholder: PLACEHOLDERS[f.kind] ?? '',
      errors: errors[f.name] ?? [],
    };
    if (f.kind === 'choice' || (f.choices?.length && widget === 'select')) {
      const blank =
        opts.allOptional || f.nullable || f.blank
          ? [{ value: '', label: '---------', selected: field.value === '' }]
          : [];
      field.choices = [
        ...blank,
        ...(f.choices ?? []).map((c) => ({
          value: String(c.value),
          label: c.label,
          selected: String(c.value) === field.value,
        })),
      ];
    } else if (widget === 'multiselect') {
      const options = f.content_types
        ? ui.models.contentTypesFor(f).map((l) => ({ value: l, label: l }))
        : (f.choices ?? []).map((c) => ({ value: String(c.value), label: c.label }));
      field.choices = options.map((c) => ({
        value: c.value,
        label: c.label,
        selected: selected.includes(c.value),
      }));
    } else if (widget === 'remote' && isRelation(f)) {
      const target = ui.models.targetOf(f);
      const filters = f.limit_choices_to?.(model.label) ?? {};
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(filters))
        for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
      field.api = target.api_path ? `${target.api_path}${qs.size ? `?${qs}` : ''}` : undefined;
      const chosen = f.kind === 'fk' ? (field.value ? [field.value] : []) : selected;
      field.choices = chosen.map((v) => ({
        value: v,
        label: names.get(target.label, v).display,
        selected: true,
      }));
      if (!field.api) field.widget = f.kind === 'fk' ? 'text' : 'textarea';
    }
    return field;
  });
}

/** Ids of related objects among form values, to show their names in the selects. */
export function relatedIds(
  model: ModelMeta,
  fields: readonly FieldMeta[],
  values: FormBody,
  ui: UiModels,
): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const f of fields) {
    if (f.kind !== 'fk' && f.kind !== 'm2m') continue;
    const label = ui.models.targetOf(f).label;
    const ids = list(values[f.name]).filter((v) => /^[0-9a-f-]{36}$/i.test(v));
    if (ids.length) wanted.set(label, new Set([...(wanted.get(label) ?? []), ...ids]));
  }
  return wanted;
}

/** Error keys that belong to no field of the form (shown above it). */
export function otherErrors(errors: FieldErrors, fields: readonly { name: string }[]): string[] {
  const names = new Set(fields.map((f) => f.name));
  return Object.entries(errors)
    .filter(([k]) => !names.has(k))
    .flatMap(([k, msgs]) => msgs.map((m) => (k === '__all__' ? m : `${k}: ${m}`)));
}
