import type { FieldSource, ModelMeta } from '@plinth/plugin-sdk';
import { computedFieldsOf, type ComputedFieldDef } from './definitions';
import { runningTemplateEngine, type TemplateEngine } from './engine';

/**
 * An object as a computed field's template sees it: its stored field values, without
 * write-only fields (passwords, secrets) and internal columns.
 */
export function templateObject(model: ModelMeta, record: Record<string, unknown>): Record<string, unknown> {
  const hidden = new Set(
    model.fields.filter((f) => f.write_only || f.kind === 'password').map((f) => f.name),
  );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!hidden.has(k) && !k.startsWith('_')) out[k] = v;
  return out;
}

/** Longest computed value (characters). */
export const MAX_COMPUTED_VALUE = 10_000;

/**
 * The computed fields of a batch of objects: every template for every object in one worker
 * round trip; a failed render gives the field's fallback value. `obj` is the object's stored
 * field values (related objects as ids), so a page costs no query per object.
 */
export async function renderComputedFields(
  engine: TemplateEngine,
  model: ModelMeta,
  defs: readonly ComputedFieldDef[],
  records: readonly Record<string, unknown>[],
): Promise<Map<string, Record<string, string>>> {
  const jobs = records.flatMap((r) => {
    const obj = templateObject(model, r);
    return defs.map((d) => ({ source: d.template, context: { obj } }));
  });
  const results = await engine.renderMany(jobs, { max_output: MAX_COMPUTED_VALUE });
  const out = new Map<string, Record<string, string>>();
  records.forEach((r, i) => {
    const values: Record<string, string> = {};
    defs.forEach((d, j) => {
      const res = results[i * defs.length + j];
      values[d.key] = res.ok ? res.output : d.fallback_value;
    });
    out.set(String(r.id), values);
  });
  return out;
}

/** `computed_fields` of a model: REST `?include=computed_fields`, GraphQL `computed_fields`. */
export function computedFieldsSource(model: ModelMeta): FieldSource {
  return {
    name: 'computed_fields',
    field: {
      kind: 'json',
      label: 'Computed fields',
      help_text: 'Values of the computed fields of this object type, by key.',
      nullable: true,
      blank: true,
      unique: false,
      read_only: true,
      write_only: false,
      filter: false,
      search: false,
    },
    optional: true,
    async load(records, ctx) {
      const defs = await computedFieldsOf(ctx, model.label);
      if (defs.length === 0 || records.length === 0) return new Map(records.map((r) => [r.id, {}]));
      const values = await renderComputedFields(runningTemplateEngine(), model, defs, records);
      return new Map(records.map((r) => [r.id, values.get(r.id) ?? {}]));
    },
  };
}
