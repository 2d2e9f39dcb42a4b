import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  InstallHooks,
  ListExports,
  ModelFeatures,
  Navigation,
  TemplateExtensions,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { TaggedItem } from './entities';
import { rolesFeature, statusesFeature, tagsFeature } from './fields';
import { ExtrasInitial1795315538687 } from './migrations/1795315538687-ExtrasInitial';
import { Templates1796609795744 } from './migrations/1796609795744-Templates';
import { objectChangeModel, roleModel, statusModel, tagModel } from './models';
import { DefaultStatusesInstaller } from './statuses';
import {
  ExportTemplateExports,
  TemplateDetailExtension,
  TemplateEngine,
  computedFieldModel,
  computedFieldsFeature,
  customLinkModel,
  customLinksFeature,
  exportTemplateModel,
  exportTemplatesFeature,
} from './templates';

export * from './entities';
export * from './fields';
export * from './models';
export { DEFAULT_STATUSES } from './statuses';
export * from './templates';

@Module({
  providers: [DefaultStatusesInstaller, TemplateEngine, ExportTemplateExports, TemplateDetailExtension],
  exports: [TemplateEngine],
})
export class ExtrasModule {}

export default definePlugin({
  name: 'extras',
  verbose_name: 'Extensibility',
  version: '0.1.0',
  description:
    'Tags, statuses, roles, the change log, and the sandboxed template engine with export templates, custom links and computed fields.',
  dependsOn: ['users'],
  module: ExtrasModule,
  models: [
    tagModel,
    statusModel,
    roleModel,
    objectChangeModel,
    exportTemplateModel,
    customLinkModel,
    computedFieldModel,
  ],
  entities: [TaggedItem],
  migrations: [ExtrasInitial1795315538687, Templates1796609795744],
  contributions: [
    contribute(
      ModelFeatures,
      tagsFeature,
      statusesFeature,
      rolesFeature,
      exportTemplatesFeature,
      customLinksFeature,
      computedFieldsFeature,
    ),
    contribute(ListExports, ExportTemplateExports),
    contribute(TemplateExtensions, TemplateDetailExtension),
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
      ...['extras_exporttemplate', 'extras_customlink', 'extras_computedfield'].map((table) => ({
        table,
        column: 'content_type',
        kind: 'value' as const,
        onRemove: 'delete-row' as const,
        description: `${table.slice('extras_'.length)}s`,
      })),
      ...['extras_tag', 'extras_status', 'extras_role'].map((table) => ({
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
          items: [{ model: 'extras.tag' }, { model: 'extras.status' }, { model: 'extras.role' }],
        },
        {
          name: 'Templates',
          weight: 200,
          items: [
            { model: 'extras.exporttemplate' },
            { model: 'extras.customlink' },
            { model: 'extras.computedfield' },
          ],
        },
        { name: 'Logging', weight: 300, items: [{ model: 'extras.objectchange', label: 'Change Log' }] },
      ],
    }),
  ],
});
