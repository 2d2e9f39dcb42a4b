import type { ComputedField, GraphQLFieldProvider } from '@plinth/plugin-sdk';
import { customFieldDefinitions, type CustomFieldDef } from './definitions';

function graphqlType(def: CustomFieldDef): ComputedField['type'] {
  switch (def.type) {
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'json':
    case 'multi-select':
      return 'json';
    default:
      return 'string';
  }
}

/**
 * `cf_<key>` on the GraphQL type of every model with custom fields. `version` changes with the
 * definitions, and the GraphQL surface rebuilds its schema when it does (no restart).
 */
export const customFieldGraphQLFields: GraphQLFieldProvider = {
  feature: 'custom_fields',
  async fields(model, ctx) {
    await customFieldDefinitions.refresh(ctx);
    return customFieldDefinitions.forModel(model.label).map((def): ComputedField => ({
      name: `cf_${def.key}`,
      label: def.label,
      help_text: def.description || `Custom field ${def.label}.`,
      type: graphqlType(def),
      async load(records) {
        return new Map(
          records.map((r) => {
            const data = (r as Record<string, unknown>).custom_fields as Record<string, unknown> | null;
            return [r.id, data?.[def.key] ?? null];
          }),
        );
      },
    }));
  },
  // The definitions are kept current by DefinitionsRefreshMiddleware (no query per request).
  version: () => Promise.resolve(customFieldDefinitions.version),
};
