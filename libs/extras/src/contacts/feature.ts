import { sql, type GraphQLFieldProvider, type ModelFeatureProvider } from '@plinth/plugin-sdk';
import { CONTACT_ASSOCIATION_MODEL, associatedCondition, deleteAssociationsOf } from './models';

/**
 * Every model with `contacts` takes contact associations: the `contacts` and `teams` filters
 * (REST, GraphQL arguments, UI filter form, permission constraints), its associations deleted
 * with it, and the Contacts tab on its detail page (./ui.ts).
 */
export const contactsFeature: ModelFeatureProvider = {
  feature: 'contacts',
  filters: () => ({
    contacts: {
      label: 'Contacts',
      help_text: 'Objects with the contact(s) associated, by id or name.',
      apply: (values, ctx) => associatedCondition(ctx, 'contact_id', values),
    },
    teams: {
      label: 'Teams',
      help_text: 'Objects with the team(s) associated, by id or name.',
      apply: (values, ctx) => associatedCondition(ctx, 'team_id', values),
    },
  }),
  hooks: { beforeDelete: deleteAssociationsOf },
};

/**
 * `associated_contacts` on the GraphQL type of every model with contacts (Nautobot's generic
 * relation of that name): its contact associations, as far as the reader may view them.
 */
export const contactGraphQLFields: GraphQLFieldProvider = {
  feature: 'contacts',
  fields: (model) => [
    {
      name: 'associated_contacts',
      help_text: 'Contacts and teams associated with this object.',
      type: 'refs',
      target: CONTACT_ASSOCIATION_MODEL,
      async load(records, ctx) {
        const ids = records.map((r) => String((r as { id: unknown }).id));
        const rows = await ctx.query<{ id: string; associated_object_id: string }>(
          sql`SELECT a."id"::text AS "id", a."associated_object_id"::text AS "associated_object_id"
              FROM "extras_contactassociation" a
              WHERE a."associated_object_type" = ${model.label} AND a."associated_object_id" = ANY(${ids}::uuid[])
              ORDER BY a."created", a."id"`,
        );
        const out = new Map<string, string[]>(ids.map((id) => [id, []]));
        for (const row of rows) out.get(row.associated_object_id)?.push(row.id);
        return out;
      },
    },
  ],
};
