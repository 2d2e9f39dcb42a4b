import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  EventSubscribers,
  GraphQLFields,
  InstallHooks,
  ListExports,
  Jobs,
  JobRecorders,
  Metrics,
  Middleware,
  ModelFeatures,
  Navigation,
  TemplateExtensions,
  ViewOverrides,
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
import { rolesFeature, statusesFeature, tagsFeature, webhooksFeature } from './fields';
import { ExtrasInitial1795315538687 } from './migrations/1795315538687-ExtrasInitial';
import { CustomFields1796609302081 } from './migrations/1796609302081-CustomFields';
import { Notes1796609971804 } from './migrations/1796609971804-Notes';
import { Jobs1796621469954 } from './migrations/1796621469954-Jobs';
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
import {
  JobPages,
  JobRunApiController,
  JobRunUiController,
  JobResultCancelApiController,
  JobResultSweep,
  JobButtons,
  JobHookSubscriber,
  JobScheduler,
  jobButtonModel,
  jobHookModel,
  jobListView,
  ScheduledJobApprovalApiController,
  ScheduledJobApprovalUiController,
  scheduledJobModel,
  JobRunner,
  JobSync,
  jobLogEntryModel,
  jobModel,
  jobResultCleanupJob,
  jobResultModel,
} from './jobs';

export * from './custom-fields';
export * from './entities';
export * from './notes';
export * from './fields';
export * from './models';
export { DEFAULT_STATUSES } from './statuses';
export * from './templates';
export { Webhook, WebhookDelivery } from './webhooks/entities';
export { webhookDeliveryModel, webhookModel } from './webhooks/models';
export { signature as webhookSignature } from './webhooks/http';
export { WebhookDeliveries } from './webhooks/deliveries';
export * from './jobs';

@Module({
  controllers: [
    WebhookResendApiController,
    WebhookResendUiController,
    JobRunApiController,
    JobRunUiController,
    JobResultCancelApiController,
    ScheduledJobApprovalApiController,
    ScheduledJobApprovalUiController,
  ],
  providers: [
    DefaultStatusesInstaller,
    CustomFieldsRefreshMiddleware,
    TemplateEngine,
    ExportTemplateExports,
    TemplateDetailExtension,
    WebhookDeliveries,
    WebhookEventSubscriber,
    WebhookRetryJob,
    WebhookDeliveriesMetric,
    WebhookAttemptsMetric,
    JobRunner,
    JobSync,
    JobPages,
    JobResultSweep,
    JobScheduler,
    JobButtons,
    JobHookSubscriber,
  ],
  exports: [TemplateEngine],
})
export class ExtrasModule {}

export default definePlugin({
  name: 'extras',
  verbose_name: 'Extensibility',
  version: '0.2.0',
  description:
    'Tags, statuses, roles, the change log, the sandboxed template engine with export templates, custom links and computed fields, webhooks, and jobs with their results and logs.',
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
    jobModel,
    jobResultModel,
    jobLogEntryModel,
    scheduledJobModel,
    jobHookModel,
    jobButtonModel,
  ],
  entities: [TaggedItem],
  migrations: [
    ExtrasInitial1795315538687,
    CustomFields1796609302081,
    Webhooks1796609517296,
    Templates1796609795744,
    Notes1796609971804,
    Jobs1796621469954,
  ],
  contributions: [
    contribute(
      ModelFeatures,
      tagsFeature,
      statusesFeature,
      rolesFeature,
      customFieldsFeature,
      notesFeature,
      webhooksFeature,
      exportTemplatesFeature,
      customLinksFeature,
      computedFieldsFeature,
    ),
    contribute(GraphQLFields, customFieldGraphQLFields),
    contribute(Middleware, CustomFieldsRefreshMiddleware),
    contribute(ListExports, ExportTemplateExports),
    contribute(TemplateExtensions, TemplateDetailExtension),
    contribute(InstallHooks, DefaultStatusesInstaller),
    contribute(EventSubscribers, WebhookEventSubscriber, JobHookSubscriber),
    contribute(Jobs, WebhookRetryJob, JobResultSweep, JobScheduler, jobResultCleanupJob),
    contribute(JobRecorders, JobRunner),
    contribute(TemplateExtensions, JobPages, JobButtons),
    contribute(ViewOverrides, jobListView),
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
      ...[
        'extras_tag',
        'extras_status',
        'extras_role',
        'extras_webhook',
        'extras_customfield',
        'extras_jobhook',
        'extras_jobbutton',
      ].map((table) => ({
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
        {
          name: 'Jobs',
          weight: 240,
          items: [
            { model: 'extras.job' },
            { model: 'extras.jobresult', label: 'Job Results' },
            { model: 'extras.scheduledjob', label: 'Scheduled Jobs' },
            { model: 'extras.jobhook' },
            { model: 'extras.jobbutton' },
            { model: 'extras.joblogentry', label: 'Job Logs' },
          ],
        },
      ],
    }),
  ],
});
