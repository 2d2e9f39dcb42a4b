import {
  sql,
  type FieldMeta,
  type ModelLookup,
  type ModelMeta,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';

/** How a rule names a custom field: `cf_<key>` (as `cf_<key>` filters and CSV columns do). */
export const CUSTOM_FIELD_PREFIX = 'cf_';

/** What a rule's `field` names on its model: a declared field, or a custom field. */
export type RuleTarget =
  | { kind: 'field'; name: string; field: FieldMeta }
  | { kind: 'custom_field'; name: string; key: string; type: string };

/** The rule kinds, for the checks of which fields each kind can apply to. */
export type RuleKind = 'regex' | 'minmax' | 'required' | 'unique';

const NUMERIC_KINDS = new Set(['integer', 'float', 'decimal']);
/** Values a regular expression can sensibly test (as text). */
const TEXT_KINDS = new Set([
  'string',
  'text',
  'slug',
  'color',
  'choice',
  'cidr',
  'inet',
  'mac',
  'uuid',
  'integer',
  'float',
  'decimal',
  'date',
  'datetime',
]);
/** Values compared for equality in SQL by the unique rule (not JSON, lists or secrets). */
const COMPARABLE_KINDS = new Set([...TEXT_KINDS, 'boolean', 'fk']);
const CF_TEXT_TYPES = new Set(['text', 'url', 'markdown', 'select', 'integer', 'date']);
const CF_COMPARABLE_TYPES = new Set(['text', 'url', 'select', 'integer', 'date', 'boolean']);

/** The model a rule's `content_type` names, or a message for the `content_type` field. */
export function ruleModel(models: ModelLookup, contentType: string): ModelMeta | string {
  const model = models.get(contentType);
  if (!model) return `"${contentType}" is not an installed model (use a label such as dcim.device).`;
  if (!model.has('custom_validators') || model.read_only)
    return `${capital(model.verbose_name_plural)} cannot be validated by rules.`;
  return model;
}

/**
 * What `field` names on `model` and whether a rule of `kind` can check it; a message for the
 * `field` field otherwise. Custom fields (`cf_<key>`) must exist and apply to the model.
 */
export async function resolveTarget(
  db: SqlRunner,
  model: ModelMeta,
  name: string,
  kind: RuleKind,
): Promise<RuleTarget | string> {
  if (name.startsWith(CUSTOM_FIELD_PREFIX)) {
    const key = name.slice(CUSTOM_FIELD_PREFIX.length);
    const cf = await db.one<{ type: string }>(
      sql`SELECT "type" FROM ${sql.table('extras.customfield')} WHERE "key" = ${key} AND ${model.label} = ANY("content_types")`,
    );
    if (!cf) return `${capital(model.verbose_name_plural)} have no custom field "${key}".`;
    const fits =
      kind === 'required' ||
      (kind === 'minmax' && cf.type === 'integer') ||
      (kind === 'regex' && CF_TEXT_TYPES.has(cf.type)) ||
      (kind === 'unique' && CF_COMPARABLE_TYPES.has(cf.type));
    if (!fits) return `A ${KIND_NAMES[kind]} rule cannot check a ${cf.type} custom field.`;
    return { kind: 'custom_field', name, key, type: cf.type };
  }
  const field = model.field(name);
  if (!field) return `${capital(model.verbose_name_plural)} have no field "${name}".`;
  if (field.read_only || field.write_only || field.name === 'id')
    return `"${name}" is not set by users: no rule can check it.`;
  const fits =
    kind === 'required' ||
    (kind === 'minmax' && NUMERIC_KINDS.has(field.kind)) ||
    (kind === 'regex' && TEXT_KINDS.has(field.kind)) ||
    (kind === 'unique' && COMPARABLE_KINDS.has(field.kind));
  if (!fits) return `A ${KIND_NAMES[kind]} rule cannot check a ${field.kind} field.`;
  if (kind === 'unique' && !field.column) return `"${name}" has no column of its own: it cannot be unique.`;
  return { kind: 'field', name, field };
}

const KIND_NAMES: Record<RuleKind, string> = {
  regex: 'regular expression',
  minmax: 'min/max',
  required: 'required',
  unique: 'unique',
};

/** The value of a target in a record (custom fields are under `custom_fields`). */
export function valueOf(record: Readonly<Record<string, unknown>>, target: RuleTarget): unknown {
  if (target.kind === 'field') return record[target.field.name];
  const data = record.custom_fields;
  return data && typeof data === 'object' ? (data as Record<string, unknown>)[target.key] : undefined;
}

/** The field name errors are reported under: the field, or `custom_fields.<key>` as the API does. */
export function errorField(target: RuleTarget): string {
  return target.kind === 'field' ? target.name : `custom_fields.${target.key}`;
}

/** The SQL expression of a target over a row of the model's table aliased `alias`. */
export function columnExpr(target: RuleTarget, alias: string): Sql {
  if (target.kind === 'custom_field')
    return sql`(${sql.ident(alias, '_custom_field_data')} ->> ${target.key})`;
  if (!target.field.column) throw new Error(`${target.name} has no column`);
  return sql.ident(alias, target.field.column);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
