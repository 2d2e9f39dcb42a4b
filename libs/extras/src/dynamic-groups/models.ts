import {
  ValidationError,
  defineModel,
  sql,
  type BatchContext,
  type ModelFeatureProvider,
  type ModelRule,
  type RuleContext,
} from '@plinth/plugin-sdk';
import { contentTypeRule } from '../templates/models';
import { DynamicGroup, DynamicGroupMembership, StaticGroupAssociation } from './entities';
import { filterParams, holdingCondition, inGroupsCondition } from './members';

const one = async (ctx: RuleContext, q: ReturnType<typeof sql>): Promise<boolean> => !!(await ctx.tx.one(q));

/**
 * The filter must be list-endpoint parameters of the content type that compile (checked by
 * counting with them, which reports bad parameters as the list endpoint does); other group
 * types have none. A filter cannot name groups itself: groups of groups are `dynamic-set`.
 */
async function filterRule(ctx: RuleContext<DynamicGroup>): Promise<void> {
  const r = ctx.record;
  if (!ctx.changed('filter') && !ctx.changed('group_type') && !ctx.changed('content_type')) return;
  const params = filterParams(r.filter);
  if (!params) {
    ctx.error(
      'filter',
      'Enter an object of filter parameters, each a string, number, boolean or a list of them.',
    );
    return;
  }
  if (r.group_type !== 'dynamic-filter') {
    if (Object.keys(params).length) ctx.error('filter', 'Only filter-defined groups have a filter.');
    return;
  }
  if ('dynamic_groups' in params || 'dynamic_groups__n' in params) {
    ctx.error('filter', 'A filter cannot name dynamic groups: make a group of groups instead.');
    return;
  }
  if (!ctx.tx.models.get(String(r.content_type))) return; // reported on content_type
  try {
    await ctx.tx.objects.count(String(r.content_type), params);
  } catch (e) {
    if (!(e instanceof ValidationError) || Array.isArray(e.errors)) throw e;
    for (const [key, messages] of Object.entries(e.errors))
      for (const m of messages) ctx.error(`filter.${key}`, m);
  }
}

/** Members and children are of the content type: it and the group type stay while there are any. */
async function structureRule(ctx: RuleContext<DynamicGroup>): Promise<void> {
  if (ctx.action !== 'update') return;
  const id = String(ctx.record.id);
  const hasStatic = () =>
    one(
      ctx,
      sql`SELECT 1 AS x FROM "extras_staticgroupassociation" WHERE "dynamic_group_id" = ${id}::uuid LIMIT 1`,
    );
  const hasLinks = () =>
    one(
      ctx,
      sql`SELECT 1 AS x FROM "extras_dynamicgroupmembership" WHERE "parent_group_id" = ${id}::uuid OR "group_id" = ${id}::uuid LIMIT 1`,
    );
  if (ctx.changed('content_type') && ((await hasStatic()) || (await hasLinks())))
    ctx.error(
      'content_type',
      'The content type cannot change while the group has members assigned or is linked to other groups.',
    );
  if (ctx.changed('group_type')) {
    if (ctx.before?.group_type === 'static' && (await hasStatic()))
      ctx.error('group_type', 'Remove the statically assigned members first.');
    if (
      ctx.before?.group_type === 'dynamic-set' &&
      (await one(
        ctx,
        sql`SELECT 1 AS x FROM "extras_dynamicgroupmembership" WHERE "parent_group_id" = ${id}::uuid LIMIT 1`,
      ))
    )
      ctx.error('group_type', 'Remove the child groups first.');
  }
}

export const dynamicGroupModel = defineModel({
  entity: DynamicGroup,
  app_label: 'extras',
  model: 'dynamicgroup',
  verbose_name: 'dynamic group',
  api_path: 'dynamic-groups',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['name'],
  list_fields: ['name', 'content_type', 'group_type', 'description'],
  rules: [contentTypeRule('dynamic_groups') as ModelRule<DynamicGroup>, filterRule, structureRule],
  filters: {
    member_id: {
      label: 'Holds object',
      help_text: 'Groups whose members include the object with this id.',
      type: 'uuid',
      negatable: false,
      apply: (values, ctx) => holdingCondition(ctx, values),
    },
  },
  description: 'Groups of objects of one type: by filter, by set operations on other groups, or assigned.',
});

async function membershipRule(ctx: RuleContext<DynamicGroupMembership>): Promise<void> {
  const r = ctx.record;
  const parentId = String(r.parent_group);
  const childId = String(r.group);
  const groups = await ctx.tx.query<{ id: string; content_type: string; group_type: string }>(
    sql`SELECT "id"::text AS "id", "content_type", "group_type" FROM "extras_dynamicgroup" WHERE "id" IN (${parentId}::uuid, ${childId}::uuid)`,
  );
  const parent = groups.find((g) => g.id === parentId);
  const child = groups.find((g) => g.id === childId);
  if (!parent || !child) return; // the reference checks report these
  if (parent.group_type !== 'dynamic-set')
    ctx.error('parent_group', 'Only a group of groups (dynamic-set) has child groups.');
  if (child.content_type !== parent.content_type)
    ctx.error(
      'group',
      `The child group collects ${child.content_type}; the parent collects ${parent.content_type}.`,
    );
  if (parentId === childId) {
    ctx.error('group', 'A group cannot be its own child.');
    return;
  }
  // Adding parent → child closes a cycle when the parent is already below the child.
  const below = await ctx.tx.one(
    sql`WITH RECURSIVE d(id) AS (
          SELECT ${childId}::uuid
          UNION SELECT m."group_id" FROM "extras_dynamicgroupmembership" m JOIN d ON m."parent_group_id" = d.id)
        SELECT 1 AS x FROM d WHERE d.id = ${parentId}::uuid`,
  );
  if (below) ctx.error('group', 'This child would make the groups contain themselves.');
}

export const dynamicGroupMembershipModel = defineModel({
  entity: DynamicGroupMembership,
  app_label: 'extras',
  model: 'dynamicgroupmembership',
  verbose_name: 'dynamic group membership',
  api_path: 'dynamic-group-memberships',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['parent_group', 'weight'],
  display: {
    sql: (t) =>
      sql`(SELECT p."name" FROM "extras_dynamicgroup" p WHERE p."id" = ${t}."parent_group_id") || ' → ' || ${t}."operator" || ' ' || (SELECT c."name" FROM "extras_dynamicgroup" c WHERE c."id" = ${t}."group_id")`,
  },
  natural_key: [],
  list_fields: ['parent_group', 'operator', 'group', 'weight'],
  rules: [membershipRule],
});

async function associationRule(ctx: RuleContext<StaticGroupAssociation>): Promise<void> {
  const r = ctx.record;
  const group = await ctx.tx.one<{ content_type: string; group_type: string }>(
    sql`SELECT "content_type", "group_type" FROM "extras_dynamicgroup" WHERE "id" = ${String(r.dynamic_group)}::uuid`,
  );
  if (!group) return;
  if (group.group_type !== 'static')
    ctx.error('dynamic_group', 'Only static groups take assigned members; the others compute theirs.');
  if (r.associated_object_type !== group.content_type) {
    ctx.error('associated_object_type', `The group collects ${group.content_type}.`);
    return;
  }
  const model = ctx.tx.models.get(group.content_type);
  if (!model) return;
  const exists = await ctx.tx.one(
    sql`SELECT 1 AS x FROM ${sql.ident(model.table)} WHERE "id" = ${String(r.associated_object_id)}::uuid`,
  );
  if (!exists) ctx.error('associated_object_id', `No ${model.verbose_name} with this id exists.`);
}

export const staticGroupAssociationModel = defineModel({
  entity: StaticGroupAssociation,
  app_label: 'extras',
  model: 'staticgroupassociation',
  verbose_name: 'static group association',
  api_path: 'static-group-associations',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['dynamic_group', 'associated_object_type'],
  display: {
    sql: (t) =>
      sql`(SELECT g."name" FROM "extras_dynamicgroup" g WHERE g."id" = ${t}."dynamic_group_id") || ': ' || ${t}."associated_object_type" || ' ' || left(${t}."associated_object_id"::text, 8)`,
  },
  natural_key: [],
  list_fields: ['dynamic_group', 'associated_object_type', 'associated_object_id'],
  rules: [associationRule],
});

/**
 * Every model with `dynamic_groups` can be grouped: the `dynamic_groups` filter (REST, GraphQL,
 * UI filter form and permission constraints) and, when an object is deleted, its static
 * assignments go with it through the write path (each deletion change-logged).
 */
export const dynamicGroupsFeature: ModelFeatureProvider = {
  feature: 'dynamic_groups',
  filters: () => ({
    dynamic_groups: {
      label: 'Dynamic groups',
      help_text: 'Members of the dynamic group(s), by id or name.',
      apply: (values, ctx) => inGroupsCondition(ctx, values),
    },
  }),
  hooks: {
    async beforeDelete(ctx: BatchContext) {
      const found = await ctx.tx.objects.find(staticGroupAssociationModel, {
        associated_object_type: [ctx.model.label],
        associated_object_id: ctx.records.map((r) => String(r.id)),
      });
      if (found.length)
        await ctx.tx.objects.delete(
          staticGroupAssociationModel,
          found.map((a) => a.id),
        );
    },
  },
};
