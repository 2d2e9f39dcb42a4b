import { getMetadataArgsStorage } from 'typeorm';
import type {
  FieldSource,
  FieldSourceColumn,
  ModelFeatureProvider,
  ModelMeta,
  SqlRunner,
} from '@plinth/plugin-sdk';
import { customFieldDefinitions, loadDefinitions, type CustomFieldDef } from './definitions';
import { customFieldFilter, describeCustomFieldFilters, parseFilterName } from './filters';
import { checkValue } from './values';

/** The column every model with the feature keeps its values in (PrimaryModel declares it). */
export const CUSTOM_FIELD_COLUMN = '_custom_field_data';

/**
 * Definitions as a write transaction sees them, read once per transaction (a bulk write of a
 * thousand objects asks once): a field created earlier in the same transaction counts.
 */
const perTransaction = new WeakMap<object, Promise<CustomFieldDef[]>>();

function definitionsIn(tx: SqlRunner & { manager: object }): Promise<CustomFieldDef[]> {
  let defs = perTransaction.get(tx.manager);
  if (!defs) {
    defs = loadDefinitions(tx);
    perTransaction.set(tx.manager, defs);
  }
  return defs;
}

/** Forget what a transaction read (a custom field was written in it). */
export function forgetTransactionDefinitions(tx: { manager: object }): void {
  perTransaction.delete(tx.manager);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a custom field's value is described (CSV columns, forms): kind, label, choices. */
export function fieldOf(def: CustomFieldDef): FieldSourceColumn['field'] {
  const kind =
    def.type === 'integer'
      ? 'integer'
      : def.type === 'boolean'
        ? 'boolean'
        : def.type === 'date'
          ? 'date'
          : def.type === 'json'
            ? 'json'
            : def.type === 'multi-select'
              ? 'array'
              : def.type === 'select'
                ? 'choice'
                : def.type === 'markdown'
                  ? 'text'
                  : 'string';
  return {
    kind,
    label: def.label,
    help_text: def.description || undefined,
    nullable: !def.required,
    blank: !def.required,
    unique: false,
    read_only: false,
    write_only: false,
    filter: false,
    search: false,
    choices: def.choices.length ? def.choices.map((c) => ({ value: c, label: c })) : undefined,
    item: def.type === 'multi-select' ? 'string' : undefined,
    default: def.default ?? undefined,
  };
}

function csvColumn(def: CustomFieldDef): FieldSourceColumn {
  return {
    name: `cf_${def.key}`,
    key: def.key,
    group: def.grouping,
    advanced: def.advanced_ui,
    markdown: def.type === 'markdown',
    field: fieldOf(def),
  };
}

function customFieldsSource(model: ModelMeta): FieldSource {
  return {
    name: 'custom_fields',
    column: CUSTOM_FIELD_COLUMN,
    field: {
      kind: 'json',
      label: 'Custom fields',
      help_text:
        'Custom field values by key (`{"<key>": value}`); on update, keys not sent keep their value.',
      nullable: false,
      blank: true,
      unique: false,
      read_only: false,
      write_only: false,
      filter: false,
      search: false,
    },
    columns: () => customFieldDefinitions.forModel(model.label).map(csvColumn),
    async validate(input) {
      const all = await definitionsIn(input.tx);
      const defs = all.filter((d) => d.content_types.includes(model.label));
      const sent = input.submitted ? input.value : undefined;
      if (sent !== undefined && sent !== null && !isPlainObject(sent)) {
        input.error('custom_fields', 'Value must be a dictionary of custom field values.');
        return;
      }
      const submitted = sent ?? {};
      const before = isPlainObject(input.before) ? input.before : {};
      const out: Record<string, unknown> = {};
      let bad = false;
      for (const key of Object.keys(submitted)) {
        if (!defs.some((d) => d.key === key)) {
          input.error(`custom_fields.${key}`, `Unknown field name "${key}" for ${model.label}.`);
          bad = true;
        }
      }
      for (const def of defs) {
        let value: unknown;
        if (Object.hasOwn(submitted, def.key)) {
          const checked = checkValue(def, submitted[def.key]);
          if (!checked.ok) {
            input.error(`custom_fields.${def.key}`, checked.error);
            bad = true;
            continue;
          }
          value = checked.value;
        } else if (input.action === 'create') {
          value = def.default ?? null;
        } else {
          value = before[def.key] ?? null;
        }
        if (def.required && (value === null || value === undefined)) {
          input.error(`custom_fields.${def.key}`, 'Required field cannot be empty.');
          bad = true;
          continue;
        }
        out[def.key] = value;
      }
      if (!bad) input.set(out);
    },
  };
}

/**
 * Custom fields on every model with the `custom_fields` feature: values in the model's
 * `_custom_field_data` column (REST/GraphQL/CSV/change log `custom_fields`), validated on every
 * write, and `cf_<key>` filters with the lookups of the field's type.
 */
export const customFieldsFeature: ModelFeatureProvider = {
  feature: 'custom_fields',
  sources(model) {
    // A model declaring the feature must store the values (extend PrimaryModel): say so at start-up.
    const hasColumn = getMetadataArgsStorage().columns.some(
      (c) =>
        (c.options.name ?? c.propertyName) === CUSTOM_FIELD_COLUMN &&
        typeof c.target === 'function' &&
        (c.target === model.entity || Object.prototype.isPrototypeOf.call(c.target, model.entity)),
    );
    if (!hasColumn)
      throw new Error(
        `model ${model.label} declares the custom_fields feature but its entity has no ${CUSTOM_FIELD_COLUMN} column (extend PrimaryModel)`,
      );
    return [customFieldsSource(model)];
  },
  filter(model, name) {
    const parsed = parseFilterName(customFieldDefinitions.forModel(model.label), name);
    return parsed ? customFieldFilter(parsed.def, parsed.lookup) : undefined;
  },
  describeFilters: (model) => describeCustomFieldFilters(customFieldDefinitions.forModel(model.label)),
  // `cf_<key>` equality is jsonb containment (`@>`), which this index serves.
  indexes: (model) => [
    {
      name: `${model.table}_cfdata_gin`.slice(0, 63),
      definition: `USING gin ("${CUSTOM_FIELD_COLUMN}" jsonb_path_ops)`,
    },
  ],
};
