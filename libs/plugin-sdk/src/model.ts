import type { Type } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ErrorCollector } from './errors';
import { getFieldMetas, type FieldMeta, type RelationMeta } from './fields';
import type { FilterParams } from './reads';
import type { DescribedFilter, FieldSource } from './registries';
import { makeLazyRef, type InputOf, type ModelRef, type ModelTarget, type RecordOf } from './refs';
import type { Sql } from './sql';

/** A stored or proposed object: field name -> value (foreign keys as uuid, many-to-many as uuid[]). */
export type Rec = Record<string, unknown>;

export type ModelFeature =
  | 'custom_fields'
  | 'custom_validators'
  | 'changelog'
  | 'export_templates'
  | 'custom_links'
  | 'computed_fields'
  | 'graphql'
  | 'relationships'
  | 'tags'
  | 'webhooks'
  | 'statuses'
  | 'roles'
  | 'locations'
  | 'notes'
  | 'dynamic_groups'
  | 'config_context'
  | 'contacts';

/**
 * The features a typical user-maintained model has (a declared feature that nothing implements
 * stops start-up). `custom_fields` needs the entity to extend PrimaryModel (its value column).
 */
export const PRIMARY_FEATURES: readonly ModelFeature[] = [
  'custom_validators',
  'changelog',
  'custom_fields',
  'graphql',
  'notes',
  'relationships',
  'tags',
  'export_templates',
  'custom_links',
  'computed_fields',
  'webhooks',
  'dynamic_groups',
  'contacts',
];

/** Organisational models: everything but tags. */
export const ORGANIZATIONAL_FEATURES: readonly ModelFeature[] = PRIMARY_FEATURES.filter((f) => f !== 'tags');

export type ChangeSource = 'api' | 'web' | 'import' | 'job' | 'cli' | 'system';

export interface AuthUser {
  id: string;
  username: string;
  is_superuser: boolean;
  is_active: boolean;
  /** May use staff-only features (GraphQL introspection when limited to staff). */
  is_staff?: boolean;
}

/** The AuthUser of a stored user (a row or record): only what authorisation needs, no secrets. */
export function toAuthUser(r: AuthUser): AuthUser {
  return {
    id: r.id,
    username: r.username,
    is_superuser: r.is_superuser,
    is_active: r.is_active,
    is_staff: r.is_staff,
  };
}

/**
 * How an object is shown in lists and as `display`: a field name, a function of the row's own
 * fields, or an SQL expression over the row (for names that need related rows; it runs inside the
 * list query, so it costs no extra query).
 */
export type DisplaySpec<E = object> =
  string | { bivarianceHack(record: RecordOf<E>): string }['bivarianceHack'] | { sql: (alias: Sql) => Sql };

/** A filter a model declares beyond the ones generated for its fields. */
export interface FilterDefinition {
  label?: string;
  help_text?: string;
  /** Parameter type, for OpenAPI, GraphQL arguments and input checking. */
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'uuid' | 'datetime';
  /**
   * SQL condition for the submitted values; repeated parameters arrive together and should be
   * OR-ed. Values have already been checked against `type`. A filter that must read first
   * (a dynamic group's definition) returns a promise; throw `FilterValueError` for a bad value.
   */
  apply(values: string[], ctx: FilterContext): Sql | Promise<Sql>;
  /** Also offer `<name>__n` (NOT of apply). Default true. */
  negatable?: boolean;
}

export interface FilterContext {
  /** The filtered table's alias. */
  alias: Sql;
  model: ModelMeta;
  /** Subquery of ids of `label` objects whose uuid or natural key is in `values`. */
  idsOf(label: string, values: string[]): Sql;
  /** Like idsOf, plus every descendant in the model's tree (`parent` field). */
  treeIdsOf(label: string, values: string[]): Sql;
  /**
   * Condition for a dotted foreign-key path of this model matching `values`
   * (`device_type.manufacturer` on devices: uuid or natural key of the manufacturer). With
   * `descendants`, the last model is a tree and its descendants match too.
   */
  path(path: string, values: string[], opts?: { descendants?: boolean }): Sql;
  /** Every registered model (tables of related models, e.g. of plugins this one cannot import). */
  models: import('./services').ModelLookup;
  /** Queries in the reading transaction (definitions a filter depends on). */
  db: SqlRunner;
  /**
   * The condition of list-endpoint filters on `model` over `alias` (a filter made of stored
   * filters: dynamic groups); bad parameters throw as they would on the list endpoint.
   */
  compile(model: string, params: import('./reads').FilterParams, alias: Sql): Promise<Sql>;
}

/** Run SDK-built SQL (`sql\`...\``, `sql.table(ref)`): the one way plugins and domains query. */
export interface SqlRunner {
  /** Rows of a query. */
  query<R extends Rec = Rec>(q: Sql): Promise<R[]>;
  /** The first row, or undefined. */
  one<R extends Rec = Rec>(q: Sql): Promise<R | undefined>;
}

export interface TransactionContext extends SqlRunner {
  manager: EntityManager;
  user: AuthUser | null;
  request_id: string;
  source: ChangeSource;
  /** Reads and writes inside this same transaction (nested writes are change-logged too). */
  objects: ObjectsApi;
  /** Every registered model (labels, tables, fields), e.g. to query a related model's table. */
  models: import('./services').ModelLookup;
}

export interface RuleContext<E = object> {
  action: 'create' | 'update';
  model: ModelMeta;
  /** The proposed state (on update: stored values overlaid with the submitted ones). */
  record: RecordOf<E>;
  /** The stored state, on update. */
  before: RecordOf<E> | null;
  /** True when the field is submitted on create, or its value differs from the stored one. */
  changed(field: FieldName<E>): boolean;
  error(field: string, message: string): void;
  errors: ErrorCollector;
  tx: TransactionContext;
  /**
   * Add a value to this object's API response for this write only (e.g. a generated secret that
   * is stored hashed and shown once).
   */
  respond(field: string, value: unknown): void;
}

/**
 * Validation logic of a model (Nautobot's `clean()`). Report problems with `ctx.error`. (Declared
 * as a method type so a rule of a typed model is still a rule of the model registry's list.)
 */
export type ModelRule<E = object> = {
  bivarianceHack(ctx: RuleContext<E>): void | Promise<void>;
}['bivarianceHack'];

export interface BatchContext<E = object> {
  model: ModelMeta;
  records: RecordOf<E>[];
  /** Stored states before an update, aligned with `records`. */
  before?: RecordOf<E>[];
  tx: TransactionContext;
}

/**
 * A rule over every object of one write at once (set-based: one query for the batch instead of
 * one per object), run after the per-object rules for the objects they left without errors.
 * Report each object's problems with its own context's `error`.
 */
export type ModelBatchRule<E = object> = {
  bivarianceHack(ctxs: readonly RuleContext<E>[]): void | Promise<void>;
}['bivarianceHack'];

export interface ModelHooks<E = object> {
  /** Normalise or derive values before validation (per object). */
  prepare?(ctx: RuleContext<E>): void | Promise<void>;
  /**
   * Normalise or derive values of every object of one write at once, before any is validated
   * and before `prepare` (set-based work, e.g. one parent lookup for a bulk create). Objects the
   * write already refused (unparsable input, unknown references) are left out.
   */
  prepareMany?(ctxs: readonly RuleContext<E>[]): void | Promise<void>;
  /** After the rows are inserted, inside the transaction (e.g. instantiate components). */
  afterCreate?(ctx: BatchContext<E>): Promise<void>;
  afterUpdate?(ctx: BatchContext<E>): Promise<void>;
  /** Before the rows are deleted (records are the stored states). */
  beforeDelete?(ctx: BatchContext<E>): Promise<void>;
}

/** A reference to an object of any model (a generic foreign key's value). */
export interface ObjectRef {
  object_type: string;
  id: string;
}

export interface ComputedContext extends SqlRunner {
  manager: EntityManager;
  models: import('./services').ModelLookup;
  /**
   * The reader's view scope of a model (a condition over alias `t`; null: every row; false:
   * none), for values that show other objects (relationship peers). Absent: an unrestricted read.
   */
  visible?(label: string): Promise<Sql | null | false>;
}

/**
 * A read-only value computed for a page of objects at once (one query per page, whatever its
 * size): a prefix's utilization, an interface's cable peer. REST, GraphQL and the UI show it
 * like a field.
 */
export interface ComputedField<E = object> {
  name: string;
  label?: string;
  help_text?: string;
  /**
   * `ref`/`refs`: ids of `target` objects (shown as references or nested objects);
   * `generic_ref`/`generic_refs`: ObjectRef values of any model; others: plain JSON values.
   */
  type:
    'string' | 'integer' | 'number' | 'boolean' | 'json' | 'ref' | 'refs' | 'generic_ref' | 'generic_refs';
  /** Model label of `ref`/`refs` values. */
  target?: string;
  /** Compute only for single-object responses (expensive values). */
  detail_only?: boolean;
  /** Values for the given objects (stored records), keyed by object id; missing ids mean null. */
  load(records: RecordOf<E>[], ctx: ComputedContext): Promise<Map<string, unknown>>;
}

export interface ModelDefinition<E = object> {
  entity: Type<E>;
  /** `dcim` for core domains; a plugin's models default to the plugin name. */
  app_label?: string;
  /** Lower-case model name: `device`. */
  model: string;
  verbose_name?: string;
  verbose_name_plural?: string;
  /** REST resource segment (`devices`, `ip-addresses`); false = no REST endpoints. */
  api_path?: string | false;
  /** List/detail only (e.g. the change log). */
  read_only?: boolean;
  features?: readonly ModelFeature[];
  display?: DisplaySpec<E>;
  /** Fields identifying an object for humans and for foreign-key input (`{"name": ...}` or a string). */
  natural_key?: readonly string[];
  /** Fields searched by `q` (in addition to fields declared with `search: true`). */
  search_fields?: readonly string[];
  /** Listed by the web UI's global search (default true; the change log has its own search). */
  global_search?: boolean;
  /** Default ordering (`-` prefix for descending). */
  ordering?: readonly string[];
  filters?: Record<string, FilterDefinition>;
  rules?: readonly ModelRule<E>[];
  /** Rules over all objects of a write at once (see ModelBatchRule), after `rules`. */
  batch_rules?: readonly ModelBatchRule<E>[];
  hooks?: ModelHooks<E>;
  /** Field (a foreign key) whose target is the change log's "related object" (`device` for interfaces). */
  related_object?: string;
  /** A self-referencing foreign key (`parent`) making the model a tree. */
  tree_parent?: string;
  /**
   * A foreign key to `users.user` naming each object's owner (API tokens): users other than
   * superusers see, add, change and delete only objects they own, whatever their permissions.
   */
  owner_field?: string;
  /** Human description (OpenAPI, UI). */
  description?: string;
  /** Fields shown by default in list tables (UI). */
  list_fields?: readonly string[];
  /**
   * Fields without a column of their own, handled by the model's hooks (e.g. a token's
   * write-only `key`, stored only as a hash). Build them with `virtualField()`.
   */
  extra_fields?: readonly import('./fields').FieldMeta[];
  /** Read-only values computed per page (see ComputedField). */
  computed?: readonly ComputedField<E>[];
  /**
   * GraphQL root query names, when the defaults (verbose name and plural, snake_cased) do not
   * work, e.g. a plural equal to the singular.
   */
  graphql_names?: { single?: string; list?: string };
  /**
   * 400 answers for database constraints the entity does not declare (hand-written expression
   * indexes), keyed by constraint name: used when a write races past the model's rules.
   */
  constraint_messages?: Readonly<Record<string, { field: string; message: string }>>;
}

export interface ReverseRelation {
  /** The model holding the foreign key / many-to-many. */
  model: ModelMeta;
  field: RelationMeta;
  /** Accessor name on the target (`interfaces`). */
  name: string;
}

/** A registered model, as the host finalised it. */
export interface ModelMeta {
  readonly label: string;
  readonly app_label: string;
  readonly model: string;
  readonly verbose_name: string;
  readonly verbose_name_plural: string;
  readonly entity: Type<unknown>;
  readonly table: string;
  /** Plugin that registered the model. */
  readonly plugin: string;
  readonly fields: readonly FieldMeta[];
  readonly features: ReadonlySet<ModelFeature>;
  /** REST collection path (`/api/dcim/devices/`), or null. */
  readonly api_path: string | null;
  readonly read_only: boolean;
  readonly natural_key: readonly string[];
  readonly search_fields: readonly string[];
  readonly ordering: readonly string[];
  readonly filters: Readonly<Record<string, FilterDefinition>>;
  readonly definition: ModelDefinition;
  readonly reverse_relations: readonly ReverseRelation[];
  /** Values kept outside the declared fields (features' and plugins' field sources). */
  readonly sources: readonly FieldSource[];
  /** Hooks of the model's features and of plugins extending it (after the model's own). */
  readonly extension_hooks: readonly ModelHooks[];
  field(name: string): FieldMeta | undefined;
  source(name: string): FieldSource | undefined;
  /** A filter by parameter name: declared, extension, feature or run-time (`cf_<key>`) filters. */
  filter(name: string): FilterDefinition | undefined;
  /** Run-time filters to document (OpenAPI, GraphQL arguments, UI forms). */
  describeDynamicFilters(): DescribedFilter[];
  has(feature: ModelFeature): boolean;
}

export interface UpdateOptions {
  partial?: boolean;
  allow_read_only?: boolean;
}

/**
 * Writes through the one write path (validation, rules, custom validators, change log) and the
 * write path's own reads, which see every object (a rule must see what the user cannot). Typed
 * from a model ref (`objects.create(widgetModel, [...])`), plain records for a label.
 */
/** How `create` answers. */
export interface CreateOptions {
  /**
   * `'ids'`: only each new object's id (`{id}`, in input order), without reading the stored
   * records back; for bulk writes whose caller needs no more (a device's hundreds of components).
   */
  returning: 'ids';
}

export interface ObjectsApi {
  create<E>(model: ModelTarget<E>, data: readonly InputOf<E>[]): Promise<RecordOf<E>[]>;
  create<E>(
    model: ModelTarget<E>,
    data: readonly InputOf<E>[],
    opts: CreateOptions,
  ): Promise<{ id: string }[]>;
  /**
   * Each change carries `id`; with `partial: false` omitted fields are reset as on PUT.
   * `allow_read_only` lets a hook set fields clients may not (a cable sets its ends' `cable`).
   */
  update<E>(
    model: ModelTarget<E>,
    changes: readonly ({ id: string } & InputOf<E>)[],
    opts?: UpdateOptions,
  ): Promise<RecordOf<E>[]>;
  delete(model: ModelTarget<unknown>, ids: readonly string[]): Promise<void>;
  get<E>(model: ModelTarget<E>, id: string): Promise<RecordOf<E> | null>;
  /** Objects matching list-endpoint filter parameters. */
  find<E>(model: ModelTarget<E>, filters?: FilterParams, opts?: { limit?: number }): Promise<RecordOf<E>[]>;
  count(model: ModelTarget<unknown>, filters?: FilterParams): Promise<number>;
}

/** A model definition that is also its typed handle (what `defineModel` returns). */
export type DefinedModel<E> = ModelDefinition<E> & ModelRef<E>;

/**
 * Declare a model: its entity plus metadata. The result is also a typed ref for reads, writes
 * and foreign keys (`objects.create(widgetModel, [{name: 'w1'}])` returns typed records). Its label
 * is `<app_label>.<model>`; a plugin's models take the plugin's name as app label when loaded.
 */
export function defineModel<E>(definition: ModelDefinition<E>): DefinedModel<E> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.model)) {
    throw new Error(`defineModel: model name "${definition.model}" must be lower-case letters, digits and _`);
  }
  if (getFieldMetas(definition.entity).length === 0) {
    throw new Error(`defineModel(${definition.model}): the entity declares no Plinth fields`);
  }
  const fixed = definition.app_label ? `${definition.app_label}.${definition.model}` : null;
  return Object.freeze(makeLazyRef<ModelDefinition<E>, E>({ ...definition }, fixed, definition.model));
}

/** A field name (typed models still accept any: features add fields such as `tags`). */
export type FieldName<E> = Extract<keyof RecordOf<E>, string>;
