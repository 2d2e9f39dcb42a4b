import { isRelation, sql, type ModelMeta, type Sql } from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import { executor, type QueryEngine } from '../query/query-engine';
import type { QueryParams } from '../query/filter-engine';
import { ValidationError } from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import type { ParsedItem, RefInput } from './input';

function describeAttrs(attrs: Record<string, unknown>): string {
  return JSON.stringify(attrs);
}

/**
 * The objects of a model the writer may refer to, as a condition over the alias: null for all,
 * false for none. References resolve only to objects the writer may view (Nautobot's rule), so a
 * lookup such as `{"tenant": {"name__isw": "H"}}` tells nothing about objects hidden from them.
 */
export type ReferenceScope = (target: ModelMeta, alias: Sql) => Promise<Sql | null | false>;

const EVERYTHING: ReferenceScope = () => Promise.resolve(null);

/**
 * Resolves submitted references (uuid, URL, natural key, attribute dict) of a batch of items to
 * ids: one query per target model for ids, one for natural keys, one per attribute dict.
 */
export class ReferenceResolver {
  constructor(
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
  ) {}

  async resolveBatch(
    items: ParsedItem[],
    manager: EntityManager,
    scope: ReferenceScope = EVERYTHING,
  ): Promise<void> {
    // Group refs by target model.
    const byTarget = new Map<ModelMeta, RefInput[]>();
    for (const item of items) {
      for (const [f, ref] of item.refs) {
        if (ref === null) continue;
        const target = this.models.targetOf(f);
        const list = byTarget.get(target) ?? [];
        list.push(...(Array.isArray(ref) ? ref : [ref]));
        byTarget.set(target, list);
      }
    }
    const found = new Map<RefInput, string[] | string>();
    for (const [target, refs] of byTarget) await this.resolveRefs(target, refs, found, manager, scope);

    for (const item of items) {
      for (const [f, ref] of item.refs) {
        if (ref === null) {
          item.values[f.name] = null;
          continue;
        }
        const list = Array.isArray(ref) ? ref : [ref];
        const ids: string[] = [];
        for (const r of list) {
          const res = found.get(r);
          if (typeof res === 'string') item.errors.add(f.name, res);
          else if (res && res.length === 1) ids.push(res[0]);
        }
        item.values[f.name] = Array.isArray(ref) ? [...new Set(ids)] : (ids[0] ?? null);
      }
    }
  }

  private async resolveRefs(
    target: ModelMeta,
    refs: RefInput[],
    found: Map<RefInput, string[] | string>,
    manager: EntityManager,
    scope: ReferenceScope,
  ): Promise<void> {
    const db = executor(manager);
    const alias = sql.ident('t');
    const visible = await scope(target, alias);
    // Ids among `ids` the writer may view (all of them without a scope).
    const viewable = async (ids: string[]): Promise<Set<string>> => {
      if (visible === false || ids.length === 0) return new Set();
      const cond = sql`${alias}."id" = ANY(${ids}::uuid[])`;
      const rows = await db(
        sql`SELECT ${alias}."id" FROM ${sql.ident(target.table)} ${alias} WHERE ${visible ? sql.and([cond, visible]) : cond}`,
      );
      return new Set(rows.map((r) => String(r.id)));
    };
    const idRefs = refs.filter((r): r is Extract<RefInput, { kind: 'id' }> => r.kind === 'id');
    if (idRefs.length) {
      const existing = await viewable([...new Set(idRefs.map((r) => r.id))]);
      for (const r of idRefs) {
        found.set(r, existing.has(r.id) ? [r.id] : `Related object not found using the provided ID: ${r.id}`);
      }
    }
    const nkRefs = refs.filter((r): r is Extract<RefInput, { kind: 'nk' }> => r.kind === 'nk');
    if (nkRefs.length) {
      const resolved = await this.queries.filters.naturalKeys.resolve(
        target,
        [...new Set(nkRefs.map((r) => r.value))],
        db,
      );
      const allowed = visible === null ? null : await viewable([...new Set([...resolved.values()].flat())]);
      for (const r of nkRefs) {
        const ids = (resolved.get(r.value) ?? []).filter((id) => !allowed || allowed.has(id));
        found.set(
          r,
          ids.length === 1
            ? ids
            : ids.length === 0
              ? `Related object not found using the provided natural key: ${r.value}`
              : `Multiple objects match the provided natural key: ${r.value}`,
        );
      }
    }
    for (const r of refs) {
      if (r.kind !== 'attrs') continue;
      found.set(r, await this.resolveAttrs(target, r.attrs, manager, scope));
    }
  }

  /** `{"name": "x", "location": {"name": "y"}}`: filter parameters that must match exactly one object. */
  private async resolveAttrs(
    target: ModelMeta,
    attrs: Record<string, unknown>,
    manager: EntityManager,
    scope: ReferenceScope,
  ): Promise<string[] | string> {
    const notFound = `Related object not found using the provided attributes: ${describeAttrs(attrs)}`;
    const alias = sql.ident('t');
    const visible = await scope(target, alias);
    if (visible === false) return notFound;
    const params: QueryParams = {};
    for (const [k, v] of Object.entries(attrs)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const f = target.field(k);
        if (!f || (f.kind !== 'fk' && f.kind !== 'm2m')) {
          return `Related object not found using the provided attributes: ${describeAttrs(attrs)}`;
        }
        const nested = await this.resolveAttrs(
          this.models.targetOf(f),
          v as Record<string, unknown>,
          manager,
          scope,
        );
        if (typeof nested === 'string') return nested;
        params[k] = nested;
      } else if (Array.isArray(v)) {
        params[k] = v.map((x) => String(x));
      } else {
        params[k] = [v === null ? 'null' : String(v)];
      }
    }
    let where;
    try {
      where = await this.queries.filters.compile(target, params, alias, executor(manager));
    } catch (e) {
      if (e instanceof ValidationError) return notFound;
      throw e;
    }
    if (visible) where = sql.and([where, visible]);
    const rows = await executor(manager)(
      sql`SELECT ${alias}."id" FROM ${sql.ident(target.table)} ${alias} WHERE ${where} LIMIT 2`,
    );
    if (rows.length === 1) return [String(rows[0].id)];
    if (rows.length === 0) return notFound;
    return `Multiple objects match the provided attributes: ${describeAttrs(attrs)}`;
  }

  /**
   * Check `limit_choices_to` of foreign keys and many-to-many fields (e.g. a status must be
   * allowed for the model). One query per such field and batch.
   */
  async checkLimits(model: ModelMeta, items: ParsedItem[], manager: EntityManager): Promise<void> {
    for (const f of model.fields) {
      if (!isRelation(f) || !f.limit_choices_to) continue;
      const ids = new Set<string>();
      for (const item of items) {
        const v = item.values[f.name];
        if (typeof v === 'string') ids.add(v);
        if (Array.isArray(v)) for (const x of v) ids.add(String(x));
      }
      if (ids.size === 0) continue;
      const target = this.models.targetOf(f);
      const limit = f.limit_choices_to(model.label);
      const params: QueryParams = { id: [...ids] };
      for (const [k, v] of Object.entries(limit)) params[k] = Array.isArray(v) ? v : [v];
      const alias = sql.ident('t');
      const where = await this.queries.filters.compile(target, params, alias, executor(manager));
      const rows = await executor(manager)(
        sql`SELECT ${alias}."id" FROM ${sql.ident(target.table)} ${alias} WHERE ${where}`,
      );
      const allowed = new Set(rows.map((r) => String(r.id)));
      for (const item of items) {
        const v = item.values[f.name];
        const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : [];
        for (const id of list) {
          if (!allowed.has(id)) {
            item.errors.add(
              f.name,
              `${target.verbose_name} ${id} is not available for ${model.verbose_name_plural}.`,
            );
          }
        }
      }
    }
  }
}
