import { ObjectChange, ORGANIZATIONAL_FEATURES, defineModel, sql } from '@plinth/plugin-sdk';
import { Role, Status, Tag } from './entities';

const contentTypeFilters = {
  /** Tags usable on a model: those listing it, and those without content types. */
  for_content_type: {
    help_text: 'Usable on this object type (listed in content_types, or content_types empty)',
    apply: (values: string[], ctx: { alias: import('@plinth/plugin-sdk').Sql }) =>
      sql`(${ctx.alias}."content_types" && ${values}::varchar[] OR cardinality(${ctx.alias}."content_types") = 0)`,
  },
};

export const tagModel = defineModel({
  entity: Tag,
  app_label: 'extras',
  model: 'tag',
  features: ORGANIZATIONAL_FEATURES,
  filters: contentTypeFilters,
  list_fields: ['name', 'color', 'content_types', 'description'],
});

export const statusModel = defineModel({
  entity: Status,
  app_label: 'extras',
  model: 'status',
  verbose_name_plural: 'statuses',
  features: ORGANIZATIONAL_FEATURES,
  list_fields: ['name', 'color', 'content_types', 'description'],
});

export const roleModel = defineModel({
  entity: Role,
  app_label: 'extras',
  model: 'role',
  features: ORGANIZATIONAL_FEATURES,
  ordering: ['weight', 'name'],
  list_fields: ['name', 'color', 'weight', 'content_types', 'description'],
});

export const objectChangeModel = defineModel({
  entity: ObjectChange,
  app_label: 'extras',
  model: 'objectchange',
  verbose_name: 'object change',
  api_path: 'object-changes',
  read_only: true,
  features: ['graphql'],
  ordering: ['-time'],
  display: (r) => `${String(r.changed_object_type)} ${String(r.object_repr)} ${String(r.action)}d`,
  search_fields: ['object_repr', 'user_name', 'changed_object_type'],
  filters: {
    affects: {
      type: 'uuid',
      help_text: 'Changes of this object or of objects related to it (a device and its interfaces)',
      apply: (values, ctx) =>
        sql`(${ctx.alias}."changed_object_id" = ANY(${values}::uuid[]) OR ${ctx.alias}."related_object_id" = ANY(${values}::uuid[]))`,
    },
  },
  global_search: false,
  list_fields: ['time', 'user_name', 'action', 'changed_object_type', 'object_repr', 'request_id'],
});
