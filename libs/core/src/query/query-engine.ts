import {
  ErrorCollector,
  sql,
  type ComputedContext,
  type ModelLookup,
  type ModelMeta,
  type Rec,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { ModelRegistry } from '../models/model-registry';
import { FilterEngine, type QueryParams } from './filter-engine';
import { CHANGE_VERSION } from '../changelog/change-version';
import { decodeCursor, encodeCursor, invalidCursor, keyColumn, keysetAfter, type SortKey } from './keyset';
import { nextAlias, type Executor } from './natural-keys';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

export type Row = Record<string, unknown>;

export interface ListQuery {
  params: QueryParams;
  /** Field names, `-` prefix for descending; default: the model's ordering. */
  sort?: string[];
  limit: number;
  offset: number;
  /** Authorization restriction (from the authorization service); null = unrestricted. */
  scope?: Sql | null;
  /** Skip the COUNT query (GraphQL, internal reads). */
  withoutCount?: boolean;
  /**
   * For a model with a `tree_parent` and no `sort`: depth-first tree order (each parent before
   * its children, siblings by name), rows carrying their depth as `__depth` (0 for roots).
   */
  tree?: boolean;
  /**
   * Keyset paging: `''` for the first page (from `offset`), else a cursor a previous page
   * returned (`offset` is ignored). Rows come after the cursor's row in the list's order; no
   * count is made.
   */
  cursor?: string;
  /** Read the data version (CHANGE_VERSION) with the page and with the count. */
  version?: boolean;
}

export interface ListResult {
  count: number;
  rows: Row[];
  /** Keyset paging: the cursor of the next page, null on the last page. */
  next_cursor?: string | null;
  /**
   * The data version the page and the count were read at (`version`), null when a write came
   * between them (or the page is empty): then nothing here can vouch for the pair.
   */
  version?: string | null;
}

export function executor(manager: EntityManager): Executor {
  return async (q: Sql) => {
    const { text, values } = q.toQuery();
    return (await manager.query(text, values)) as Row[];
  };
}

/** The SDK's SqlRunner (`ctx.query`, `ctx.one`) on a manager. */
export function sqlRunner(manager: EntityManager): SqlRunner {
  const run = executor(manager);
  return {
    query: async <R extends Rec = Rec>(q: Sql) => (await run(q)) as R[],
    one: async <R extends Rec = Rec>(q: Sql) => (await run(q))[0] as R | undefined,
  };
}

/** What computed fields and feature providers are given. */
export function computedContext(manager: EntityManager, models: ModelLookup): ComputedContext {
  return { manager, models, ...sqlRunner(manager) };
}

/** Reads rows of any model: filters, permissions scope, ordering and pagination, in SQL. */
export class QueryEngine {
  readonly filters: FilterEngine;

  constructor(private readonly models: ModelRegistry) {
    this.filters = new FilterEngine(models);
  }

  /** `SELECT alias.*, <display>` for the model. */
  selectList(model: ModelMeta, alias: Sql): Sql {
    const display = model.definition.display;
    if (display && typeof display === 'object')
      return sql`${alias}.*, (${display.sql(alias)}) AS "__display"`;
    return sql`${alias}.*`;
  }

  /** ORDER BY for a sort spec; unknown fields are 400 errors naming `sort`. */
  orderBy(model: ModelMeta, alias: Sql, sort: readonly string[] | undefined): Sql {
    return sql.join(
      this.sortKeys(model, alias, sort).map(
        (k) =>
          sql`${k.expr} ${sql.raw(k.desc ? 'DESC' : 'ASC')}${k.nullsExplicit ? sql.raw(k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : sql.empty}`,
      ),
    );
  }

  /**
   * The keys of a sort spec (default: the model's ordering), the primary key last: what
   * ORDER BY and keyset paging are both built from, so a cursor compares exactly as rows sort.
   * `manager` resolves whether internal columns (a naturalised `_name`) can be NULL.
   */
  sortKeys(
    model: ModelMeta,
    alias: Sql,
    sort: readonly string[] | undefined,
    manager?: EntityManager,
  ): (SortKey & { nullsExplicit: boolean })[] {
    const spec = sort && sort.length ? sort : model.ordering;
    const errors = new ErrorCollector();
    const keys: (SortKey & { nullsExplicit: boolean })[] = [];
    for (const raw of spec) {
      const desc = raw.startsWith('-');
      const name = desc ? raw.slice(1) : raw;
      const f = model.field(name);
      if (f?.kind === 'fk') {
        const target = this.models.targetOf(f);
        const key = target.ordering[0]?.replace(/^-/, '');
        const keyField = key ? target.field(key) : undefined;
        if (keyField?.column) {
          const a = nextAlias();
          keys.push({
            expr: sql`(SELECT ${a}.${sql.ident(keyField.column)} FROM ${sql.ident(target.table)} ${a} WHERE ${a}."id" = ${alias}.${sql.ident(f.column)})`,
            desc,
            nullable: true,
            nullsFirst: false,
            nullsExplicit: true,
          });
        } else {
          keys.push(this.columnKey(alias, f.column, desc, f.nullable));
        }
      } else if (f?.column && f.kind !== 'json') {
        keys.push({
          expr: sql`${alias}.${sql.ident(f.column)}`,
          desc,
          nullable: f.nullable,
          nullsFirst: !desc,
          nullsExplicit: f.nullable,
        });
      } else if (!f && this.isColumn(model, name) && !(sort && sort.length)) {
        // Model orderings may name internal columns (a naturalised `_name`); clients may not.
        const column = manager?.connection.getMetadata(model.entity).findColumnWithDatabaseName(name);
        keys.push(this.columnKey(alias, name, desc, column?.isNullable ?? true));
      } else {
        errors.add('sort', `"${name}" is not a sortable field.`);
      }
    }
    errors.throwIfAny();
    keys.push({
      expr: sql`${alias}."id"`,
      desc: false,
      nullable: false,
      nullsFirst: false,
      nullsExplicit: false,
    });
    return keys;
  }

  /** A column ordered without a NULLS clause: PostgreSQL puts NULLs last ascending, first descending. */
  private columnKey(alias: Sql, column: string, desc: boolean, nullable: boolean) {
    return {
      expr: sql`${alias}.${sql.ident(column)}`,
      desc,
      nullable,
      nullsFirst: desc,
      nullsExplicit: false,
    };
  }

  private isColumn(model: ModelMeta, name: string): boolean {
    return /^[a-z_][a-z0-9_]*$/.test(name);
  }

  async where(
    model: ModelMeta,
    alias: Sql,
    params: QueryParams,
    scope: Sql | null | undefined,
    db: Executor,
  ): Promise<Sql> {
    const cond = await this.filters.compile(model, params, alias, db);
    return scope ? sql.and([cond, scope]) : cond;
  }

  async list(model: ModelMeta, q: ListQuery, manager: EntityManager): Promise<ListResult> {
    const db = executor(manager);
    const alias = sql.ident('t');
    const table = sql.ident(model.table);
    const where = await this.where(model, alias, q.params, q.scope, db);
    if (q.cursor !== undefined) return this.keysetPage(model, q, q.cursor, where, manager);
    const tree = q.tree && !q.sort?.length ? this.treePath(model, alias) : null;
    const order = tree ? sql`"tree"."path", ${alias}."id"` : this.orderBy(model, alias, q.sort);
    // Each statement reads the version in its own snapshot (an InitPlan, computed once).
    const version = q.version ? sql`, ${CHANGE_VERSION} AS "__version"` : sql.empty;
    const page = db(
      tree
        ? sql`SELECT ${this.selectList(model, alias)}, cardinality("tree"."path") / 2 - 1 AS "__depth" FROM ${table} ${alias} CROSS JOIN LATERAL ${tree} AS "tree"("path") WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`
        : sql`SELECT ${this.selectList(model, alias)}${version} FROM ${table} ${alias} WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`,
    );
    if (q.withoutCount) {
      const rows = await page;
      const result: ListResult = { count: rows.length, rows };
      if (q.version) result.version = rows.length ? String(rows[0].__version) : null;
      return result;
    }
    // The page and the exact count at once: on PostgreSQL each takes its own pooled connection
    // (a transaction's or PGlite's one connection runs them in turn), so a page costs the
    // slower of the two, not their sum. PostgreSQL counts through its narrowest index when the
    // visibility map allows (measured: 260,750 interfaces in ~15-25 ms).
    const [rows, c] = await Promise.all([
      page,
      db(sql`SELECT count(*) AS n${version} FROM ${table} ${alias} WHERE ${where}`),
    ]);
    const result: ListResult = { count: Number(c[0].n), rows };
    if (q.version) {
      const read = rows[0]?.__version;
      result.version = read !== undefined && read === c[0].__version ? String(read) : null;
    }
    return result;
  }

  /**
   * The exact count of a list and the data version it was read at, in one statement: what a
   * conditional request needs to tell that its copy of a page is still current.
   */
  async countVersion(
    model: ModelMeta,
    params: QueryParams,
    scope: Sql | null,
    manager: EntityManager,
  ): Promise<{ count: number; version: string }> {
    const db = executor(manager);
    const alias = sql.ident('t');
    const where = await this.where(model, alias, params, scope, db);
    const [row] = await db(
      sql`SELECT count(*) AS n, ${CHANGE_VERSION} AS "__version" FROM ${sql.ident(model.table)} ${alias} WHERE ${where}`,
    );
    return { count: Number(row.n), version: String(row.__version) };
  }

  /**
   * A keyset page: the rows after the cursor's in the list's order (sort keys and the primary
   * key), one more than asked to know whether a next page exists. An index on the ordering
   * makes page 5,000 cost what page 1 does.
   */
  private async keysetPage(
    model: ModelMeta,
    q: ListQuery,
    cursor: string,
    where: Sql,
    manager: EntityManager,
  ): Promise<ListResult> {
    const alias = sql.ident('t');
    const keys = this.sortKeys(model, alias, q.sort, manager);
    const spec = (q.sort ?? []).join(',');
    const conds = [where];
    if (cursor !== '') conds.push(keysetAfter(keys, decodeCursor(cursor, model.label, spec, keys.length)));
    // The first page may start at an offset (a CSV export's `offset`); later ones never need to.
    const skip = cursor === '' && q.offset > 0 ? sql` OFFSET ${q.offset}` : sql.empty;
    const selectKeys = sql.join(keys.map((k, i) => sql`(${k.expr})::text AS ${sql.ident(keyColumn(i))}`));
    const query = sql`SELECT ${this.selectList(model, alias)}, ${selectKeys} FROM ${sql.ident(model.table)} ${alias} WHERE ${sql.and(conds)} ORDER BY ${this.orderBy(model, alias, q.sort)} LIMIT ${q.limit + 1}${skip}`;
    const rows = await executor(manager)(query).catch((e: unknown) => {
      // Values PostgreSQL cannot read as their keys' types (22xxx: data exceptions) were not
      // written by this API: a forged cursor.
      const code = e instanceof QueryFailedError ? (e.driverError as { code?: string }).code : undefined;
      if (cursor !== '' && code?.startsWith('22')) throw invalidCursor('not a cursor this API returned');
      throw e;
    });
    const more = rows.length > q.limit;
    if (more) rows.length = q.limit;
    const next = more ? encodeCursor(model.label, spec, rows[rows.length - 1], keys.length) : null;
    for (const row of rows) for (let i = 0; i < keys.length; i++) delete row[keyColumn(i)];
    return { count: rows.length, rows, next_cursor: next };
  }

  /**
   * The names from a tree model's root down to each row, each followed by its id, as an array
   * (`{Europe,<id>,AMS,<id>}`): ordering by it lists parents before their children and siblings
   * by name; the ids keep the subtrees of same-named nodes apart (two devices' `Chassis` items).
   */
  private treePath(model: ModelMeta, alias: Sql): Sql | null {
    const parent = model.definition.tree_parent ? model.field(model.definition.tree_parent) : undefined;
    const key = model.field('name') ?? model.field(model.ordering[0]?.replace(/^-/, '') ?? '');
    if (!parent?.column || !key?.column) return null;
    const table = sql.ident(model.table);
    const [p, k] = [sql.ident(parent.column), sql.ident(key.column)];
    return sql`(WITH RECURSIVE anc(id, parent_id, k, depth) AS (
        SELECT a."id", a.${p}, a.${k}::text, 0 FROM ${table} a WHERE a."id" = ${alias}."id"
        UNION ALL SELECT n."id", n.${p}, n.${k}::text, anc.depth + 1 FROM ${table} n JOIN anc ON n."id" = anc.parent_id AND anc.depth < 100
      ) SELECT array_agg(v.x ORDER BY anc.depth DESC, v.o) FROM anc CROSS JOIN LATERAL (VALUES (anc.k, 1), (anc.id::text, 2)) v(x, o))`;
  }

  async get(
    model: ModelMeta,
    id: string,
    scope: Sql | null | undefined,
    manager: EntityManager,
  ): Promise<Row | null> {
    const alias = sql.ident('t');
    const cond = scope
      ? sql.and([sql`${alias}."id" = ${id}::uuid`, scope])
      : sql`${alias}."id" = ${id}::uuid`;
    const rows = await executor(manager)(
      sql`SELECT ${this.selectList(model, alias)} FROM ${sql.ident(model.table)} ${alias} WHERE ${cond}`,
    );
    return rows[0] ?? null;
  }

  /** Rows by id (any order), for nested serialisation and reloads after writes. */
  async byIds(
    model: ModelMeta,
    ids: readonly string[],
    manager: EntityManager,
    scope?: Sql | null,
  ): Promise<Row[]> {
    if (ids.length === 0) return [];
    const alias = sql.ident('t');
    const cond = sql`${alias}."id" = ANY(${[...new Set(ids)]}::uuid[])`;
    return executor(manager)(
      sql`SELECT ${this.selectList(model, alias)} FROM ${sql.ident(model.table)} ${alias} WHERE ${scope ? sql.and([cond, scope]) : cond}`,
    );
  }
}
