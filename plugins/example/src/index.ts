import { Module } from '@nestjs/common';
import {
  Jobs,
  Banners,
  CliCommands,
  CustomValidators,
  DatasourceContents,
  EventSubscribers,
  GraphQLFields,
  GraphQLTypeDefs,
  HomePanels,
  InstallHooks,
  Metrics,
  Middleware,
  Navigation,
  SecretsProviders,
  TemplateExtensions,
  ViewOverrides,
  contribute,
  definePlugin,
  TemplateFilters,
} from '@plinth/plugin-sdk';
import { exampleTemplateFilters } from './template-filters';
import { base64EnvironmentProvider, widgetsContent } from './datasources';
import { widgetsCommand } from './cli';
import { WidgetEventCounter, WidgetEventsMetric } from './events';
import {
  EXAMPLE_TYPE_DEFS,
  lastChangeFields,
  UserWidgetKindsResolver,
  WidgetGreetingResolver,
  WidgetQueriesResolver,
} from './graphql';
import { ExampleHeaderMiddleware } from './middleware';
import { widgetCustomFields } from './custom-fields';
import { widgetRelationships } from './relationships';
import { ExampleInitial1795316000691 } from './migrations/1795316000691-ExampleInitial';
import { ExampleNicknames1796599836736 } from './migrations/1796599836736-ExampleNicknames';
import { ExampleNicknameCustomFields1796609400000 } from './migrations/1796609400000-ExampleNicknameCustomFields';
import { ExampleCustomFieldIndexes1796620053826 } from './migrations/1796620053826-ExampleCustomFieldIndexes';
import { widgetModel } from './models';
import { auditWidgetJob, bumpWidgetJob, createWidgetsJob, importWidgetsJob } from './jobs';
import { nicknameModel, userExtension } from './extensions';
import { exampleSettings } from './settings';
import { WidgetSummaryController } from './summary.controller';
import { WidgetSummaryService } from './summary.service';
import { widgetStatuses } from './statuses';
import { ReservedTagValidator } from './tag-validator';
import {
  ExampleBanner,
  ExamplePageController,
  ExampleTemplateExtension,
  exampleHomePanel,
  exampleNavigation,
  exampleWidgetOverride,
} from './ui';

export { Widget, WIDGET_KINDS } from './widget.entity';
export { widgetModel } from './models';
export { WidgetEventCounter } from './events';

@Module({
  controllers: [WidgetSummaryController, ExamplePageController],
  providers: [
    WidgetSummaryService,
    WidgetEventCounter,
    WidgetEventsMetric,
    ReservedTagValidator,
    ExampleHeaderMiddleware,
    ExampleTemplateExtension,
    // GraphQL resolvers are plain Nest providers; their fields are declared in EXAMPLE_TYPE_DEFS.
    WidgetQueriesResolver,
    UserWidgetKindsResolver,
    WidgetGreetingResolver,
  ],
})
export class ExampleModule {}

export default definePlugin({
  name: 'example',
  verbose_name: 'Example Plugin',
  version: '1.0.0',
  description:
    'Shows every plugin capability: a model, REST endpoints, GraphQL additions, a validator, middleware, settings and UI slots.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'example',
  min_version: '0.1.0',
  max_version: '0.9',
  dependsOn: ['extras'],
  required_settings: ['instance_name'],
  settings: exampleSettings,
  module: ExampleModule,
  models: [widgetModel, nicknameModel],
  migrations: [
    ExampleInitial1795316000691,
    ExampleNicknames1796599836736,
    ExampleNicknameCustomFields1796609400000,
    ExampleCustomFieldIndexes1796620053826,
  ],
  contributions: [
    userExtension,
    contribute(CustomValidators, ReservedTagValidator),
    contribute(Middleware, ExampleHeaderMiddleware),
    contribute(CliCommands, widgetsCommand),
    contribute(Jobs, createWidgetsJob, bumpWidgetJob, auditWidgetJob, importWidgetsJob),
    // After-commit change events (through the outbox) and a Prometheus metric of them.
    contribute(EventSubscribers, WidgetEventCounter),
    contribute(Metrics, WidgetEventsMetric),
    contribute(InstallHooks, widgetStatuses, widgetCustomFields, widgetRelationships),
    contribute(GraphQLTypeDefs, EXAMPLE_TYPE_DEFS),
    contribute(GraphQLFields, lastChangeFields),
    // Filters for user-authored templates (export templates, custom links, computed fields).
    contribute(TemplateFilters, ...exampleTemplateFilters),
    // A secrets provider and a Git repository content handler (see ./datasources.ts).
    contribute(SecretsProviders, base64EnvironmentProvider),
    contribute(DatasourceContents, widgetsContent),
    // Web UI slots (see ./ui.ts).
    contribute(Navigation, ...exampleNavigation),
    contribute(HomePanels, exampleHomePanel),
    contribute(TemplateExtensions, ExampleTemplateExtension),
    contribute(Banners, ExampleBanner),
    contribute(ViewOverrides, exampleWidgetOverride),
  ],
});
