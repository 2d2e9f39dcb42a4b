import {
  ORGANIZATIONAL_FEATURES,
  ValidationError,
  defineModel,
  sql,
  type BatchContext,
  type RuleContext,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { customFieldDefinitions } from './definitions';
import { CustomField, CustomFieldChoice } from './entities';
import { asDefinition, countUnset, populateKey, removeKey, storedValues } from './data';
import { CUSTOM_FIELD_COLUMN, forgetTransactionDefinitions } from './feature';
import { checkValue, compileRegex } from './values';

// No double underscore: `cf_<key>__<lookup>` must split one way only.
const KEY_RE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Definitions of custom data have no custom fields (or tags) of their own, as in Nautobot. */
const DEFINITION_FEATURES = ORGANIZATIONAL_FEATURES.filter((f) => f !== 'custom_fields');

async function choicesOf(tx: TransactionContext, fieldId: string | undefined): Promise<string[]> {
  if (!fieldId) return [];
  const rows = await tx.query<{ value: string }>(
    sql`SELECT "value" FROM "extras_customfieldchoice" WHERE "custom_field_id" = ${fieldId}::uuid`,
  );
  return rows.map((r) => r.value);
}

/** Key, regex, bounds, default and (on update) every stored value must fit the definition. */
async function customFieldRule(ctx: RuleContext<CustomField>): Promise<void> {
  const r = ctx.record;
  if (typeof r.key === 'string' && !KEY_RE.test(r.key))
    ctx.error(
      'key',
      'Key must be lower-case letters, digits and single underscores, starting with a letter (no trailing underscore).',
    );
  if (ctx.action === 'update' && ctx.changed('key')) ctx.error('key', 'Key cannot be changed once created.');
  if (r.validation_regex) {
    const re = compileRegex(r.validation_regex);
    if (typeof re === 'string') ctx.error('validation_regex', re);
  }
  if (
    r.validation_minimum !== null &&
    r.validation_maximum !== null &&
    r.validation_minimum > r.validation_maximum
  )
    ctx.error('validation_minimum', 'Minimum must not be greater than the maximum.');
  if (!ctx.errors.empty) return;
  const def = asDefinition(r as unknown as Record<string, unknown>, await choicesOf(ctx.tx, ctx.before?.id));
  if (def.default !== null) {
    const checked = checkValue(def, def.default);
    if (!checked.ok) ctx.error('default', `Invalid default value: ${checked.error}`);
  }
  const validationChanged = ['type', 'validation_regex', 'validation_minimum', 'validation_maximum'].some(
    (f) => ctx.changed(f as keyof CustomField & string),
  );
  if (ctx.action === 'update' && validationChanged) {
    for (const v of await storedValues(ctx.tx, def.content_types, def.key)) {
      const checked = checkValue(def, v);
      if (!checked.ok || JSON.stringify(checked.value) !== JSON.stringify(v)) {
        ctx.error(
          'type',
          `Existing value ${JSON.stringify(v)} does not fit the changed definition${checked.ok ? '' : ` (${checked.error})`}; change or clear it first.`,
        );
        break;
      }
    }
  }
  const becameRequired = r.required && (ctx.action === 'create' || ctx.changed('required'));
  if (becameRequired && def.default === null) {
    const unset = await countUnset(ctx.tx, def.content_types, def.key);
    if (unset > 0)
      ctx.error(
        'default',
        `A required field needs a default value: ${unset} existing object(s) have no value.`,
      );
  }
}

function changedDefinitions(tx: TransactionContext): void {
  forgetTransactionDefinitions(tx);
  customFieldDefinitions.invalidate();
}

export const customFieldModel = defineModel({
  entity: CustomField,
  app_label: 'extras',
  model: 'customfield',
  verbose_name: 'custom field',
  api_path: 'custom-fields',
  features: DEFINITION_FEATURES,
  display: 'label',
  natural_key: ['key'],
  ordering: ['weight', 'label'],
  rules: [customFieldRule],
  list_fields: ['label', 'key', 'type', 'content_types', 'grouping', 'required', 'filter_logic', 'weight'],
  description: "Fields operators add to object types without code (values in each object's custom_fields).",
  hooks: {
    async afterCreate(ctx: BatchContext<CustomField>) {
      changedDefinitions(ctx.tx);
      for (const r of ctx.records) await populateKey(ctx.tx, r.content_types, r.key, r.default, true);
    },
    async afterUpdate(ctx: BatchContext<CustomField>) {
      changedDefinitions(ctx.tx);
      for (const [i, r] of ctx.records.entries()) {
        const before = ctx.before?.[i];
        const removed = (before?.content_types ?? []).filter((l) => !r.content_types.includes(l));
        await removeKey(ctx.tx, removed, r.key);
        await populateKey(ctx.tx, r.content_types, r.key, r.default, r.required && !before?.required);
      }
    },
    async beforeDelete(ctx: BatchContext<CustomField>) {
      changedDefinitions(ctx.tx);
      for (const r of ctx.records) await removeKey(ctx.tx, r.content_types, r.key);
    },
  },
});

/** Objects using a choice value of a field (select: equal; multi-select: listed). */
async function usesOf(tx: TransactionContext, fieldId: string, value: string): Promise<number> {
  const field = await tx.one<{ key: string; type: string; content_types: string[] }>(
    sql`SELECT "key", "type", "content_types" FROM "extras_customfield" WHERE "id" = ${fieldId}::uuid`,
  );
  if (!field) return 0;
  const col = sql.ident(CUSTOM_FIELD_COLUMN);
  const needle = field.type === 'multi-select' ? JSON.stringify([value]) : JSON.stringify(value);
  let n = 0;
  for (const label of field.content_types) {
    const model = tx.models.get(label);
    if (!model?.has('custom_fields')) continue;
    const row = await tx.one<{ n: number }>(
      sql`SELECT count(*)::int AS "n" FROM ${sql.ident(model.table)} WHERE ${col} -> ${field.key} @> ${needle}::jsonb`,
    );
    n += row?.n ?? 0;
  }
  return n;
}

async function choiceRule(ctx: RuleContext<CustomFieldChoice>): Promise<void> {
  const r = ctx.record;
  if (ctx.changed('custom_field') || ctx.action === 'create') {
    const field = await ctx.tx.one<{ type: string }>(
      sql`SELECT "type" FROM "extras_customfield" WHERE "id" = ${r.custom_field}::uuid`,
    );
    if (field && field.type !== 'select' && field.type !== 'multi-select')
      ctx.error('custom_field', 'Choices may only be added to select and multi-select custom fields.');
    if (ctx.action === 'update') ctx.error('custom_field', 'The custom field of a choice cannot be changed.');
  }
  if (ctx.action === 'update' && ctx.changed('value') && ctx.before) {
    const n = await usesOf(ctx.tx, ctx.before.custom_field, ctx.before.value);
    if (n > 0) ctx.error('value', `Cannot change choice "${ctx.before.value}": ${n} object(s) use it.`);
  }
}

export const customFieldChoiceModel = defineModel({
  entity: CustomFieldChoice,
  app_label: 'extras',
  model: 'customfieldchoice',
  verbose_name: 'custom field choice',
  api_path: 'custom-field-choices',
  features: DEFINITION_FEATURES,
  display: 'value',
  natural_key: ['custom_field', 'value'],
  ordering: ['custom_field', 'weight', 'value'],
  related_object: 'custom_field',
  rules: [choiceRule],
  list_fields: ['custom_field', 'value', 'weight'],
  hooks: {
    async afterCreate(ctx: BatchContext<CustomFieldChoice>) {
      changedDefinitions(ctx.tx);
    },
    async afterUpdate(ctx: BatchContext<CustomFieldChoice>) {
      changedDefinitions(ctx.tx);
    },
    async beforeDelete(ctx: BatchContext<CustomFieldChoice>) {
      changedDefinitions(ctx.tx);
      for (const r of ctx.records) {
        const n = await usesOf(ctx.tx, r.custom_field, r.value);
        if (n > 0)
          throw ValidationError.field('value', `Cannot delete choice "${r.value}": ${n} object(s) use it.`);
      }
    },
  },
});
