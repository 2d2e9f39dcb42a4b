import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  GraphQLFields,
  InstallHooks,
  Middleware,
  ModelFeatures,
  Navigation,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import {
  CustomFieldsRefreshMiddleware,
  customFieldChoiceModel,
  customFieldGraphQLFields,
  customFieldModel,
  customFieldsFeature,
} from './custom-fields/wiring';
import { TaggedItem } from './entities';
import { noteModel, notesFeature } from './notes';
import { rolesFeature, statusesFeature, tagsFeature } from './fields';
import { ExtrasInitial1795315538687 } from './migrations/1795315538687-ExtrasInitial';
import { CustomFields1796609302081 } from './migrations/1796609302081-CustomFields';
import { Notes1796609971804 } from './migrations/1796609971804-Notes';
import { objectChangeModel, roleModel, statusModel, tagModel } from './models';
import { DefaultStatusesInstaller } from './statuses';

export * from './custom-fields';
export * from './entities';
export * from './notes';
export * from './fields';
export * from './models';
export { DEFAULT_STATUSES } from './statuses';

@Module({ providers: [DefaultStatusesInstaller, CustomFieldsRefreshMiddleware] })
export class ExtrasModule {}

export default definePlugin({
  name: 'extras',
  verbose_name: 'Extensibility',
  version: '0.1.0',
  description: 'Tags, statuses, roles and the change log.',
  dependsOn: ['users'],
  module: ExtrasModule,
  models: [
    tagModel,
    statusModel,
    roleModel,
    objectChangeModel,
    customFieldModel,
    customFieldChoiceModel,
    noteModel,
  ],
  entities: [TaggedItem],
  migrations: [ExtrasInitial1795315538687, CustomFields1796609302081, Notes1796609971804],
  contributions: [
    contribute(ModelFeatures, tagsFeature, statusesFeature, rolesFeature, customFieldsFeature, notesFeature),
    contribute(GraphQLFields, customFieldGraphQLFields),
    contribute(Middleware, CustomFieldsRefreshMiddleware),
    contribute(InstallHooks, DefaultStatusesInstaller),
    // Where extras keeps model labels: uninstalling a plugin cleans them of its models.
    contribute(
      ContentTypeReferences,
      {
        table: 'core_objectchange',
        column: 'changed_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'change records',
      },
      {
        table: 'extras_taggeditem',
        column: 'content_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'tag assignments',
      },
      {
        table: 'extras_note',
        column: 'assigned_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'notes',
      },
      ...['extras_tag', 'extras_status', 'extras_role', 'extras_customfield'].map((table) => ({
        table,
        column: 'content_types',
        kind: 'array' as const,
        onRemove: 'remove-item' as const,
        description: `${table.slice('extras_'.length)}s' content types`,
      })),
    ),
    // Menu entries, contributed exactly as a third-party plugin would.
    contribute(Navigation, {
      name: 'Extensibility',
      groups: [
        {
          name: 'Data Management',
          weight: 100,
          items: [
            { model: 'extras.tag' },
            { model: 'extras.status' },
            { model: 'extras.role' },
            { model: 'extras.customfield' },
            { model: 'extras.customfieldchoice' },
          ],
        },
        {
          name: 'Logging',
          weight: 300,
          items: [{ model: 'extras.objectchange', label: 'Change Log' }, { model: 'extras.note' }],
        },
      ],
    }),
  ],
});
