/**
 * @plinth/core: the kernel. This is its whole public face, for the surfaces (REST, GraphQL, the
 * web UI), the apps (server, worker, CLI) and the test kit. Plugins never import it: everything
 * they use comes from @plinth/plugin-sdk.
 */

// Versions and configuration
export { API_VERSION, PLINTH_VERSION } from './version';
export { loadConfig, type PlinthConfig } from './config/config';

// Plugin host: discovery, registries, the app's context
export {
  BUILTIN_PLUGIN_PACKAGES,
  PluginLoadError,
  discoverPlugins,
  type LoadedPlugin,
} from './plugins/discovery';
export { shareHostModules } from './plugins/host-modules';
export {
  UninstallError,
  planUninstall,
  uninstallPlugin,
  type ReferenceCleanup,
  type UninstallPlan,
} from './plugins/uninstall';
export { RegistrySet } from './host/registries';
export { pluginInfo } from './host/plugin-info';
export { ObjectsServiceImpl } from './host/objects.service';
export {
  PLINTH_CONTEXT,
  buildContext,
  entitiesOf,
  loadPlugins,
  migrationSets,
  type ContextOptions,
  type PlinthContext,
} from './app/context';

// Database and migrations
export { type Database } from './database/database';
export { pendingMigrations, runMigrations, type MigrationSet } from './database/migrations';
export {
  diffSchema,
  labelForeignKeys,
  featureIndexesOf,
  writeMigration,
  type GeneratedMigration,
  type LabelForeignKey,
} from './database/makemigrations';

// Models and values
export { ModelRegistry, kebab } from './models/model-registry';
export { loadSource, shownSources, sourceAsComputed } from './models/sources';
export { apiValue, columnOf, formatDatetime, isUuid, joinNaturalKey, splitNaturalKey } from './models/values';

// The read path (and the filter engine's description of filters, for forms and schemas)
export {
  READ_ALIAS,
  Reads,
  pageBounds,
  toQueryParams,
  type RowQuery,
  type SurfaceRenderOptions,
} from './read/read-service';
export {
  GraphQLReader,
  JOIN,
  ModelNode,
  TARGET,
  childrenName,
  pageWindow,
  type ColumnSet,
  type ListRelation,
  type PageQuery,
} from './read/batched-reader';
export {
  EXPORT_CSP,
  MAX_EXPORT_OBJECTS,
  exportDisposition,
  listExportChoices,
  renderListExport,
} from './read/list-export';
export { GRAPHQL_NAME, queryNamesOf, typeNameOf } from './read/graphql-names';
export { FilterEngine, type FilterSpec, type QueryParams } from './query/filter-engine';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, computedContext, type Row } from './query/query-engine';
export { CURSOR_PARAM } from './query/keyset';
export { MAX_DEPTH, apiUrlOf, displayOf, type ApiObject } from './serialize/serializer';
export { JsonBuffer, JsonValues, jsonString, objectEncoder } from './serialize/json-text';
export {
  CsvExporter,
  csvFields,
  csvColumns,
  neutralizeCsvCell,
  unneutralizeCsvCell,
  type CsvQuery,
} from './serialize/csv-export';

// The write path
export { WriteService, type WriteActor } from './write/write-service';
export { isRequired } from './write/input';
export { newRequestId } from './changelog/changelog';
export { EventOutbox, OUTBOX_JOB } from './events/outbox';

// Authentication and authorization
export { AuthenticationService } from './auth/authentication.service';
export { WebSessionService } from './auth/web-sessions';
export { SESSION_COOKIE } from './http/auth.middleware';
export { AuthorizationService } from './auth/authorization.service';

// HTTP plumbing shared by every surface
export { assertApiAccess } from './http/api.guard';
export { isApiPath } from './http/paths';
export { SUPPORTED_API_VERSIONS } from './http/api-version';
export {
  DEFAULT_LIMITS,
  LIMITS,
  PayloadTooLargeError,
  jsonDepth,
  tooManyItems,
  type RequestLimits,
} from './http/limits';
export { CONTENT_SECURITY_POLICY } from './http/security-headers';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './database/availability';
export { PlinthExceptionFilter, type HtmlErrorRenderer } from './http/exception.filter';
export { queryParams, type PlinthRequest } from './http/request-context.middleware';

// Backup and restore
export {
  BackupError,
  readManifest,
  restoreBackup,
  versionMismatch,
  writeBackup,
  type BackupManifest,
} from './backup/backup';

// Queue
export { NoWorkerError, QueueService } from './queue/queue.service';
export { QueueUnavailableError } from './queue/queue';

// App lifecycle
export {
  assertMigrated,
  bootstrap,
  createApp,
  ensureSuperuser,
  migrate,
  openApp,
  runInstallHooks,
  type CreateAppOptions,
  type StartOptions,
} from './app/bootstrap';
export { closeOnSignals } from './app/signals';
export { SERVER_PROCESS_ENV, inServerCluster, serveClusterMetrics } from './metrics/cluster';
