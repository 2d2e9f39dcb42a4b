import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import {
  PermissionDeniedError,
  RequestContext,
  ValidationError,
  sql,
  type ComputedField,
  type GraphQLModelObject,
  type ModelMeta,
  type RequestState,
  type Sql,
} from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import { isUuid, rowToRecord, type StoredRecord } from '../models/values';
import type { QueryParams } from '../query/filter-engine';
import { MAX_PAGE_SIZE, computedContext, executor, type QueryEngine, type Row } from '../query/query-engine';
import { READ_ALIAS, type Reads } from './read-service';

/** The table alias every GraphQL read gives the model it returns (permission scopes are compiled for it). */
export const TARGET = READ_ALIAS;
/** The alias of a join table in list relations. */
export const JOIN = sql.ident('__j');

/**
 * The columns a read selects, sorted and with `id` (what the fields of a query's selection
 * read), or null for whole rows (and the model's display): the driver then parses only what
 * the answer shows.
 */
export type ColumnSet = readonly string[] | null;

/** A model object as the generated types carry it: its model and its database row. */
export class ModelNode implements GraphQLModelObject {
  constructor(
    readonly model: ModelMeta,
    readonly row: Row,
    /** The columns `row` holds when it is not the whole row (read for one selection). */
    readonly columns: ReadonlySet<string> | null = null,
  ) {}

  /** Whether the row holds these columns. */
  covers(columns: ColumnSet): boolean {
    if (this.columns === null) return true;
    if (columns === null) return false;
    for (const c of columns) if (!this.columns.has(c)) return false;
    return true;
  }

  get id(): string {
    return String(this.row.id);
  }

  get object_type(): string {
    return this.model.label;
  }

  get record(): StoredRecord {
    return rowToRecord(this.model, this.row);
  }
}

/** One page of a list: filter parameters as the REST list endpoint takes them. */
export interface PageQuery {
  params: QueryParams;
  limit: number;
  offset: number;
  sort?: readonly string[];
}

/**
 * A list-valued relation (many-to-many, or the reverse of a foreign key or many-to-many), as
 * SQL: `from` joins the listed model's table as `t`, `parent` is the owning object's id.
 */
export interface ListRelation {
  /** Unique per relation (`dcim.device.interfaces`): names the relation's loaders. */
  key: string;
  target: ModelMeta;
  from: Sql;
  parent: Sql;
  /** Extra join condition (a generic join table's discriminator), or TRUE. */
  condition: Sql;
}

/** `limit`/`offset` as GraphQL takes them: limit 0 (or none) = the maximum page, like REST's `limit=0`. */
export function pageWindow(
  limit: number | null | undefined,
  offset: number | null | undefined,
): { limit: number; offset: number } {
  const errors: Record<string, string[]> = {};
  if (limit !== null && limit !== undefined && (limit < 0 || limit > MAX_PAGE_SIZE))
    errors.limit = [`Ensure this value is between 0 and ${MAX_PAGE_SIZE}.`];
  if (offset !== null && offset !== undefined && offset < 0)
    errors.offset = ['Ensure this value is greater than or equal to 0.'];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { limit: limit || MAX_PAGE_SIZE, offset: offset ?? 0 };
}

interface ViewScope {
  /** SQL condition over `t` (null: every row); undefined when the user may not view the model at all. */
  condition?: Sql | null;
  denial?: PermissionDeniedError;
}

/** What one request has loaded and decided so far. */
class RequestReads {
  readonly loaders = new Map<string, DataLoader<unknown, unknown, unknown>>();
  readonly scopes = new Map<string, Promise<ViewScope>>();
  /** Children loaders by the query's field node: arguments are the same for every parent. */
  readonly byFieldNode = new WeakMap<object, DataLoader<string, ModelNode[], unknown>>();
  /** Objects by model label and id as loaded so far (null: absent or not viewable). */
  readonly known = new Map<string, Map<string, ModelNode | null>>();
  /** Children loaded ahead for a field node of the query, by parent id. */
  readonly ready = new WeakMap<object, Map<string, ModelNode[]>>();
  /**
   * Children loaded so far by list query (a `children` loader's name): per column set read,
   * the children by parent id.
   */
  readonly childrenByQuery = new Map<string, ChildrenRead[]>();
  /** Objects read with some columns only (list children), by model label and id. */
  readonly partial = new Map<string, Map<string, ModelNode>>();
  /** Targets of a foreign-key field node found among `partial` objects, by id. */
  readonly readyTargets = new WeakMap<object, Map<string, ModelNode>>();
  /** Compiled filter conditions of list queries (null: nothing may be viewed). */
  readonly conditions = new Map<string, Promise<Sql | null>>();
  /** The last read of each list query: reads of one query run one after another. */
  readonly childrenReads = new Map<string, Promise<unknown>>();
}

/** The children of one list query read with one column set, by parent id. */
interface ChildrenRead {
  columns: ColumnSet;
  key: string;
  loaded: Map<string, ModelNode[]>;
}

/** Whether children read with `have` hold the columns `want`. */
function coversColumns(have: ColumnSet, want: ColumnSet): boolean {
  if (have === null) return true;
  if (want === null) return false;
  return want.every((c) => have.includes(c));
}

/**
 * Reads for GraphQL: root lists and objects, and batched loaders for everything nested, so that
 * the number of SQL statements depends on the shape of a query, not on how many objects it
 * returns. Every read is restricted by the user's `view` permission scope (the one
 * authorization service), filtered by the one filter engine, and ordered like REST lists.
 * Loaders live for one request (keyed by the request context).
 */
export class GraphQLReader {
  private readonly perRequest = new WeakMap<RequestState, RequestReads>();

  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly readPath: Reads,
  ) {}

  private reads(): { state: RequestState; reads: RequestReads } {
    const state = RequestContext.current();
    if (!state) throw new Error('GraphQL reads are only available while a request is served');
    let reads = this.perRequest.get(state);
    if (!reads) {
      reads = new RequestReads();
      this.perRequest.set(state, reads);
    }
    return { state, reads };
  }

  /** The user's view scope of a model, decided once per request. */
  viewScope(label: string): Promise<ViewScope> {
    const { state, reads } = this.reads();
    let scope = reads.scopes.get(label);
    if (!scope) {
      scope = this.readPath.scope({ user: state.user }, this.models.require(label)).then(
        (condition) => ({ condition }),
        (e: unknown) => {
          if (e instanceof PermissionDeniedError) return { denial: e };
          throw e;
        },
      );
      reads.scopes.set(label, scope);
    }
    return scope;
  }

  /** A loader for the current request, created on first use. */
  loader<K, V>(
    name: string,
    batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
    cacheKey?: (key: K) => unknown,
  ): DataLoader<K, V, unknown> {
    const { reads } = this.reads();
    let loader = reads.loaders.get(name) as DataLoader<K, V, unknown> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V, unknown>((keys) => batch(keys), cacheKey ? { cacheKeyFn: cacheKey } : {});
      reads.loaders.set(name, loader as DataLoader<unknown, unknown, unknown>);
    }
    return loader;
  }

  /** A root list: the user must be allowed to view the model. */
  async list(model: ModelMeta, q: PageQuery): Promise<ModelNode[]> {
    const scope = await this.viewScope(model.label);
    if (scope.denial) throw scope.denial;
    const { rows } = await this.queries.list(
      model,
      {
        params: q.params,
        sort: q.sort ? [...q.sort] : undefined,
        limit: q.limit,
        offset: q.offset,
        scope: scope.condition,
        withoutCount: true,
      },
      this.ds.manager,
    );
    return this.nodes(model, rows);
  }

  /** A root object by id: null when it does not exist or is outside the user's scope. */
  async get(model: ModelMeta, id: string): Promise<ModelNode | null> {
    if (!isUuid(id)) throw ValidationError.field('id', `"${id}" is not a valid UUID.`);
    const scope = await this.viewScope(model.label);
    if (scope.denial) throw scope.denial;
    return this.byId(model).load(id.toLowerCase());
  }

  /** Objects by id (foreign keys, references); null for ids the user may not view. */
  byId(model: ModelMeta): DataLoader<string, ModelNode | null, unknown> {
    return this.loader<string, ModelNode | null>(`id:${model.label}`, async (ids) => {
      const known = this.knownOf(model.label);
      await this.loadById(
        model,
        ids.filter((id) => !known.has(id)),
      );
      return ids.map((id) => known.get(id) ?? null);
    });
  }

  /**
   * Reads the objects with these ids (one statement) into the request's known objects; ids that
   * are not UUIDs, do not exist or may not be viewed are known as null.
   */
  private async loadById(model: ModelMeta, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const known = this.knownOf(model.label);
    const scope = await this.viewScope(model.label);
    const wanted = ids.filter((id) => isUuid(id));
    if (!scope.denial && wanted.length) {
      const restrict = scope.condition ? sql` AND (${scope.condition})` : sql.empty;
      const rows = await executor(this.ds.manager)(
        sql`SELECT ${this.queries.selectList(model, TARGET)} FROM ${sql.ident(model.table)} ${TARGET} WHERE ${TARGET}."id" = ANY(${wanted}::uuid[])${restrict}`,
      );
      for (const row of rows) known.set(String(row.id), new ModelNode(model, row));
    }
    for (const id of ids) if (!known.has(id)) known.set(id, null);
  }

  private knownOf(label: string): Map<string, ModelNode | null> {
    const { reads } = this.reads();
    let known = reads.known.get(label);
    if (!known) reads.known.set(label, (known = new Map()));
    return known;
  }

  /**
   * An object this request has already loaded (null: absent or not viewable), or undefined when
   * it has not: resolvers return it as it is, without a loader call and a promise per object.
   */
  knownById(model: ModelMeta, id: string): ModelNode | null | undefined {
    return this.reads().reads.known.get(model.label)?.get(id);
  }

  /**
   * Loads the objects with these ids (one batch), for a whole level of a query at once; returns
   * those that exist and may be viewed. Objects this request read already with the `columns`
   * the field's selection needs (as list children) are not read again: they are kept for the
   * field node (`readyTarget`); resolvers find the others with `knownById`.
   */
  async loadLevel(
    model: ModelMeta,
    ids: readonly string[],
    columns: ColumnSet = null,
    fieldNode?: object,
  ): Promise<ModelNode[]> {
    const { reads } = this.reads();
    const known = this.knownOf(model.label);
    const partial = reads.partial.get(model.label);
    const covered = new Map<string, ModelNode>();
    const missing: string[] = [];
    for (const id of ids) {
      if (known.has(id)) continue;
      const node = partial?.get(id);
      if (node?.covers(columns)) covered.set(id, node);
      else missing.push(id);
    }
    // Through the loader: foreign keys to the same model on one level share its batch.
    if (missing.length) await this.byId(model).loadMany(missing);
    if (covered.size && fieldNode) {
      const ready = reads.readyTargets.get(fieldNode);
      if (ready) for (const [id, node] of covered) ready.set(id, node);
      else reads.readyTargets.set(fieldNode, covered);
    }
    const nodes: ModelNode[] = [];
    for (const id of ids) {
      const node = known.get(id) ?? covered.get(id);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  /** A foreign key's target `loadLevel` found for this field node among partly read objects. */
  readyTarget(fieldNode: object, id: string): ModelNode | undefined {
    return this.reads().reads.readyTargets.get(fieldNode)?.get(id);
  }

  /**
   * The objects of a list relation for each parent id, filtered, ordered and paged per parent,
   * in one query per batch of parents (parents a level load already read are not read again).
   */
  children(
    rel: ListRelation,
    q: PageQuery,
    columns: ColumnSet = null,
  ): DataLoader<string, ModelNode[], unknown> {
    const name = childrenName(rel, q);
    return this.loader<string, ModelNode[]>(`${name}:${columnsKey(columns)}`, async (parentIds) => {
      const loaded = await this.loadChildren(name, rel, q, parentIds, columns);
      return parentIds.map((id) => loaded.get(id) ?? []);
    });
  }

  /**
   * Reads the children of the parents not read yet with (at least) these columns (one
   * statement) into the request's lists. Reads of the same query wait for each other, so that
   * none reads a parent another is reading.
   */
  private loadChildren(
    name: string,
    rel: ListRelation,
    q: PageQuery,
    parentIds: readonly string[],
    columns: ColumnSet,
  ): Promise<Map<string, ModelNode[]>> {
    const { reads } = this.reads();
    const previous = reads.childrenReads.get(name);
    const read = previous
      ? previous.then(
          () => this.readChildren(name, rel, q, parentIds, columns),
          () => this.readChildren(name, rel, q, parentIds, columns),
        )
      : this.readChildren(name, rel, q, parentIds, columns);
    reads.childrenReads.set(name, read);
    return read;
  }

  /** The children of these parents (by parent id), read now where no earlier read has them. */
  private async readChildren(
    name: string,
    rel: ListRelation,
    q: PageQuery,
    parentIds: readonly string[],
    columns: ColumnSet,
  ): Promise<Map<string, ModelNode[]>> {
    const { reads } = this.reads();
    let previous = reads.childrenByQuery.get(name);
    if (!previous) reads.childrenByQuery.set(name, (previous = []));
    const found = new Map<string, ModelNode[]>();
    const missing: string[] = [];
    for (const id of parentIds) {
      const read = previous.find((r) => r.loaded.has(id) && coversColumns(r.columns, columns));
      if (read) found.set(id, read.loaded.get(id)!);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const key = columnsKey(columns);
    let own = previous.find((r) => r.key === key);
    if (!own) previous.push((own = { columns, key, loaded: new Map() }));
    const loaded = own.loaded;
    // Compiled once per request and query: foreign-key filter values are looked up once.
    let condition = reads.conditions.get(name);
    if (!condition) reads.conditions.set(name, (condition = this.childCondition(rel, q)));
    const where = await condition;
    if (where !== null) {
      const order = this.queries.orderBy(rel.target, TARGET, q.sort);
      const select =
        columns === null
          ? this.queries.selectList(rel.target, TARGET)
          : sql.join(columns.map((c) => sql`${TARGET}.${sql.ident(c)}`));
      const rows = await executor(this.ds.manager)(
        sql`SELECT * FROM (SELECT ${rel.parent} AS "__parent", ${select}, row_number() OVER (PARTITION BY ${rel.parent} ORDER BY ${order}) AS "__rn" FROM ${rel.from} WHERE ${rel.parent} = ANY(${missing}::uuid[]) AND ${rel.condition} AND ${where}) "__page" WHERE "__rn" > ${q.offset} AND "__rn" <= ${q.offset + q.limit} ORDER BY "__parent", "__rn"`,
      );
      for (const node of this.nodes(rel.target, rows, columns)) {
        const parent = String(node.row.__parent);
        const list = loaded.get(parent);
        if (list) list.push(node);
        else loaded.set(parent, [node]);
      }
    }
    for (const id of missing) {
      if (!loaded.has(id)) loaded.set(id, []);
      found.set(id, loaded.get(id)!);
    }
    return found;
  }

  /**
   * `children` for a field of the query document: its arguments (from the document and the
   * request's variables) are the same for every parent, so they are read once per request
   * rather than once per parent object.
   */
  childrenAt(
    fieldNode: object,
    rel: ListRelation,
    query: () => PageQuery,
    columns: () => ColumnSet = () => null,
  ): DataLoader<string, ModelNode[], unknown> {
    const { reads } = this.reads();
    let loader = reads.byFieldNode.get(fieldNode);
    if (!loader) {
      loader = this.children(rel, query(), columns());
      reads.byFieldNode.set(fieldNode, loader);
    }
    return loader;
  }

  /**
   * The children of every parent of a query level for one field node, loaded in one batch and
   * kept for `readyChildren`; null when the load failed (the field's resolvers then load
   * again through the same, cached, loader and report the error where it belongs).
   */
  async loadChildrenLevel(
    fieldNode: object,
    rel: ListRelation,
    query: () => PageQuery,
    parents: readonly ModelNode[],
    columns: ColumnSet = null,
  ): Promise<ModelNode[] | null> {
    const { reads } = this.reads();
    const q = query();
    let loaded: Map<string, ModelNode[]>;
    try {
      loaded = await this.loadChildren(
        childrenName(rel, q),
        rel,
        q,
        parents.map((p) => p.id),
        columns,
      );
    } catch {
      return null;
    }
    // A field node of a fragment spread in several places is loaded once per place.
    const ready = reads.ready.get(fieldNode);
    if (ready) for (const [id, nodes] of loaded) ready.set(id, nodes);
    else reads.ready.set(fieldNode, loaded);
    const all: ModelNode[] = [];
    for (const p of parents) for (const node of loaded.get(p.id) ?? []) all.push(node);
    return all;
  }

  /** The children of a parent loaded ahead by `loadChildrenLevel`, or undefined. */
  readyChildren(fieldNode: object, parentId: string): ModelNode[] | undefined {
    return this.reads().reads.ready.get(fieldNode)?.get(parentId);
  }

  private async childCondition(rel: ListRelation, q: PageQuery): Promise<Sql | null> {
    const scope = await this.viewScope(rel.target.label);
    if (scope.denial) return null;
    return this.queries.where(rel.target, TARGET, q.params, scope.condition, executor(this.ds.manager));
  }

  /** A computed field's values, loaded once per batch of objects (as REST does per page). */
  computed(model: ModelMeta, field: ComputedField): DataLoader<ModelNode, unknown, unknown> {
    return this.loader<ModelNode, unknown>(
      `computed:${model.label}.${field.name}`,
      async (nodes) => {
        const values = await field.load(
          nodes.map((n) => n.record),
          {
            ...computedContext(this.ds.manager, this.models),
            visible: async (label) => {
              const scope = await this.viewScope(label);
              return scope.denial ? false : (scope.condition ?? null);
            },
          },
        );
        return nodes.map((n) => values.get(n.id) ?? null);
      },
      (n) => n.id,
    );
  }

  /**
   * Nodes for loaded rows. Whole rows are also handed to the model's id loader, so that a
   * query leading back to an object it already has (`interfaces { device { name } }`) costs
   * nothing; rows of some columns are kept for `loadLevel` to find for selections they cover.
   */
  private nodes(model: ModelMeta, rows: Row[], columns: ColumnSet = null): ModelNode[] {
    if (columns === null) {
      const known = this.knownOf(model.label);
      return rows.map((row) => {
        const node = new ModelNode(model, row);
        if (!known.has(node.id)) known.set(node.id, node);
        return node;
      });
    }
    const { reads } = this.reads();
    let partial = reads.partial.get(model.label);
    if (!partial) reads.partial.set(model.label, (partial = new Map()));
    const held = new Set(columns);
    return rows.map((row) => {
      const node = new ModelNode(model, row, held);
      if (!partial.has(node.id)) partial.set(node.id, node);
      return node;
    });
  }
}

/** A column set as part of a name (`*`: whole rows). */
function columnsKey(columns: ColumnSet): string {
  return columns === null ? '*' : columns.join(',');
}

/** A list query's loader name: the relation and the query's filters, order and window. */
export function childrenName(rel: ListRelation, q: PageQuery): string {
  return `children:${rel.key}:${JSON.stringify([q.params, q.limit, q.offset, q.sort ?? null])}`;
}
