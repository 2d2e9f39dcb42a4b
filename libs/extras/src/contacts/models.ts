import {
  ORGANIZATIONAL_FEATURES,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type BatchContext,
  type FilterContext,
  type ModelFeature,
  type RuleContext,
  type Sql,
} from '@plinth/plugin-sdk';
import { Contact, ContactAssociation, Team } from './entities';

export const CONTACT_ASSOCIATION_MODEL = 'extras.contactassociation';

/** Contacts, teams and their associations are not themselves associable (as in Nautobot). */
const withoutContacts = (features: readonly ModelFeature[]): ModelFeature[] =>
  features.filter((f) => f !== 'contacts');

/** As Nautobot shows them: `name (phone) (email)`. */
const contactDisplay = (r: { name: unknown; phone: unknown; email: unknown }): string =>
  `${String(r.name)}${r.phone ? ` (${String(r.phone)})` : ''}${r.email ? ` (${String(r.email)})` : ''}`;

/** Ids of contacts or teams (`table`) named by uuid or name. */
function namedIds(table: string, values: string[]): Sql {
  return sql`SELECT n."id" FROM ${sql.ident(table)} n WHERE n."id"::text = ANY(${values}::text[]) OR n."name" = ANY(${values}::text[])`;
}

export const contactModel = defineModel({
  entity: Contact,
  app_label: 'extras',
  model: 'contact',
  features: withoutContacts(PRIMARY_FEATURES),
  ordering: ['name'],
  display: contactDisplay,
  natural_key: ['name', 'phone', 'email'],
  list_fields: ['name', 'phone', 'email', 'address'],
  filters: {
    teams: {
      label: 'Teams',
      help_text: 'Members of the team(s), by id or name.',
      apply: (values, ctx) =>
        sql`${ctx.alias}."id" IN (SELECT m."contact_id" FROM "extras_team_contacts" m WHERE m."team_id" IN (${namedIds('extras_team', values)}))`,
    },
  },
  description: 'People and other points of contact, associated with objects in a role.',
});

export const teamModel = defineModel({
  entity: Team,
  app_label: 'extras',
  model: 'team',
  features: withoutContacts(PRIMARY_FEATURES),
  ordering: ['name'],
  display: contactDisplay,
  natural_key: ['name', 'phone', 'email'],
  list_fields: ['name', 'phone', 'email', 'contacts'],
  description: 'Groups of contacts, associated with objects as a contact is.',
});

/**
 * Exactly one of contact and team; the object must exist and be of a model with the `contacts`
 * feature (Nautobot's `ContactAssociation.clean`).
 */
async function associationRule(ctx: RuleContext<ContactAssociation>): Promise<void> {
  const r = ctx.record;
  const hasContact = r.contact !== null && r.contact !== undefined;
  const hasTeam = r.team !== null && r.team !== undefined;
  if (!hasContact && !hasTeam) ctx.error('contact', 'Either a contact or a team must be specified.');
  if (hasContact && hasTeam) ctx.error('team', 'A contact and a team cannot be both specified at once.');
  if (!ctx.changed('associated_object_type') && !ctx.changed('associated_object_id')) return;
  const target = ctx.tx.models.get(String(r.associated_object_type));
  if (!target?.has('contacts')) {
    ctx.error(
      'associated_object_type',
      `"${String(r.associated_object_type)}" is not an object type that takes contacts.`,
    );
    return;
  }
  const found = await ctx.tx.one(
    sql`SELECT 1 AS "x" FROM ${sql.ident(target.table)} WHERE "id" = ${String(r.associated_object_id)}::uuid`,
  );
  if (!found) ctx.error('associated_object_id', `No ${target.verbose_name} with this id exists.`);
}

export const contactAssociationModel = defineModel({
  entity: ContactAssociation,
  app_label: 'extras',
  model: 'contactassociation',
  verbose_name: 'contact association',
  api_path: 'contact-associations',
  features: [...withoutContacts(ORGANIZATIONAL_FEATURES), 'statuses', 'roles'],
  ordering: ['associated_object_type', 'associated_object_id', 'role'],
  display: {
    sql: (t) =>
      sql`COALESCE((SELECT 'Contact ' || c."name" FROM "extras_contact" c WHERE c."id" = ${t}."contact_id"), (SELECT 'Team ' || m."name" FROM "extras_team" m WHERE m."id" = ${t}."team_id"), '') || ' for ' || ${t}."associated_object_type"`,
  },
  natural_key: [],
  rules: [associationRule],
  computed: [
    {
      name: 'associated_object',
      type: 'generic_ref',
      help_text: 'The object the contact or team is associated with',
      load: async (records) =>
        new Map(
          records.map((r) => [
            String(r.id),
            { object_type: String(r.associated_object_type), id: String(r.associated_object_id) },
          ]),
        ),
    },
  ],
  list_fields: ['contact', 'team', 'associated_object_type', 'associated_object', 'role', 'status'],
  description: 'A contact or team associated with an object, in a role and with a status.',
});

/**
 * Objects with contacts or teams (by id or name) associated: the condition for the `contacts`
 * and `teams` filters of every model with the feature (Nautobot's ContactModelFilterSetMixin).
 */
export function associatedCondition(
  ctx: FilterContext,
  column: 'contact_id' | 'team_id',
  values: string[],
): Sql {
  const table = column === 'contact_id' ? 'extras_contact' : 'extras_team';
  return sql`${ctx.alias}."id" IN (SELECT a."associated_object_id" FROM "extras_contactassociation" a WHERE a."associated_object_type" = ${ctx.model.label} AND a.${sql.ident(column)} IN (${namedIds(table, values)}))`;
}

/** Deleting objects deletes their associations through the write path (each change-logged). */
export async function deleteAssociationsOf(ctx: BatchContext): Promise<void> {
  const found = await ctx.tx.objects.find(contactAssociationModel, {
    associated_object_type: [ctx.model.label],
    associated_object_id: ctx.records.map((r) => String(r.id)),
  });
  if (found.length)
    await ctx.tx.objects.delete(
      contactAssociationModel,
      found.map((a) => a.id),
    );
}
