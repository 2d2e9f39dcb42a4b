import {
  CoreModels,
  ModelExtensions,
  PRIMARY_FEATURES,
  booleanFilter,
  contribute,
  defineModel,
  sql,
  type FieldSource,
} from '@plinth/plugin-sdk';
import { Nickname } from './nickname.entity';
import { widgetModel } from './models';

export const nicknameModel = defineModel({
  entity: Nickname,
  model: 'nickname',
  features: PRIMARY_FEATURES.filter((f) => f !== 'tags'),
  display: 'nickname',
  description: 'Nicknames of users (shown on users as example_nickname).',
  list_fields: ['user', 'nickname'],
});

/**
 * `example_nickname` on users: read for a page of users in one query, written through the write
 * path (as changes of the plugin's nickname objects) in the same transaction as the user.
 */
const nicknameSource: FieldSource = {
  name: 'example_nickname',
  field: {
    kind: 'string',
    label: 'Nickname',
    help_text: 'What colleagues call this user (example plugin).',
    nullable: true,
    blank: true,
    max_length: 50,
    unique: false,
    read_only: false,
    write_only: false,
    filter: false,
    search: false,
  },
  async load(records, ctx) {
    const rows = await ctx.query<{ user_id: string; nickname: string }>(
      sql`SELECT user_id, nickname FROM ${sql.table(nicknameModel)} WHERE user_id = ANY(${records.map((r) => r.id)}::uuid[])`,
    );
    const byUser = new Map(rows.map((r) => [r.user_id, r.nickname]));
    return new Map(records.map((r) => [r.id, byUser.get(r.id) ?? null]));
  },
  validate(input) {
    if (!input.submitted) return;
    const v = input.value;
    if (v === null || v === '') return input.set(null);
    if (typeof v !== 'string') return input.error('example_nickname', 'Not a valid string.');
    if (v.length > 50) input.error('example_nickname', 'Ensure this field has no more than 50 characters.');
    else input.set(v.trim());
  },
  async save(writes, tx) {
    const ids = writes.map((w) => w.id);
    const existing = await tx.objects.find(nicknameModel, { user: ids });
    const byUser = new Map(existing.map((n) => [n.user, n]));
    const gone = writes.filter((w) => w.value === null && byUser.has(w.id));
    if (gone.length)
      await tx.objects.delete(
        nicknameModel,
        gone.map((w) => byUser.get(w.id)!.id),
      );
    const set = writes.filter((w) => typeof w.value === 'string');
    const changed = set.filter((w) => byUser.has(w.id));
    const added = set.filter((w) => !byUser.has(w.id));
    if (changed.length)
      await tx.objects.update(
        nicknameModel,
        changed.map((w) => ({ id: byUser.get(w.id)!.id, nickname: String(w.value) })),
      );
    if (added.length)
      await tx.objects.create(
        nicknameModel,
        added.map((w) => ({ user: w.id, nickname: String(w.value) })),
      );
  },
};

/**
 * The example plugin's additions to a core model (users): a filter (REST, GraphQL arguments,
 * the UI filter form, permission constraints) and a field (REST, GraphQL, detail page, forms).
 */
export const userExtension = contribute(ModelExtensions, {
  model: CoreModels.user.label,
  filters: {
    example_owns_widgets: booleanFilter(
      'Looks after widgets (example plugin)',
      (ctx) => sql`EXISTS (SELECT 1 FROM ${sql.table(widgetModel)} w WHERE w.owner_id = ${ctx.alias}."id")`,
    ),
  },
  sources: [nicknameSource],
});
