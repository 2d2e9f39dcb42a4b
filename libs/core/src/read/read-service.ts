import type { DataSource, EntityManager } from 'typeorm';
import {
  PermissionDeniedError,
  RequestContext,
  labelOf,
  sql,
  type ApiObject,
  type RelationMeta,
  type FilterParams,
  type ModelMeta,
  type ModelTarget,
  type PageRequest,
  type PermissionAction,
  type ReadActor,
  type ReadOptions,
  type ReadPage,
  type ReadService,
  type Rec,
  type RecordOf,
  type RenderOptions,
  type Sql,
} from '@plinth/plugin-sdk';
import type { AuthorizationService } from '../auth/authorization.service';
import type { ModelRegistry } from '../models/model-registry';
import { toQueryParams, type QueryParams } from '../query/filter-engine';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  executor,
  type QueryEngine,
  type Row,
} from '../query/query-engine';
import type { JsonBuffer } from '../serialize/json-text';
import { MAX_DEPTH, type SerializeOptions, type Serializer } from '../serialize/serializer';

/** The alias every read gives the model it returns; permission scopes are compiled for it. */
export const READ_ALIAS = sql.ident('t');

/** A list request as surfaces take it from their clients. */
export interface RowQuery {
  params: QueryParams;
  sort?: readonly string[];
  limit: number;
  offset: number;
  count?: boolean;
  /** Tree models without a sort: depth-first order, rows carrying `__depth`. */
  tree?: boolean;
  /** Keyset paging (`''`: the first page; `offset` is ignored and no count is made). */
  cursor?: string;
  /** Also return the data version the rows were read at (for validators such as ETags). */
  version?: boolean;
}

export interface SurfaceRenderOptions extends RenderOptions {
  /** `https://host` for absolute URLs (default: the current request's). */
  base_url?: string;
  manager?: EntityManager;
  /** Leave computed fields out (brief rows in UI tables). */
  computed?: boolean;
}

export { toQueryParams };

/** limit/offset as REST takes them: 0 or more than the maximum means the maximum page. */
export function pageBounds(page: PageRequest | undefined): { limit: number; offset: number } {
  const limit = page?.limit ?? DEFAULT_PAGE_SIZE;
  return {
    limit: limit <= 0 || limit > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : limit,
    offset: Math.max(0, page?.offset ?? 0),
  };
}

/**
 * The one read path. Every surface — REST, the web UI's views, home counts and search, GraphQL
 * (through the batched reader beside it), plugin endpoints, allocation endpoints — reads here:
 * the actor's permission scope, the filter engine, ordering and paging, then the serializer
 * (whose nested objects are scoped too). Only this module and the write path compile permission
 * scopes into queries.
 */
export class Reads implements ReadService {
  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly serializer: Serializer,
    private readonly authz: AuthorizationService,
  ) {}

  model(target: ModelTarget<unknown>): ModelMeta {
    return this.models.require(labelOf(target));
  }

  /**
   * The actor's scope of a model as a condition over `t` (null: every row). Throws 403 when the
   * actor may not `action` the model at all.
   */
  async scope(
    actor: ReadActor,
    model: ModelMeta,
    action: PermissionAction = 'view',
    manager?: EntityManager,
  ): Promise<Sql | null> {
    if (actor.system) return null;
    return this.authz.scope(actor.user, action, model.label, READ_ALIAS, manager);
  }

  /** The scope, or false instead of a 403 (nested objects and counts). */
  async scopeOrNone(
    actor: ReadActor,
    model: ModelMeta,
    manager?: EntityManager,
  ): Promise<Sql | null | false> {
    try {
      return await this.scope(actor, model, 'view', manager);
    } catch (e) {
      if (e instanceof PermissionDeniedError) return false;
      throw e;
    }
  }

  async can(actor: ReadActor, action: PermissionAction, target: ModelTarget<unknown>): Promise<boolean> {
    if (actor.system) return true;
    return this.authz.can(actor.user, action, labelOf(target));
  }

  /** Rows of one page (surfaces that draw tables or GraphQL nodes from rows). */
  async rows(
    actor: ReadActor,
    model: ModelMeta,
    q: RowQuery,
    manager: EntityManager = this.ds.manager,
  ): Promise<{ count: number | null; rows: Row[]; next_cursor?: string | null; version?: string | null }> {
    const scope = await this.scope(actor, model, 'view', manager);
    const { count, rows, next_cursor, version } = await this.queries.list(
      model,
      {
        params: q.params,
        sort: q.sort ? [...q.sort] : undefined,
        limit: q.limit,
        offset: q.offset,
        scope,
        withoutCount: q.count === false,
        tree: q.tree,
        cursor: q.cursor,
        // Only change-logged models' writes move the version.
        version: q.version && model.has('changelog'),
      },
      manager,
    );
    if (q.cursor !== undefined) return { count: null, rows, next_cursor };
    return { count: q.count === false ? null : count, rows, version };
  }

  /**
   * The exact count of a list within the actor's view scope and the data version it was read
   * at (null for models whose writes are not change-logged, which no version follows).
   */
  async countVersion(
    actor: ReadActor,
    model: ModelMeta,
    params: QueryParams,
    manager: EntityManager = this.ds.manager,
  ): Promise<{ count: number; version: string } | null> {
    if (!model.has('changelog')) return null;
    const scope = await this.scope(actor, model, 'view', manager);
    return this.queries.countVersion(model, params, scope, manager);
  }

  /** Rows by id within the actor's view scope (any order; others are left out). */
  async rowsById(
    actor: ReadActor,
    model: ModelMeta,
    ids: readonly string[],
    manager: EntityManager = this.ds.manager,
  ) {
    const scope = await this.scopeOrNone(actor, model, manager);
    if (scope === false) return [];
    return this.queries.byIds(model, ids, manager, scope);
  }

  /** One row, or null when missing or outside the actor's scope (403 when nothing is viewable). */
  async row(actor: ReadActor, model: ModelMeta, id: string, manager: EntityManager = this.ds.manager) {
    const scope = await this.scope(actor, model, 'view', manager);
    return this.queries.get(model, id.toLowerCase(), scope, manager);
  }

  /** Serialize rows as the REST API shows them, nested objects restricted to the actor's view. */
  async serialize(
    actor: ReadActor,
    model: ModelMeta,
    rows: Row[],
    opts: SurfaceRenderOptions = {},
  ): Promise<ApiObject[]> {
    if (opts.brief) {
      const objects = await this.serializer.serialize(model, rows, this.briefOptions(opts));
      return objects.map((o) => ({ id: o.id, object_type: o.object_type, display: o.display, url: o.url }));
    }
    return this.serializer.serialize(model, rows, this.serializeOptions(actor, opts));
  }

  /**
   * What `serialize` returns, as the JSON text of its array written to `out`, byte for byte
   * `JSON.stringify` of it: REST list pages are sent as this text, without building objects.
   */
  async serializeJson(
    actor: ReadActor,
    model: ModelMeta,
    rows: Row[],
    opts: SurfaceRenderOptions,
    out: JsonBuffer,
  ): Promise<void> {
    // Brief objects are a few keys each: they are built and encoded as they are.
    if (opts.brief) out.write(JSON.stringify(await this.serialize(actor, model, rows, opts)));
    else await this.serializer.serializeJson(model, rows, this.serializeOptions(actor, opts), out);
  }

  private briefOptions(opts: SurfaceRenderOptions): SerializeOptions {
    return {
      depth: 0,
      baseUrl: opts.base_url ?? RequestContext.current()?.base_url ?? '',
      manager: opts.manager ?? this.ds.manager,
      excludeM2m: true,
      computed: false,
    };
  }

  private serializeOptions(actor: ReadActor, opts: SurfaceRenderOptions): SerializeOptions {
    const manager = opts.manager ?? this.ds.manager;
    return {
      depth: Math.max(0, Math.min(MAX_DEPTH, opts.depth ?? 0)),
      baseUrl: opts.base_url ?? RequestContext.current()?.base_url ?? '',
      manager,
      excludeM2m: opts.exclude_m2m,
      detail: opts.detail,
      computed: opts.computed,
      include: opts.include,
      visible: (target: ModelMeta) => this.scopeOrNone(actor, target, manager),
    };
  }

  async records(model: ModelMeta, rows: Row[], manager: EntityManager = this.ds.manager): Promise<Rec[]> {
    return this.serializer.records(model, rows, manager);
  }

  list<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    filters?: FilterParams,
    page?: PageRequest,
    opts?: ReadOptions & { as?: 'api' },
  ): Promise<ReadPage<ApiObject>>;
  list<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    filters: FilterParams | undefined,
    page: PageRequest | undefined,
    opts: ReadOptions & { as: 'record' },
  ): Promise<ReadPage<RecordOf<E>>>;
  async list(
    actor: ReadActor,
    target: ModelTarget<unknown>,
    filters?: FilterParams,
    page?: PageRequest,
    opts: ReadOptions = {},
  ): Promise<ReadPage<unknown>> {
    const model = this.model(target);
    const manager = opts.manager ?? this.ds.manager;
    const { count, rows } = await this.rows(
      actor,
      model,
      { params: toQueryParams(filters), sort: page?.sort, ...pageBounds(page), count: page?.count },
      manager,
    );
    const results =
      opts.as === 'record'
        ? await this.records(model, rows, manager)
        : await this.serialize(actor, model, rows, { ...opts, manager });
    return { count, results };
  }

  get<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    id: string,
    opts?: ReadOptions & { as?: 'api' },
  ): Promise<ApiObject | null>;
  get<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    id: string,
    opts: ReadOptions & { as: 'record' },
  ): Promise<RecordOf<E> | null>;
  async get(
    actor: ReadActor,
    target: ModelTarget<unknown>,
    id: string,
    opts: ReadOptions = {},
  ): Promise<unknown> {
    const model = this.model(target);
    const manager = opts.manager ?? this.ds.manager;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    const row = await this.row(actor, model, id, manager);
    if (!row) return null;
    const [out] =
      opts.as === 'record'
        ? await this.records(model, [row], manager)
        : await this.serialize(actor, model, [row], { detail: true, ...opts, manager });
    return out;
  }

  async count(
    actor: ReadActor,
    target: ModelTarget<unknown>,
    filters?: FilterParams,
    opts: { manager?: EntityManager } = {},
  ): Promise<number> {
    const model = this.model(target);
    const manager = opts.manager ?? this.ds.manager;
    const scope = await this.scope(actor, model, 'view', manager);
    const db = executor(manager);
    const where = await this.queries.where(model, READ_ALIAS, toQueryParams(filters), scope, db);
    const rows = await db(
      sql`SELECT count(*) AS n FROM ${sql.ident(model.table)} ${READ_ALIAS} WHERE ${where}`,
    );
    return Number(rows[0].n);
  }

  async counts(actor: ReadActor, labels: readonly string[]): Promise<Map<string, number>> {
    const found = await this.countEach(
      actor,
      labels.map((label) => ({ label })),
    );
    const out = new Map<string, number>();
    labels.forEach((l, i) => {
      if (found[i] !== null) out.set(l, found[i]);
    });
    return out;
  }

  /**
   * Several counts in one query, each within the actor's view scope (null for models the actor
   * may not view): by filter parameters, or the objects whose `field` (a foreign key or
   * many-to-many) points at `id` (a detail page's related objects).
   */
  async countEach(
    actor: ReadActor,
    requests: readonly {
      label: string;
      filters?: QueryParams;
      pointingAt?: { field: RelationMeta; id: string };
    }[],
  ): Promise<(number | null)[]> {
    const parts: Sql[] = [];
    const slots: number[] = [];
    const db = executor(this.ds.manager);
    for (const [i, r] of requests.entries()) {
      const model = this.models.get(r.label);
      if (!model) continue;
      const scope = await this.scopeOrNone(actor, model);
      if (scope === false) continue;
      const conds: Sql[] = [];
      if (r.filters) conds.push(await this.queries.where(model, READ_ALIAS, r.filters, null, db));
      if (r.pointingAt) conds.push(this.pointingAt(model, r.pointingAt.field, r.pointingAt.id));
      if (scope) conds.push(scope);
      // Each count is its own subquery with the read alias, so scopes compile as everywhere else.
      parts.push(
        sql`(SELECT count(*) FROM ${sql.ident(model.table)} ${READ_ALIAS} WHERE ${sql.and(conds)}) AS ${sql.ident(`n${slots.length}`)}`,
      );
      slots.push(i);
    }
    const out: (number | null)[] = requests.map(() => null);
    if (parts.length === 0) return out;
    const [row] = await db(sql`SELECT ${sql.join(parts)}`);
    slots.forEach((i, n) => (out[i] = Number(row[`n${n}`])));
    return out;
  }

  private pointingAt(model: ModelMeta, field: RelationMeta, id: string): Sql {
    if (field.kind === 'fk') return sql`${READ_ALIAS}.${sql.ident(field.column)} = ${id}::uuid`;
    const th = field.through;
    const disc = th.discriminator ? sql` AND _p.${sql.ident(th.discriminator)} = ${model.label}` : sql.empty;
    return sql`EXISTS (SELECT 1 FROM ${sql.ident(th.table)} _p WHERE _p.${sql.ident(th.source)} = ${READ_ALIAS}."id" AND _p.${sql.ident(th.target)} = ${id}::uuid${disc})`;
  }

  /**
   * Objects the actor has just written, for the write's response: shown whatever the actor's view
   * scope (the write path checked its add/change scope), related objects nested only as far as
   * the actor may view them.
   */
  async renderWritten(
    actor: ReadActor,
    target: ModelTarget<unknown>,
    ids: readonly string[],
    opts: SurfaceRenderOptions = {},
  ): Promise<ApiObject[]> {
    const model = this.model(target);
    const manager = opts.manager ?? this.ds.manager;
    const rows = await this.queries.byIds(model, ids, manager);
    const objects = await this.serialize(actor, model, rows, { ...opts, manager });
    const byId = new Map(objects.map((o) => [String(o.id), o]));
    return ids.map((id) => byId.get(id)).filter((o): o is ApiObject => !!o);
  }

  async render(
    actor: ReadActor,
    target: ModelTarget<unknown>,
    ids: readonly string[],
    opts: SurfaceRenderOptions = {},
  ): Promise<ApiObject[]> {
    const model = this.model(target);
    if (ids.length === 0) return [];
    const manager = opts.manager ?? this.ds.manager;
    const scope = await this.scopeOrNone(actor, model, manager);
    if (scope === false) return [];
    const wanted = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id)).map((id) => id.toLowerCase());
    const rows = await this.queries.byIds(model, wanted, manager, scope);
    const objects = await this.serialize(actor, model, rows, { ...opts, manager });
    const byId = new Map(objects.map((o) => [String(o.id), o]));
    return wanted.map((id) => byId.get(id)).filter((o): o is ApiObject => !!o);
  }
}
