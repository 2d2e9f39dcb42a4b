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
import type { EntityManager } from 'typeorm';
import type { ModelRegistry } from '../models/model-registry';
import { FilterEngine, type QueryParams } from './filter-engine';
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
    const spec = sort && sort.length ? sort : model.ordering;
    const errors = new ErrorCollector();
    const parts: Sql[] = [];
    for (const raw of spec) {
      const desc = raw.startsWith('-');
      const name = desc ? raw.slice(1) : raw;
      const dir = sql.raw(desc ? 'DESC' : 'ASC');
      const f = model.field(name);
      if (f?.kind === 'fk') {
        const target = this.models.targetOf(f);
        const key = target.ordering[0]?.replace(/^-/, '');
        const keyField = key ? target.field(key) : undefined;
        if (keyField?.column) {
          const a = nextAlias();
          parts.push(
            sql`(SELECT ${a}.${sql.ident(keyField.column)} FROM ${sql.ident(target.table)} ${a} WHERE ${a}."id" = ${alias}.${sql.ident(f.column)}) ${dir} NULLS LAST`,
          );
        } else {
          parts.push(sql`${alias}.${sql.ident(f.column)} ${dir}`);
        }
      } else if (f?.column && f.kind !== 'json') {
        parts.push(
          sql`${alias}.${sql.ident(f.column)} ${dir}${f.nullable ? sql.raw(desc ? ' NULLS LAST' : ' NULLS FIRST') : sql.empty}`,
        );
      } else if (!f && this.isColumn(model, name) && !(sort && sort.length)) {
        // Model orderings may name internal columns (a naturalised `_name`); clients may not.
        parts.push(sql`${alias}.${sql.ident(name)} ${dir}`);
      } else {
        errors.add('sort', `"${name}" is not a sortable field.`);
      }
    }
    errors.throwIfAny();
    parts.push(sql`${alias}."id" ASC`);
    return sql.join(parts);
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

  async list(
    model: ModelMeta,
    q: ListQuery,
    manager: EntityManager,
  ): Promise<{ count: number; rows: Row[] }> {
    const db = executor(manager);
    const alias = sql.ident('t');
    const table = sql.ident(model.table);
    const where = await this.where(model, alias, q.params, q.scope, db);
    const tree = q.tree && !q.sort?.length ? this.treePath(model, alias) : null;
    const order = tree ? sql`"tree"."path", ${alias}."id"` : this.orderBy(model, alias, q.sort);
    const rows = await db(
      tree
        ? sql`SELECT ${this.selectList(model, alias)}, cardinality("tree"."path") / 2 - 1 AS "__depth" FROM ${table} ${alias} CROSS JOIN LATERAL ${tree} AS "tree"("path") WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`
        : sql`SELECT ${this.selectList(model, alias)} FROM ${table} ${alias} WHERE ${where} ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`,
    );
    if (q.withoutCount) return { count: rows.length, rows };
    const c = await db(sql`SELECT count(*) AS n FROM ${table} ${alias} WHERE ${where}`);
    const count = Number(c[0].n);
    return { count, rows };
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
