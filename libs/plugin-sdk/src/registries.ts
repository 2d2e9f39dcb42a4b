import type { NestMiddleware, Type } from '@nestjs/common';
import type { FieldMeta, ScalarFieldMeta } from './fields';
import type {
  AuthUser,
  ComputedContext,
  FilterDefinition,
  ModelDefinition,
  ModelFeature,
  ModelHooks,
  ModelMeta,
  Rec,
  TransactionContext,
} from './model';
import type { AnyRecord } from './reads';
import { DEFAULT_TASK_QUEUE } from './jobs';
import { createRegistry } from './registry';
import type { Sql } from './sql';

/** Models: every registered model, core or plugin. Manifests list them under `models`. */
export const Models = createRegistry<ModelDefinition>('models');

export interface CustomValidatorContext {
  action: 'create' | 'update';
  model: ModelMeta;
  /** The proposed object. */
  object: Rec;
  /** The stored object (update). */
  before: Rec | null;
  /** The acting user (null for system writes). */
  user: AuthUser | null;
  /** True when the field is set on create, or its value changes on update. */
  changed(field: string): boolean;
  tx: TransactionContext;
  /** Reject the write with a field error (400 `{field: [message]}`); use `__all__` for the object. */
  error(field: string, message: string): void;
}

/**
 * Extra validation for existing models (Nautobot's PluginCustomValidator). Custom validators run
 * last, over the objects of a write that the model's own checks and rules accepted. Give
 * `validate` (one object at a time) or `validateMany` (every object of the write at once: one
 * query for a bulk write of thousands, where `validate` would issue one per object).
 */
export interface CustomValidator {
  /**
   * Model label(s): `dcim.device`; `ALL_MODELS` (`'*'`) for every model with the
   * `custom_validators` feature (validators whose rules are data, e.g. stored per model).
   */
  model: string | readonly string[];
  /** Check one object; called once per object of the write. */
  validate?(ctx: CustomValidatorContext): void | Promise<void>;
  /**
   * Check every object of one write at once (contexts in input order, each reporting its own
   * errors). Used instead of `validate` when both are given.
   */
  validateMany?(ctxs: readonly CustomValidatorContext[]): void | Promise<void>;
}

/** A custom validator's `model` that matches every model with the `custom_validators` feature. */
export const ALL_MODELS = '*';

/** Whether a custom validator runs on writes of the model `label`. */
export function validatorApplies(validator: Pick<CustomValidator, 'model'>, label: string): boolean {
  const labels = typeof validator.model === 'string' ? [validator.model] : validator.model;
  return labels.includes(label) || labels.includes(ALL_MODELS);
}
export const CustomValidators = createRegistry<CustomValidator>('custom-validators');

export type ExpressMiddleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/**
 * Request middleware, applied to every request in plugin order, after Plinth has authenticated
 * the request: a Nest middleware class (with DI), an instance, or a plain Express function.
 */
export type MiddlewareContribution = Type<NestMiddleware> | NestMiddleware | ExpressMiddleware;
export const Middleware = createRegistry<MiddlewareContribution>('middleware');

/** A submitted value of a field source, for its `validate`. */
export interface FieldSourceInput {
  action: 'create' | 'update';
  model: ModelMeta;
  /** The object as it will be stored (model fields; on update, stored values overlaid). */
  record: AnyRecord;
  /** The stored value (update), undefined on create. */
  before: unknown;
  /** The submitted value; undefined when the client did not send it. */
  value: unknown;
  /** True when the client sent the field. */
  submitted: boolean;
  /** Replace the value to store (normalised, defaults filled in). */
  set(value: unknown): void;
  /** Reject: field errors are reported under `<name>` or `<name>.<key>`. */
  error(field: string, message: string): void;
  tx: TransactionContext;
  /**
   * The writer's view scope of a model (a condition over alias `t`; null: every row; false:
   * none): values naming other objects (relationship peers) may name only objects the writer
   * may view, as references may.
   */
  visible(label: string): Promise<Sql | null | false>;
}

/** One object's value to store, for an external source's `save`. */
export interface FieldSourceWrite {
  action: 'create' | 'update';
  id: string;
  value: unknown;
  before: unknown;
}

/**
 * A value of a model that does not live in one of its declared fields: kept in a column of the
 * model's own table (`column`: custom fields in `_custom_field_data`), kept elsewhere (`load`
 * and `save`: relationships, a plugin's own table), or computed (`load` only: config context).
 * Every surface shows it like a field: REST (read, and written when `save`/`column` allow it),
 * GraphQL, the detail page, edit forms, CSV, change-log snapshots (column-backed values).
 */
export interface FieldSource {
  /** Field name on every surface (`custom_fields`, `config_context`, `acme_rating`). */
  name: string;
  /** What the value is (kind, label, help text, choices, nullable): OpenAPI, GraphQL, forms. */
  field: Omit<ScalarFieldMeta, 'name' | 'column'>;
  /** Only when asked for (`?include=<name>` in REST); GraphQL fields are always asked for. */
  optional?: boolean;
  /** The model's column holding the value (JSON columns: the value as stored). */
  column?: string;
  /** Values for a batch of stored objects (sources with a `column` read it themselves). */
  load?(records: readonly AnyRecord[], ctx: ComputedContext): Promise<Map<string, unknown>>;
  /** Check, normalise and default a value before the write (every create; updates that send it). */
  validate?(input: FieldSourceInput): void | Promise<void>;
  /** Store values kept outside the model's table, after its rows are written (same transaction). */
  save?(writes: readonly FieldSourceWrite[], tx: TransactionContext): Promise<void>;
  /**
   * An object-valued source shown key by key (custom fields: `cf_<key>`): one CSV column per
   * key (exported instead of the source's own column; on import a cell sets that key, as text
   * `validate` parses), one input per key on edit forms, one row per key in a panel per `group`
   * on detail pages. Asked each time: the keys may change at run time.
   */
  columns?(): readonly FieldSourceColumn[];
}

/** One key of an object-valued field source (see `FieldSource.columns`). */
export interface FieldSourceColumn {
  /** Column and form input name (`cf_cost_centre`). */
  name: string;
  /** Detail-page panel heading the key is shown under (empty: the source's label). */
  group?: string;
  /** Shown apart from the others (Nautobot's `advanced_ui`): in an "Advanced" panel of detail pages. */
  advanced?: boolean;
  /** Values are Markdown: pages render them (raw HTML escaped). */
  markdown?: boolean;
  /** Key of the source's value the column holds (`cost_centre`). */
  key: string;
  /** What the values are (kind decides how a cell is written: lists comma-separated, JSON as text). */
  field: Omit<ScalarFieldMeta, 'name' | 'column'>;
  /**
   * Values are ids of objects of this model (relationship peers): forms show a searchable
   * select of them, several when `field.kind` is `array`. Columns of an optional source are
   * form inputs only (its detail-page panel is the feature's own).
   */
  target?: string;
  /** The column's value in the source's value (default: `value[key]`). */
  get?(value: unknown): unknown;
  /** The source's value with the column's value put in (default: `value[key] = v`). */
  set?(value: unknown, columnValue: unknown): unknown;
}

/** A filter as documented in OpenAPI, GraphQL arguments and the UI filter form. */
export interface DescribedFilter {
  name: string;
  type: NonNullable<FilterDefinition['type']> | 'date';
  label?: string;
  help_text?: string;
  choices?: readonly { value: string | number; label: string }[];
  /** Model label of the objects the values name (id or natural key): forms offer a searchable select. */
  related?: string;
}

/**
 * The implementation of a model feature (`tags`, `custom_fields`, `webhooks`, ...) for every
 * model that declares it. A model declaring a feature nothing implements stops start-up.
 */
export interface ModelFeatureProvider {
  feature: ModelFeature;
  /** Fields the feature adds, treated as the model's own everywhere (extras' `tags`). */
  fields?(model: { label: string }): FieldMeta[];
  /** Values kept outside the model's declared fields (see FieldSource). */
  sources?(model: ModelMeta): FieldSource[];
  /** Filters the feature adds to the model's list endpoint. */
  filters?(model: ModelMeta): Record<string, FilterDefinition>;
  /**
   * Filters whose names are only known at run time (`cf_<key>`): asked for parameter names no
   * other filter takes. `describeFilters` lists them for documentation and forms.
   */
  filter?(model: ModelMeta, name: string): FilterDefinition | undefined;
  describeFilters?(model: ModelMeta): DescribedFilter[];
  /** Hooks run on every write of a model with the feature (after the model's own). */
  hooks?: ModelHooks;
  /**
   * Indexes the feature's queries need on the table of each model that has it (custom fields:
   * GIN on `_custom_field_data` for `cf_` filters). `plinth makemigrations <plugin>` writes the
   * missing ones into the plugin's next migration, as it does for the entities' own indexes.
   */
  indexes?(model: ModelMeta): FeatureIndex[];
}

/** An index a model feature needs (see `ModelFeatureProvider.indexes`). */
export interface FeatureIndex {
  /** Lower-case, unique in the database: `dcim_device_custom_field_data_gin`. */
  name: string;
  /** What follows `ON "<table>"`: `USING gin ("_custom_field_data" jsonb_path_ops)`. */
  definition: string;
}
export const ModelFeatures = createRegistry<ModelFeatureProvider>('model-features');

/**
 * A plugin's additions to other models (NetBox/Nautobot's filter extensions, and fields on core
 * models): filters and field sources named `<plugin>_<name>`, and hooks on their writes.
 */
export interface ModelExtension {
  /** Model label(s): `dcim.device`. */
  model: string | readonly string[];
  filters?: Record<string, FilterDefinition>;
  sources?: readonly FieldSource[];
  hooks?: ModelHooks;
}
export const ModelExtensions = createRegistry<ModelExtension>('model-extensions');

/** Data a plugin installs once its tables exist (default statuses, ...). Runs after migrations. */
export interface InstallHook {
  name: string;
  run(tx: TransactionContext): Promise<void>;
}
export const InstallHooks = createRegistry<InstallHook>('install-hooks');

export interface CliOption {
  flags: string;
  description: string;
  default?: string | boolean;
}

export interface CliCommandContext {
  /** Writes as the system user, tagged `cli` in the change log. */
  objects: import('./model').ObjectsApi;
  models: import('./services').ModelLookup;
  /** Resolve a provider from the app (a plugin's service). */
  get<T>(token: Type<T> | symbol | string): T;
  log(message: string): void;
  /** Whether stdout is an interactive terminal (progress bars). */
  interactive: boolean;
}

/** A `plinth <name>` command. */
export interface CliCommand {
  name: string;
  description: string;
  arguments?: string;
  options?: readonly CliOption[];
  run(ctx: CliCommandContext, args: string[], options: Record<string, unknown>): Promise<void>;
}
export const CliCommands = createRegistry<CliCommand>('cli-commands');

export interface JobContext {
  /**
   * Writes attributed to the job (source `job`): as the user who ran it, with the job result's id
   * as request id (the change log links to the result); inside the run's transaction when the
   * job asks for one (`transaction`) or runs as a dry run.
   */
  objects: import('./model').ObjectsApi;
  /** SQL through the SDK door (`sql\`...\``), inside the run's transaction when it has one. */
  db: import('./model').SqlRunner;
  /** A log line at level info (kept as a JobLogEntry for user jobs). */
  log(message: string): void;
  log_debug(message: string, opts?: import('./jobs').JobLogOptions): void;
  log_info(message: string, opts?: import('./jobs').JobLogOptions): void;
  log_success(message: string, opts?: import('./jobs').JobLogOptions): void;
  log_warning(message: string, opts?: import('./jobs').JobLogOptions): void;
  /** A failure line; the run still ends as it returns or throws (throw to fail it). */
  log_failure(message: string, opts?: import('./jobs').JobLogOptions): void;
  /** Who ran the job (null: system, schedules without a user, system jobs). */
  user: AuthUser | null;
  /** A dry run: writes are rolled back at the end. */
  dryrun: boolean;
  /** The run's `extras.jobresult` id (null for system jobs, which keep no result). */
  job_result_id: string | null;
  /** Aborted when the run is cancelled or a time limit passes (`signal.reason` says which): stop cooperatively. */
  signal: AbortSignal;
  /** Every registered model (labels, tables, fields): jobs that work on any model. */
  models: import('./services').ModelLookup;
  /**
   * Resolve a provider from the app (a plugin's own service, or `READS`), as CLI commands can:
   * a job is a plain object, declared before the injector exists.
   */
  get<T>(token: Type<T> | symbol | string): T;
  /**
   * A plugin's typed settings (`ctx.settings(mySettings)` with the `definePluginSettings` handle):
   * jobs are plain definitions, outside Nest injection.
   */
  settings<T>(handle: import('./settings').PluginSettings<T>): T;
}

/**
 * Background work run by the queue: in-process in embedded mode, by `apps/worker` processes
 * through Bull/Redis in production.
 *
 * Two kinds: **system jobs** (`every_ms` or `system: true`: housekeeping, outbox and webhook
 * sweeps) are internal, keep no result and are not listed; every other job is a **user job**: it
 * is listed as an `extras.job`, runs from REST/UI/CLI with validated `variables`, and each run
 * keeps an `extras.jobresult` with its log.
 */
export interface JobDefinition {
  /** Unique name: `<plugin>.<job>`. */
  name: string;
  description?: string;
  /** Run repeatedly at this interval (ms), from the first worker that starts (a system job). */
  every_ms?: number;
  /** An internal job: no JobResult, not listed (implied by `every_ms`). */
  system?: boolean;
  /** Human name (default: `name`). */
  label?: string;
  /** Groups jobs in the jobs list (default: the plugin's name). */
  grouping?: string;
  /** Typed variables by name, in form order. */
  variables?: Readonly<Record<string, import('./jobs').JobVariable>>;
  /** The job supports dry runs (writes rolled back); `data.dryrun` is then accepted. */
  dryrun?: boolean;
  /** Variables hold secrets: a run's data is never stored in its result. */
  has_sensitive_variables?: boolean;
  /** A run waits (as a scheduled job) until a user other than the requester approves it. */
  approval_required?: boolean;
  /** Seconds after which `ctx.signal` aborts (the job should stop). */
  soft_time_limit?: number;
  /** Seconds after which the run is failed, whatever the job does. */
  time_limit?: number;
  /**
   * Receives object changes from job hooks: `data.object_change` is the ObjectChangeEvent (no
   * variables are validated for hook runs).
   */
  job_hook_receiver?: boolean;
  /** Not shown in the jobs list (still runnable through the API). */
  hidden?: boolean;
  /** Run inside one database transaction (rolled back if the job throws). */
  transaction?: boolean;
  /**
   * Task queues the job may run on (Nautobot's `task_queues`), the first being its default
   * (default: `['default']`). A run names one with `task_queue`; workers serve the queues they
   * are started with (`plinth worker --queues default,bulk`).
   */
  task_queues?: readonly string[];
  /**
   * Running it twice does no harm: a run whose worker died is queued again (up to 3 runs)
   * instead of being failed. Never for jobs with sensitive variables (their data is not kept).
   */
  idempotent?: boolean;
  /**
   * Check the running user's object permissions on the job's writes (its reads are scoped to
   * what the user may view anyway). Off for plugin jobs, whose code the operator installed and
   * whose run the `run` permission authorises; on for jobs fetched from Git repositories.
   */
  check_permissions?: boolean;
  run(ctx: JobContext, data: Record<string, unknown>): Promise<unknown>;
}

/** The task queues of a job's code, its default first. */
export function taskQueuesOf(job: JobDefinition): readonly string[] {
  return job.task_queues?.length ? job.task_queues : [DEFAULT_TASK_QUEUE];
}

/** A system job (see JobDefinition): internal, no JobResult, not listed. */
export function isSystemJob(job: JobDefinition): boolean {
  return !!job.system || !!job.every_ms;
}
export const Jobs = createRegistry<JobDefinition>('jobs');

/**
 * A column outside a plugin's own tables that holds model labels (`acme.widget`): change records,
 * tag assignments, the object types of permissions, statuses and roles. `plinth plugins
 * uninstall` cleans every registered column of the plugin's labels, so whoever owns such a
 * column contributes it (core domains do, and so should features that add one).
 */
export interface ContentTypeReference {
  table: string;
  column: string;
  /** `value`: one label per row (varchar); `array`: a list of labels (varchar[]). */
  kind: 'value' | 'array';
  /**
   * `delete-row`: delete the rows that reference the plugin's models. `remove-item`: take the
   * plugin's labels out of the array (a `value` column is set to null).
   */
  onRemove: 'delete-row' | 'remove-item';
  /** With `remove-item` on an array: delete rows left with no label (a permission for nothing). */
  deleteIfEmpty?: boolean;
  /** What the rows are, for the uninstall summary: `change records`. */
  description?: string;
}
export const ContentTypeReferences = createRegistry<ContentTypeReference>('content-type-references');
