import { defineModel } from '@plinth/plugin-sdk';
import { GraphQLQuery } from './entities';
import { schemaCheck } from './query-check';
import { checkQuerySyntax, declaredVariables } from './query-text';

export const GRAPHQL_QUERY = 'extras.graphqlquery';

export const graphQLQueryModel = defineModel({
  entity: GraphQLQuery,
  app_label: 'extras',
  model: 'graphqlquery',
  verbose_name: 'GraphQL query',
  verbose_name_plural: 'GraphQL queries',
  api_path: 'graphql-queries',
  features: ['custom_validators', 'changelog', 'graphql', 'notes', 'webhooks'],
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: ['name', 'variables'],
  hooks: {
    prepare(ctx) {
      if (ctx.changed('query')) ctx.record.variables = declaredVariables(String(ctx.record.query ?? ''));
    },
  },
  rules: [
    // As Nautobot, a query is checked against the schema when saved: a misspelt field is a 400
    // now rather than a failure of whatever runs it later.
    async (ctx) => {
      const text = String(ctx.record.query ?? '');
      // Syntax errors are the field's own (already reported).
      if (!ctx.changed('query') || !schemaCheck.executor || checkQuerySyntax(text)) return;
      const errors = await schemaCheck.executor.check(text, { tx: ctx.tx });
      for (const e of errors) ctx.error('query', `Not a valid GraphQL query: ${e}`);
    },
  ],
});
