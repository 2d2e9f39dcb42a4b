import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  EventSubscribers,
  GraphQLFields,
  InstallHooks,
  ListExports,
  Jobs,
  Metrics,
  Middleware,
  ModelFeatures,
  Navigation,
  TemplateExtensions,
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
import {
  RelationshipsRefreshMiddleware,
  relationshipAssociationModel,
  relationshipGraphQLFields,
  relationshipModel,
  relationshipsFeature,
  relationshipsPanel,
} from './relationships/wiring';
import { noteModel, notesFeature } from './notes';
import { rolesFeature, statusesFeature, tagsFeature, webhooksFeature } from './fields';
import { ExtrasInitial1795315538687 } from './migrations/1795315538687-ExtrasInitial';
import { CustomFields1796609302081 } from './migrations/1796609302081-CustomFields';
import { Notes1796609971804 } from './migrations/1796609971804-Notes';
import { Relationships1796620325817 } from './migrations/1796620325817-Relationships';
import { Templates1796609795744 } from './migrations/1796609795744-Templates';
import { Webhooks1796609517296 } from './migrations/1796609517296-Webhooks';
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
import { WebhookDeliveries } from './webhooks/deliveries';
import { webhookDeliveryModel, webhookModel } from './webhooks/models';
import { WebhookResendApiController, WebhookResendUiController } from './webhooks/resend.controller';
import {
  WebhookAttemptsMetric,
  WebhookDeliveriesMetric,
  WebhookEventSubscriber,
  WebhookRetryJob,
} from './webhooks/subscriber';
import { webhookDeliveryPage } from './webhooks/ui';

export * from './custom-fields';
export * from './entities';
export * from './notes';
export * from './relationships';
export * from './fields';
export * from './models';
export { DEFAULT_STATUSES } from './statuses';
export * from './templates';
export { Webhook, WebhookDelivery } from './webhooks/entities';
export { webhookDeliveryModel, webhookModel } from './webhooks/models';
export { signature as webhookSignature } from './webhooks/http';
export { WebhookDeliveries } from './webhooks/deliveries';

@Module({
  controllers: [WebhookResendApiController, WebhookResendUiController],
  providers: [
    DefaultStatusesInstaller,
    CustomFieldsRefreshMiddleware,
    RelationshipsRefreshMiddleware,
    TemplateEngine,
    ExportTemplateExports,
    TemplateDetailExtension,
    WebhookDeliveries,
    WebhookEventSubscriber,
    WebhookRetryJob,
    WebhookDeliveriesMetric,
    WebhookAttemptsMetric,
  ],
  exports: [TemplateEngine],
})
export class ExtrasModule {}

export default definePlugin({
  name: 'extras',
  verbose_name: 'Extensibility',
  version: '0.2.0',
  description:
    'Tags, statuses, roles, the change log, the sandboxed template engine with export templates, custom links and computed fields, and webhooks.',
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
    webhookModel,
    webhookDeliveryModel,
    customFieldModel,
    customFieldChoiceModel,
    noteModel,
    relationshipModel,
    relationshipAssociationModel,
  ],
  entities: [TaggedItem],
  migrations: [
    ExtrasInitial1795315538687,
    CustomFields1796609302081,
    Webhooks1796609517296,
    Templates1796609795744,
    Notes1796609971804,
    Relationships1796620325817,
  ],
  contributions: [
    contribute(
      ModelFeatures,
      tagsFeature,
      statusesFeature,
      rolesFeature,
      customFieldsFeature,
      notesFeature,
      relationshipsFeature,
      webhooksFeature,
      exportTemplatesFeature,
      customLinksFeature,
      computedFieldsFeature,
    ),
    contribute(GraphQLFields, customFieldGraphQLFields, relationshipGraphQLFields),
    contribute(Middleware, CustomFieldsRefreshMiddleware, RelationshipsRefreshMiddleware),
    contribute(TemplateExtensions, relationshipsPanel),
    contribute(ListExports, ExportTemplateExports),
    contribute(TemplateExtensions, TemplateDetailExtension),
    contribute(InstallHooks, DefaultStatusesInstaller),
    contribute(EventSubscribers, WebhookEventSubscriber),
    contribute(Jobs, WebhookRetryJob),
    contribute(Metrics, WebhookDeliveriesMetric, WebhookAttemptsMetric),
    contribute(TemplateExtensions, webhookDeliveryPage),
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
        table: 'extras_webhookdelivery',
        column: 'changed_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'webhook deliveries',
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
      {
        table: 'extras_note',
        column: 'assigned_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'notes',
      },
      // A relationship of a removed model's objects goes (its associations cascade with it).
      ...['source_type', 'destination_type'].map((column) => ({
        table: 'extras_relationship',
        column,
        kind: 'value' as const,
        onRemove: 'delete-row' as const,
        description: 'relationships',
      })),
      ...['source_type', 'destination_type'].map((column) => ({
        table: 'extras_relationshipassociation',
        column,
        kind: 'value' as const,
        onRemove: 'delete-row' as const,
        description: 'relationship associations',
      })),
      ...['extras_tag', 'extras_status', 'extras_role', 'extras_webhook', 'extras_customfield'].map(
        (table) => ({
          table,
          column: 'content_types',
          kind: 'array' as const,
          onRemove: 'remove-item' as const,
          description: `${table.slice('extras_'.length)}s' content types`,
        }),
      ),
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
            { model: 'extras.relationship' },
            { model: 'extras.relationshipassociation' },
          ],
        },
        {
          name: 'Logging',
          weight: 300,
          items: [{ model: 'extras.objectchange', label: 'Change Log' }, { model: 'extras.note' }],
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
        {
          name: 'Automation',
          weight: 250,
          items: [
            { model: 'extras.webhook' },
            { model: 'extras.webhookdelivery', label: 'Webhook Deliveries' },
          ],
        },
      ],
    }),
  ],
});
