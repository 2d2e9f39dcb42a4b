import { Global, Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  DatasourceContents,
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
  SECRETS,
  TEMPLATE_RENDERER,
  SecretsProviders,
  TemplateExtensions,
  ViewOverrides,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import {
  customFieldChoiceModel,
  customFieldGraphQLFields,
  customFieldModel,
  customFieldsFeature,
} from './custom-fields/wiring';
import { TaggedItem } from './entities';
import { DefinitionsRefreshMiddleware } from './watched-definitions';
import {
  relationshipAssociationModel,
  relationshipGraphQLFields,
  relationshipModel,
  relationshipsFeature,
  relationshipsPanel,
} from './relationships/wiring';
import { noteModel, notesFeature } from './notes';
import {
  contactAssociationModel,
  contactGraphQLFields,
  contactModel,
  contactPages,
  contactsFeature,
  contactsNavigation,
  teamModel,
} from './contacts';
import { rolesFeature, statusesFeature, tagsFeature, webhooksFeature } from './fields';
import { ExtrasInitial1795315538687 } from './migrations/1795315538687-ExtrasInitial';
import { CustomFields1796609302081 } from './migrations/1796609302081-CustomFields';
import { Notes1796609971804 } from './migrations/1796609971804-Notes';
import { Jobs1796621469954 } from './migrations/1796621469954-Jobs';
import { Contacts1796631122109 } from './migrations/1796631122109-Contacts';
import { JobTaskQueues1796644517442 } from './migrations/1796644517442-JobTaskQueues';
import { JobFiles1796646125546 } from './migrations/1796646125546-JobFiles';
import { GraphQLQueries1796654318734 } from './migrations/1796654318734-GraphQLQueries';
import { GitJobs1796654430562 } from './migrations/1796654430562-GitJobs';
import { Relationships1796620325817 } from './migrations/1796620325817-Relationships';
import { Templates1796609795744 } from './migrations/1796609795744-Templates';
import { Webhooks1796609517296 } from './migrations/1796609517296-Webhooks';
import { ExtrasCustomFieldIndexes1796620022982 } from './migrations/1796620022982-ExtrasCustomFieldIndexes';
import { DynamicGroups1796620506322 } from './migrations/1796620506322-DynamicGroups';
import { objectChangeModel, roleModel, statusModel, tagModel } from './models';
import {
  DynamicGroupMembersController,
  dynamicGroupMembershipModel,
  dynamicGroupModel,
  dynamicGroupPages,
  dynamicGroupsFeature,
  staticGroupAssociationModel,
} from './dynamic-groups';
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
  SecretsServiceImpl,
  environmentVariableProvider,
  secretModel,
  secretsGroupAssociationModel,
  secretsGroupModel,
  secretsGroupPage,
  textFileProvider,
} from './secrets';
import {
  GitJobCatalog,
  GitJobSandbox,
  GitJobsContent,
  GitRepositorySyncJob,
  GitSyncApiController,
  GitSyncUiController,
  exportTemplatesContent,
  gitRepositoryModel,
  gitRepositoryPage,
} from './git';
import {
  GraphQLQueryPage,
  GraphQLQueryRunApiController,
  GraphQLQuerySchemaCheck,
  graphQLQueryModel,
} from './graphql-queries';
import { SecretsAndGit1796620367739 } from './migrations/1796620367739-SecretsAndGit';
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
  fileProxyModel,
} from './jobs';

export * from './custom-fields';
export * from './entities';
export * from './notes';
export * from './contacts';
export * from './relationships';
export * from './fields';
export * from './models';
export { DEFAULT_STATUSES } from './statuses';
export * from './templates';
export { Webhook, WebhookDelivery } from './webhooks/entities';
export { webhookDeliveryModel, webhookModel } from './webhooks/models';
export { signature as webhookSignature } from './webhooks/http';
export { WebhookDeliveries } from './webhooks/deliveries';
export * from './dynamic-groups';
export * from './secrets';
export * from './git';
export * from './jobs';
export * from './graphql-queries';

// Global: plugins inject SECRETS (and the template engine) without importing extras' module.
@Global()
@Module({
  controllers: [
    WebhookResendApiController,
    WebhookResendUiController,
    GitSyncApiController,
    GitSyncUiController,
    GraphQLQueryRunApiController,
    DynamicGroupMembersController,
    JobRunApiController,
    JobRunUiController,
    JobResultCancelApiController,
    ScheduledJobApprovalApiController,
    ScheduledJobApprovalUiController,
  ],
  providers: [
    SecretsServiceImpl,
    { provide: SECRETS, useExisting: SecretsServiceImpl },
    GitRepositorySyncJob,
    GitJobSandbox,
    GitJobCatalog,
    GitJobsContent,
    DefaultStatusesInstaller,
    DefinitionsRefreshMiddleware,
    TemplateEngine,
    { provide: TEMPLATE_RENDERER, useExisting: TemplateEngine },
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
    GraphQLQuerySchemaCheck,
    GraphQLQueryPage,
  ],
  exports: [TemplateEngine, TEMPLATE_RENDERER, SECRETS],
})
export class ExtrasModule {}

export default definePlugin({
  name: 'extras',
  verbose_name: 'Extensibility',
  version: '0.2.0',
  description:
    'Tags, statuses, roles, contacts and teams, the change log, the sandboxed template engine with export templates, custom links and computed fields, webhooks, jobs with their results and logs, secrets, Git repositories, dynamic groups and saved GraphQL queries.',
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
    secretModel,
    secretsGroupModel,
    secretsGroupAssociationModel,
    gitRepositoryModel,
    dynamicGroupModel,
    dynamicGroupMembershipModel,
    staticGroupAssociationModel,
    jobModel,
    jobResultModel,
    jobLogEntryModel,
    fileProxyModel,
    scheduledJobModel,
    jobHookModel,
    jobButtonModel,
    contactModel,
    teamModel,
    contactAssociationModel,
    graphQLQueryModel,
  ],
  entities: [TaggedItem],
  migrations: [
    ExtrasInitial1795315538687,
    CustomFields1796609302081,
    Webhooks1796609517296,
    Templates1796609795744,
    Notes1796609971804,
    ExtrasCustomFieldIndexes1796620022982,
    Relationships1796620325817,
    SecretsAndGit1796620367739,
    DynamicGroups1796620506322,
    Jobs1796621469954,
    Contacts1796631122109,
    JobTaskQueues1796644517442,
    JobFiles1796646125546,
    GraphQLQueries1796654318734,
    GitJobs1796654430562,
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
      dynamicGroupsFeature,
      contactsFeature,
    ),
    contribute(GraphQLFields, customFieldGraphQLFields, relationshipGraphQLFields, contactGraphQLFields),
    contribute(TemplateExtensions, ...contactPages),
    contribute(Navigation, contactsNavigation),
    contribute(Middleware, DefinitionsRefreshMiddleware),
    contribute(TemplateExtensions, relationshipsPanel),
    contribute(ListExports, ExportTemplateExports),
    contribute(TemplateExtensions, TemplateDetailExtension),
    contribute(InstallHooks, DefaultStatusesInstaller),
    contribute(SecretsProviders, environmentVariableProvider, textFileProvider),
    contribute(DatasourceContents, exportTemplatesContent, GitJobsContent),
    contribute(TemplateExtensions, gitRepositoryPage, secretsGroupPage, GraphQLQueryPage),
    contribute(EventSubscribers, WebhookEventSubscriber, JobHookSubscriber),
    contribute(
      Jobs,
      WebhookRetryJob,
      GitRepositorySyncJob,
      JobResultSweep,
      JobScheduler,
      jobResultCleanupJob,
    ),
    contribute(JobRecorders, JobRunner),
    contribute(TemplateExtensions, JobPages, JobButtons),
    contribute(ViewOverrides, jobListView),
    contribute(Metrics, WebhookDeliveriesMetric, WebhookAttemptsMetric),
    contribute(TemplateExtensions, webhookDeliveryPage),
    contribute(TemplateExtensions, ...dynamicGroupPages),
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
      {
        table: 'extras_contactassociation',
        column: 'associated_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'contact associations',
      },
      {
        table: 'extras_staticgroupassociation',
        column: 'associated_object_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'static group assignments',
      },
      {
        table: 'extras_dynamicgroup',
        column: 'content_type',
        kind: 'value',
        onRemove: 'delete-row',
        description: 'dynamic groups',
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
            { model: 'extras.relationship' },
            { model: 'extras.relationshipassociation' },
            { model: 'extras.dynamicgroup' },
            { model: 'extras.staticgroupassociation' },
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
            { model: 'extras.graphqlquery', label: 'GraphQL Queries' },
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
          name: 'Secrets',
          weight: 260,
          items: [
            { model: 'extras.secret' },
            { model: 'extras.secretsgroup' },
            { model: 'extras.secretsgroupassociation', label: 'Secrets Group Associations' },
          ],
        },
        {
          name: 'Data Sources',
          weight: 270,
          items: [{ model: 'extras.gitrepository', label: 'Git Repositories' }],
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
