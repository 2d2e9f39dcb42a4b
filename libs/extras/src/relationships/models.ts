import {
  ORGANIZATIONAL_FEATURES,
  ValidationError,
  defineModel,
  sql,
  type BatchContext,
  type FilterParams,
  type RuleContext,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { relationshipDefinitions, type RelationshipDef } from './definitions';
import { Relationship, RelationshipAssociation, type RelationshipType } from './entities';
import { forgetTransactionRelationships } from './feature';
import { ASSOCIATION_TABLE } from './peers';

// No double underscore: `cr_<key>__<side>` must split one way only.
const KEY_RE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Definitions of custom data have no custom fields, tags or relationships of their own. */
const DEFINITION_FEATURES = ORGANIZATIONAL_FEATURES.filter(
  (f) => f !== 'custom_fields' && f !== 'relationships',
);

/** A relationship filter as filter parameters (`{"status": "active"}` → `{status: ["active"]}`). */
function asParams(filter: Record<string, unknown> | null): FilterParams | string {
  if (filter === null || filter === undefined) return {};
  if (typeof filter !== 'object' || Array.isArray(filter))
    return 'Filter must be a dictionary of filter parameters.';
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(filter)) {
    const list = Array.isArray(v) ? v : [v];
    if (list.some((x) => typeof x === 'object' && x !== null))
      return `Filter "${k}": values must be strings, numbers or booleans.`;
    out[k] = list.map((x) => String(x));
  }
  return out;
}

/** Objects of `label` matching a filter (the list endpoint's filter vocabulary), by id. */
async function matching(
  tx: TransactionContext,
  label: string,
  filter: Record<string, unknown> | null,
  ids: string[],
): Promise<Set<string>> {
  const params = asParams(filter);
  if (typeof params === 'string') return new Set();
  const found = await tx.objects.find(label, { ...params, id: ids });
  return new Set(found.map((r) => String(r.id)));
}

async function checkSide(ctx: RuleContext<Relationship>, side: 'source' | 'destination'): Promise<void> {
  const r = ctx.record;
  const label = r[`${side}_type`];
  const model = ctx.tx.models.get(String(label));
  if (!model?.has('relationships')) {
    ctx.error(`${side}_type`, `"${String(label)}" is not an object type with relationships.`);
    return;
  }
  const filter = r[`${side}_filter`];
  const params = asParams(filter);
  if (typeof params === 'string') {
    ctx.error(`${side}_filter`, params);
    return;
  }
  if (!Object.keys(params).length || !ctx.changed(`${side}_filter`)) return;
  try {
    await ctx.tx.objects.count(model.label, params);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const maps = Array.isArray(e.errors) ? e.errors : [e.errors];
    for (const m of maps)
      for (const [k, msgs] of Object.entries(m)) ctx.error(`${side}_filter`, `${k}: ${msgs.join(' ')}`);
  }
}

async function relationshipRule(ctx: RuleContext<Relationship>): Promise<void> {
  const r = ctx.record;
  if (typeof r.key === 'string' && !KEY_RE.test(r.key))
    ctx.error(
      'key',
      'Key must be lower-case letters, digits and single underscores, starting with a letter (no trailing underscore).',
    );
  if (ctx.action === 'update' && ctx.changed('key')) ctx.error('key', 'Key cannot be changed once created.');
  await checkSide(ctx, 'source');
  await checkSide(ctx, 'destination');
  if (r.type.startsWith('symmetric-') && r.source_type !== r.destination_type)
    ctx.error(
      'destination_type',
      'A symmetric relationship joins objects of one type: source and destination types must be equal.',
    );
  if (ctx.action === 'update' && ctx.before) {
    const moved = (['type', 'source_type', 'destination_type'] as const).filter((f) => ctx.changed(f));
    if (moved.length) {
      const used = await ctx.tx.one(
        sql`SELECT 1 AS "x" FROM ${sql.ident(ASSOCIATION_TABLE)} WHERE "relationship_id" = ${ctx.before.id}::uuid LIMIT 1`,
      );
      if (used)
        for (const f of moved) ctx.error(f, 'Cannot be changed while the relationship has associations.');
    }
  }
}

function changedRelationships(tx: TransactionContext): void {
  forgetTransactionRelationships(tx);
  relationshipDefinitions.invalidate();
}

export const relationshipModel = defineModel({
  entity: Relationship,
  app_label: 'extras',
  model: 'relationship',
  verbose_name: 'relationship',
  api_path: 'relationships',
  features: DEFINITION_FEATURES,
  display: 'label',
  natural_key: ['key'],
  ordering: ['label'],
  rules: [relationshipRule],
  list_fields: ['label', 'key', 'type', 'source_type', 'destination_type', 'required_on'],
  description: 'Relationships operators define between object types, without code.',
  hooks: {
    async afterCreate(ctx: BatchContext<Relationship>) {
      changedRelationships(ctx.tx);
    },
    async afterUpdate(ctx: BatchContext<Relationship>) {
      changedRelationships(ctx.tx);
    },
    async beforeDelete(ctx: BatchContext<Relationship>) {
      changedRelationships(ctx.tx);
    },
  },
});

/** The relationship of an association, locked until the transaction ends (cardinality). */
async function lockedRelationship(tx: TransactionContext, id: string): Promise<RelationshipDef | undefined> {
  return tx.one<RelationshipDef & Record<string, unknown>>(
    sql`SELECT * FROM "extras_relationship" WHERE "id" = ${id}::uuid FOR UPDATE`,
  );
}

async function checkEnd(
  ctx: RuleContext<RelationshipAssociation>,
  def: RelationshipDef,
  side: 'source' | 'destination',
): Promise<void> {
  const r = ctx.record;
  const type = String(r[`${side}_type`]);
  const id = String(r[`${side}_id`]);
  if (type !== def[`${side}_type`]) {
    ctx.error(`${side}_type`, `Must be ${def[`${side}_type`]} for relationship "${def.label}".`);
    return;
  }
  const model = ctx.tx.models.get(type);
  if (!model) return;
  const exists = await ctx.tx.one(
    sql`SELECT 1 AS "x" FROM ${sql.ident(model.table)} WHERE "id" = ${id}::uuid`,
  );
  if (!exists) {
    ctx.error(`${side}_id`, `No ${model.verbose_name} with id ${id} exists.`);
    return;
  }
  const filter = def[`${side}_filter`];
  if (filter && Object.keys(filter).length) {
    const ok = await matching(ctx.tx, type, filter, [id]);
    if (!ok.has(id))
      ctx.error(
        `${side}_id`,
        `${model.verbose_name} ${id} does not match the ${side} filter of relationship "${def.label}" (${JSON.stringify(filter)}).`,
      );
  }
}

async function associationRule(ctx: RuleContext<RelationshipAssociation>): Promise<void> {
  const r = ctx.record;
  // Every association write of a relationship waits for the others (cardinality under concurrency).
  const def = await lockedRelationship(ctx.tx, String(r.relationship));
  if (!def) return;
  await checkEnd(ctx, def, 'source');
  await checkEnd(ctx, def, 'destination');
  if (def.type.startsWith('symmetric-') && r.source_id === r.destination_id)
    ctx.error('destination_id', 'An object cannot be related to itself in a symmetric relationship.');
}

/**
 * After the rows are written (and with the relationship locked since the rules ran): no object
 * may have more peers than the relationship's type allows — across the batch, and across
 * concurrent writers, who waited for the lock and now see each other's committed rows.
 */
async function checkCardinality(ctx: BatchContext<RelationshipAssociation>): Promise<void> {
  const byRelationship = new Map<string, RelationshipAssociation[]>();
  for (const r of ctx.records)
    byRelationship.set(r.relationship, [...(byRelationship.get(r.relationship) ?? []), r]);
  for (const [relId, recs] of byRelationship) {
    const def = await ctx.tx.one<{ type: RelationshipType; label: string }>(
      sql`SELECT "type", "label" FROM "extras_relationship" WHERE "id" = ${relId}::uuid`,
    );
    if (!def) continue;
    const sources = recs.map((r) => r.source_id);
    const destinations = recs.map((r) => r.destination_id);
    const ends = [...sources, ...destinations];
    const rel = sql`a."relationship_id" = ${relId}::uuid`;
    const over = async (column: 'source_id' | 'destination_id', ids: string[]): Promise<boolean> =>
      !!(await ctx.tx.one(sql`
        SELECT 1 AS "x" FROM ${sql.ident(ASSOCIATION_TABLE)} a WHERE ${rel} AND a.${sql.ident(column)} = ANY(${ids}::uuid[])
        GROUP BY a.${sql.ident(column)} HAVING count(*) > 1 LIMIT 1`));
    const fail = (field: string, message: string): never => {
      throw ValidationError.field(field, message);
    };
    switch (def.type) {
      case 'one-to-one':
        if (await over('source_id', sources))
          fail(
            'source_id',
            `The source object already has a destination in one-to-one relationship "${def.label}".`,
          );
        if (await over('destination_id', destinations))
          fail(
            'destination_id',
            `The destination object already has a source in one-to-one relationship "${def.label}".`,
          );
        break;
      case 'one-to-many':
        if (await over('destination_id', destinations))
          fail(
            'destination_id',
            `The destination object already has a source in one-to-many relationship "${def.label}".`,
          );
        break;
      case 'symmetric-one-to-one': {
        const taken = await ctx.tx.one(sql`
          SELECT e."x" FROM (SELECT a."source_id" AS "x" FROM ${sql.ident(ASSOCIATION_TABLE)} a WHERE ${rel}
                             UNION ALL SELECT a."destination_id" FROM ${sql.ident(ASSOCIATION_TABLE)} a WHERE ${rel}) e
          WHERE e."x" = ANY(${ends}::uuid[]) GROUP BY e."x" HAVING count(*) > 1 LIMIT 1`);
        if (taken)
          fail(
            'destination_id',
            `An object already has a peer in symmetric one-to-one relationship "${def.label}".`,
          );
        break;
      }
      case 'symmetric-many-to-many': {
        const twice = await ctx.tx.one(sql`
          SELECT 1 AS "x" FROM ${sql.ident(ASSOCIATION_TABLE)} a JOIN ${sql.ident(ASSOCIATION_TABLE)} b
            ON b."relationship_id" = a."relationship_id" AND b."source_id" = a."destination_id" AND b."destination_id" = a."source_id"
          WHERE ${rel} AND a."source_id" = ANY(${ends}::uuid[]) LIMIT 1`);
        if (twice) fail('destination_id', `These objects are already related in "${def.label}".`);
        break;
      }
      case 'many-to-many':
        break;
    }
  }
}

export const relationshipAssociationModel = defineModel({
  entity: RelationshipAssociation,
  app_label: 'extras',
  model: 'relationshipassociation',
  verbose_name: 'relationship association',
  api_path: 'relationship-associations',
  features: ['custom_validators', 'changelog', 'graphql', 'export_templates', 'webhooks'],
  display: {
    sql: (t) =>
      sql`(SELECT r."label" FROM "extras_relationship" r WHERE r."id" = ${t}."relationship_id") || ': ' || ${t}."source_type" || ' ' || left(${t}."source_id"::text, 8) || ' → ' || ${t}."destination_type" || ' ' || left(${t}."destination_id"::text, 8)`,
  },
  natural_key: [],
  ordering: ['relationship', 'created'],
  related_object: 'relationship',
  rules: [associationRule],
  filters: {
    // Nautobot's `peer_id`: associations with the object at either end.
    peer_id: {
      type: 'uuid',
      label: 'Peer id',
      help_text: 'Associations whose source or destination is this object.',
      apply: (values, ctx) =>
        sql`(${ctx.alias}."source_id" = ANY(${values}::uuid[]) OR ${ctx.alias}."destination_id" = ANY(${values}::uuid[]))`,
    },
  },
  list_fields: ['relationship', 'source_type', 'source', 'destination_type', 'destination'],
  description:
    'Associations of objects by relationships (also written through objects’ relationships field).',
  hooks: { afterCreate: checkCardinality, afterUpdate: checkCardinality },
  computed: [
    {
      name: 'source',
      type: 'generic_ref',
      help_text: 'The source object',
      load: async (records) =>
        new Map(
          records.map((r) => [String(r.id), { object_type: String(r.source_type), id: String(r.source_id) }]),
        ),
    },
    {
      name: 'destination',
      type: 'generic_ref',
      help_text: 'The destination object',
      load: async (records) =>
        new Map(
          records.map((r) => [
            String(r.id),
            { object_type: String(r.destination_type), id: String(r.destination_id) },
          ]),
        ),
    },
  ],
});
