import { Inject } from '@nestjs/common';
import type { AuthUser, ComputedContext, ComputedField, ModelFeature, ModelMeta, Rec } from './model';
import { createRegistry } from './registry';

/**
 * GraphQL contributions. Plinth generates a type, a single-object query and a list query for
 * every model with the `graphql` feature; plugins add to that schema with SDL and plain Nest
 * resolvers (schema-first, as `@nestjs/graphql` calls it):
 *
 * ```ts
 * contribute(GraphQLTypeDefs, `
 *   type WidgetSummary { total: Int! }
 *   extend type Query { widget_summary: WidgetSummary! }
 *   extend type UserType { widget_kinds: [String!]! }
 * `)
 * ```
 *
 * and, among the plugin module's providers, `@Resolver('UserType')` classes with
 * `@ResolveField('widget_kinds')` / `@Query('widget_summary')` methods. Start-up fails with one
 * line naming the plugin when a type or field clashes with the generated schema or another plugin.
 */
export const GraphQLTypeDefs = createRegistry<string>('graphql-typedefs');

/**
 * Fields a feature adds to the GraphQL type of every model that has it, computed per batch of
 * objects like a model's own computed fields (one `load` per batch, references resolved to
 * objects). This is how values that live outside a model's columns reach GraphQL: custom fields
 * (`cf_<key>`), relationships (`rel_<key>`), config contexts. `fields` runs when the schema is
 * built, once per model with the feature.
 */
export interface GraphQLFieldProvider {
  feature: ModelFeature;
  fields(
    model: ModelMeta,
    ctx: ComputedContext,
  ): readonly ComputedField[] | Promise<readonly ComputedField[]>;
  /**
   * For fields that depend on data (custom fields): a value that changes whenever `fields`
   * would answer differently. The GraphQL surface asks before each request and rebuilds its
   * schema when it changed, so new fields appear without a restart on every server replica.
   */
  version?(ctx: ComputedContext): Promise<string | number>;
}
export const GraphQLFields = createRegistry<GraphQLFieldProvider>('graphql-fields');

/**
 * A model object as the generated GraphQL types carry it: what `@Parent()` receives in a
 * resolver on a generated type, and what a plugin's resolver returns for a generated type
 * (get them from `GraphQLObjects`).
 */
export interface GraphQLModelObject {
  readonly id: string;
  /** Model label: `dcim.device`. */
  readonly object_type: string;
  /** Stored field values (foreign keys as ids; many-to-many fields are not included). */
  readonly record: Rec;
}

/** Batches loads made while one GraphQL request resolves (a DataLoader). */
export interface GraphQLLoader<K, V> {
  load(key: K): Promise<V>;
}

export interface GraphQLListOptions {
  /** Default and maximum: 1000. */
  limit?: number;
  offset?: number;
  /** Field names, `-` for descending (as the REST `sort` parameter). */
  sort?: readonly string[];
}

/**
 * Reads for plugin resolvers, as the current request's user may see them (the same
 * authorization service and filter engine as REST and the generated GraphQL fields).
 */
export interface GraphQLObjects {
  /** Objects matching list-endpoint filters (`{kind: 'gizmo', name__ic: 'a'}`, lists OR-ed). */
  list(
    label: string,
    filters?: Record<string, string | readonly string[]>,
    opts?: GraphQLListOptions,
  ): Promise<GraphQLModelObject[]>;
  get(label: string, id: string): Promise<GraphQLModelObject | null>;
  /**
   * A loader that lives for the current request: every `load(key)` made while one level of the
   * query resolves reaches `batch` together, so a field costs one query per level whatever the
   * number of parents. `batch` returns one value (or Error) per key, in key order.
   */
  loader<K, V>(
    name: string,
    batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  ): GraphQLLoader<K, V>;
  /** The generated GraphQL type name of a model (`DeviceType`). */
  typeName(label: string): string;
}

export const GRAPHQL_OBJECTS = Symbol.for('plinth:graphql-objects');
export const InjectGraphQLObjects = (): ParameterDecorator & PropertyDecorator => Inject(GRAPHQL_OBJECTS);

/** The outcome of a GraphQL query run by `GraphQLExecutor`. */
export interface GraphQLExecutionResult {
  /** The query's data (null when it did not run: syntax, validation or limit errors). */
  data: Record<string, unknown> | null;
  /** Error messages (parse, validation, limits, resolver errors); empty when it succeeded. */
  errors: string[];
}

/**
 * Runs a GraphQL query (`@Inject(GRAPHQL_EXECUTOR)`), for code that keeps user-authored queries
 * (a saved query feeding a template): the generated schema of every model (types, filters,
 * computed and feature fields such as `cf_<key>` and `config_context`), with the same
 * read-only rule, limits and permission scopes as `POST /api/graphql/`, as the given user.
 * Available in the server and in workers; plugins' SDL additions (GraphQLTypeDefs) are served by
 * the HTTP API only and are not part of this schema.
 */
export interface GraphQLExecutor {
  execute(
    query: string,
    opts: { user: AuthUser | null; variables?: Record<string, unknown> },
  ): Promise<GraphQLExecutionResult>;
  /**
   * What would stop the query from running, without running it: syntax, fields unknown to the
   * schema, the read-only rule, more or fewer than one operation (for rules of models that save
   * queries: pass the rule's `tx`, so that building the schema reads inside the write's
   * transaction, which PGlite's single connection requires).
   */
  check(query: string, opts?: { tx?: import('./model').TransactionContext }): Promise<string[]>;
}
export const GRAPHQL_EXECUTOR = Symbol.for('plinth:graphql-executor');
export const InjectGraphQLExecutor = (): ParameterDecorator & PropertyDecorator => Inject(GRAPHQL_EXECUTOR);
