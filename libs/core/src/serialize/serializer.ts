import {
  sql,
  type FieldMeta,
  type FieldSource,
  type ManyToManyMeta,
  type ModelMeta,
  type ObjectRef,
  type Sql,
} from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import type { ModelRegistry } from '../models/model-registry';
import { loadSource, shownSources } from '../models/sources';
import { JsonValues, objectEncoder, type JsonBuffer } from './json-text';
import { apiValue, columnOf, rowToRecord, type StoredRecord } from '../models/values';
import { computedContext, executor, type QueryEngine, type Row } from '../query/query-engine';

export const MAX_DEPTH = 3;

export interface SerializeOptions {
  /** 0: related objects as `{id, object_type, url}`; n: nested full objects n levels deep. */
  depth: number;
  /** Include computed fields marked detail_only (single-object responses). */
  detail?: boolean;
  /** Leave computed fields out (brief representations). Default: included. */
  computed?: boolean;
  /** `https://host` for absolute URLs. */
  baseUrl: string;
  manager: EntityManager;
  /** Leave many-to-many fields out (Nautobot's `exclude_m2m`). */
  excludeM2m?: boolean;
  /**
   * The reader's view scope of a related model (condition over alias `t`; null: every row;
   * false: none). Nested objects outside it are shown as references only, never in full.
   */
  visible?: (target: ModelMeta) => Promise<Sql | null | false>;
  /** Optional fields of the model's features asked for (`?include=`). */
  include?: readonly string[];
}

export type ApiObject = Record<string, unknown>;

/**
 * A function making an object with these keys, in this order, from an array of their values:
 * one object literal per shape (compiled once), so every object of a page is allocated at its
 * final size with one hidden class, instead of growing by a keyed store per field.
 */
const builders = new Map<string, (values: readonly unknown[]) => ApiObject>();
function objectBuilder(keys: readonly string[]): (values: readonly unknown[]) => ApiObject {
  const shape = keys.join('\n');
  let build = builders.get(shape);
  if (!build) {
    // Keys are JSON-quoted: field names are identifiers, but nothing here depends on it.
    const body = keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ');
    build = new Function('v', `return { ${body} };`) as (values: readonly unknown[]) => ApiObject;
    builders.set(shape, build);
  }
  return build;
}

/** A page's keys, in order, and how one row's values are read into an array. */
interface PreparedPage {
  keys: readonly string[];
  fill(row: Row, values: unknown[]): void;
}

/** How many rows' text `serializeJson` gathers before writing it (measured: 32 beats 1 and 1,000). */
const ROWS_PER_WRITE = 32;

/** A brief reference's keys, in order (its values: `Serializer.briefValues`). */
const BRIEF_KEYS = ['id', 'object_type', 'url'] as const;
const buildBrief = objectBuilder(BRIEF_KEYS);
const encodeBrief = objectEncoder(BRIEF_KEYS);

/**
 * The brief references of one page, one object per target: a page's rows mostly point at few
 * targets (a status, a device type, a location), and each reference built again is garbage.
 */
class Briefs {
  private readonly byModel = new Map<ModelMeta, (id: unknown) => ApiObject>();
  constructor(private readonly make: (model: ModelMeta, id: unknown) => ApiObject) {}

  /** The references to one model's objects (a field's reader keeps this, not the model). */
  forModel(model: ModelMeta): (id: unknown) => ApiObject {
    let of = this.byModel.get(model);
    if (!of) {
      const known = new Map<unknown, ApiObject>();
      of = (id) => {
        let brief = known.get(id);
        if (!brief) known.set(id, (brief = this.make(model, id)));
        return brief;
      };
      this.byModel.set(model, of);
    }
    return of;
  }
}

/** An object's absolute REST URL (null for models without REST endpoints). */
export function apiUrlOf(model: ModelMeta, id: unknown, baseUrl: string): string | null {
  return model.api_path ? `${baseUrl}${model.api_path}${String(id)}/` : null;
}

/** How an object is named: the model's display spec, else its name, else `<model> <id>`. */
export function displayOf(model: ModelMeta, row: Row): string {
  const spec = model.definition.display;
  if (row.__display !== undefined && row.__display !== null) return String(row.__display);
  if (typeof spec === 'function') return spec(rowToRecord(model, row));
  if (typeof spec === 'string') {
    const f = model.field(spec);
    const v = f?.column ? row[f.column] : row[spec];
    if (v !== null && v !== undefined && v !== '') return String(v);
  }
  const name = row.name;
  if (typeof name === 'string' && name) return name;
  return `${model.verbose_name} ${String(row.id)}`;
}

/**
 * The one serializer engine: rows of any model to Nautobot-shaped JSON. Related objects are
 * batch-loaded per field and depth level, so the number of queries depends on the shape of
 * the model, never on the number of rows.
 */
export class Serializer {
  constructor(
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
  ) {}

  url(model: ModelMeta, id: unknown, baseUrl: string): string | null {
    return apiUrlOf(model, id, baseUrl);
  }

  brief(model: ModelMeta, id: unknown, baseUrl: string): ApiObject {
    return buildBrief(this.briefValues(model, id, baseUrl));
  }

  private briefValues(model: ModelMeta, id: unknown, baseUrl: string): unknown[] {
    return [id, model.label, this.url(model, id, baseUrl)];
  }

  async serialize(model: ModelMeta, rows: Row[], opts: SerializeOptions): Promise<ApiObject[]> {
    if (rows.length === 0) return [];
    const page = await this.prepare(model, rows, opts);
    const build = objectBuilder(page.keys);
    const values: unknown[] = [];
    return rows.map((row) => {
      page.fill(row, values);
      return build(values);
    });
  }

  /**
   * The objects `serialize` makes, as the JSON text of their array written to `out`: the same
   * values, byte for byte what `JSON.stringify` of those objects gives, without the objects.
   */
  async serializeJson(model: ModelMeta, rows: Row[], opts: SerializeOptions, out: JsonBuffer): Promise<void> {
    if (rows.length === 0) {
      out.write('[]');
      return;
    }
    const json = new JsonValues();
    const page = await this.prepare(model, rows, opts, json);
    const encode = objectEncoder(page.keys);
    const values: unknown[] = [];
    // Rows are written a few dozen at a time: fewer, larger writes cost less than one a row.
    let text = '[';
    for (let i = 0; i < rows.length; i++) {
      page.fill(rows[i], values);
      // A value JSON leaves out (none of the serializer's own) drops its key: the object decides.
      text +=
        (i === 0 ? '' : ',') + (encode(values, json) ?? JSON.stringify(objectBuilder(page.keys)(values)));
      if (i % ROWS_PER_WRITE === ROWS_PER_WRITE - 1) {
        out.write(text);
        text = '';
      }
    }
    out.write(`${text}]`);
  }

  /**
   * What a page of rows shows: its keys in order and how one row's values are read, with what
   * the rows need (related objects, many-to-many links, computed fields, sources) loaded once.
   */
  private async prepare(
    model: ModelMeta,
    rows: Row[],
    opts: SerializeOptions,
    json?: JsonValues,
  ): Promise<PreparedPage> {
    const depth = Math.max(0, Math.min(MAX_DEPTH, opts.depth));
    const ids = rows.map((r) => String(r.id));
    // Related objects: one query per target model and level (only when depth > 0).
    const nested = new Map<string, Map<string, ApiObject>>();
    const m2m = new Map<string, Map<string, string[]>>();
    const fields = model.fields.filter((f) => !f.write_only);
    if (depth > 0) {
      const wanted = new Map<ModelMeta, Set<string>>();
      for (const f of fields) {
        if (f.kind !== 'fk') continue;
        const target = this.models.targetOf(f);
        const set = wanted.get(target) ?? new Set<string>();
        for (const r of rows) if (r[f.column]) set.add(String(r[f.column]));
        wanted.set(target, set);
      }
      for (const [target, set] of wanted) {
        nested.set(target.label, await this.loadNested(target, [...set], depth - 1, opts));
      }
    }
    // Rows as records (what computed fields and field sources read), copied once per page.
    let records: StoredRecord[] | undefined;
    const recordsOf = () => (records ??= rows.map((r) => rowToRecord(model, r)));
    // The many-to-many links, computed fields and field sources are independent reads: on
    // PostgreSQL they overlap on pooled connections instead of waiting for one another.
    // Sources kept in a column of the row (custom fields) are read from it; the others load.
    const shown = opts.computed === false ? [] : shownSources(model, opts.include);
    const [, computed, sourced] = await Promise.all([
      opts.excludeM2m ? undefined : this.m2mValues(model, fields, ids, depth, nested, m2m, opts),
      this.computedValues(model, recordsOf, depth, opts),
      this.sourceValues(
        shown.filter((src) => !src.column),
        recordsOf,
        opts,
      ),
    ]);

    // Written as text, each reference's text is made with it (from its values, without
    // JSON.stringify's setup for an object of three strings).
    const briefs = new Briefs((target, id) => {
      const values = this.briefValues(target, id, opts.baseUrl);
      const brief = buildBrief(values);
      json?.remember(brief, encodeBrief(values, json));
      return brief;
    });
    const own = fields.filter(
      (f) =>
        f.name !== 'id' &&
        f.name !== 'created' &&
        f.name !== 'last_updated' &&
        !(f.kind === 'm2m' && opts.excludeM2m),
    );
    const readers = own.map((f) => this.fieldReader(f, depth, nested, m2m, briefs));
    const created = model.field('created')!;
    const lastUpdated = model.field('last_updated')!;
    const keys = [
      'id',
      'object_type',
      'display',
      'url',
      ...own.map((f) => f.name),
      ...shown.map((src) => src.name),
      ...computed.keys(),
      'created',
      'last_updated',
    ];
    const label = model.label;
    const baseUrl = opts.baseUrl;
    const fill = (row: Row, values: unknown[]): void => {
      const id = String(row.id);
      let i = 0;
      values[i++] = row.id;
      values[i++] = label;
      values[i++] = displayOf(model, row);
      values[i++] = this.url(model, row.id, baseUrl);
      for (const read of readers) values[i++] = read(row);
      for (const src of shown) {
        values[i++] = src.column ? (row[src.column] ?? null) : (sourced.get(src.name)?.get(id) ?? null);
      }
      for (const byId of computed.values()) values[i++] = byId.get(id) ?? null;
      values[i++] = apiValue(created, row.created);
      values[i] = apiValue(lastUpdated, row.last_updated);
    };
    return { keys, fill };
  }

  /** Many-to-many links of a page's rows (and, with depth, their targets): one load per field. */
  private async m2mValues(
    model: ModelMeta,
    fields: readonly FieldMeta[],
    ids: string[],
    depth: number,
    nested: Map<string, Map<string, ApiObject>>,
    m2m: Map<string, Map<string, string[]>>,
    opts: SerializeOptions,
  ): Promise<void> {
    // Each field's links are one statement; they overlap on pooled connections.
    const many = fields.filter((f) => f.kind === 'm2m');
    const loaded = await Promise.all(many.map((f) => this.m2mLinks(model, f, ids, opts.manager)));
    for (const [i, f] of many.entries()) {
      const links = loaded[i];
      m2m.set(f.name, links);
      if (depth > 0) {
        const target = this.models.targetOf(f);
        const all = [...new Set([...links.values()].flat())];
        const have = nested.get(target.label) ?? new Map<string, ApiObject>();
        const missing = all.filter((id) => !have.has(id));
        if (missing.length) {
          for (const [k, v] of await this.loadNested(target, missing, depth - 1, opts)) have.set(k, v);
        }
        nested.set(target.label, have);
      }
    }
  }

  /** Loaded field sources for a page (relationships, plugin fields): one load each. */
  private async sourceValues(
    sources: readonly FieldSource[],
    recordsOf: () => StoredRecord[],
    opts: SerializeOptions,
  ): Promise<Map<string, Map<string, unknown>>> {
    const out = new Map<string, Map<string, unknown>>();
    if (sources.length === 0) return out;
    const records = recordsOf();
    const visible = opts.visible;
    const ctx = {
      ...computedContext(opts.manager, this.models),
      ...(visible ? { visible: (label: string) => visible(this.models.require(label)) } : {}),
    };
    for (const s of sources) out.set(s.name, await loadSource(s, records, ctx));
    return out;
  }

  /** Computed fields for a page: one load per field, references rendered like foreign keys. */
  private async computedValues(
    model: ModelMeta,
    recordsOf: () => StoredRecord[],
    depth: number,
    opts: SerializeOptions,
  ): Promise<Map<string, Map<string, unknown>>> {
    const out = new Map<string, Map<string, unknown>>();
    if (opts.computed === false) return out;
    const fields = (model.definition.computed ?? []).filter((c) => opts.detail || !c.detail_only);
    if (fields.length === 0) return out;
    const records = recordsOf();
    // The reader's view scope, as field sources get it: computed values naming other objects
    // (relationship peers, a maintenance's overlapping maintenances) leave out what it may not see.
    const visible = opts.visible;
    const ctx = {
      ...computedContext(opts.manager, this.models),
      ...(visible ? { visible: (label: string) => visible(this.models.require(label)) } : {}),
    };
    for (const c of fields) {
      const raw = await c.load(records, ctx);
      const rendered = new Map<string, unknown>();
      const refs: { label: string; id: string }[] = [];
      const collect = (label: string | undefined, id: unknown): void => {
        if (label && typeof id === 'string') refs.push({ label, id });
      };
      for (const v of raw.values()) {
        if (c.type === 'ref') collect(c.target, v);
        if (c.type === 'refs') for (const id of (v as string[]) ?? []) collect(c.target, id);
        if (c.type === 'generic_ref' && v) collect((v as ObjectRef).object_type, (v as ObjectRef).id);
        if (c.type === 'generic_refs') for (const r of (v as ObjectRef[]) ?? []) collect(r.object_type, r.id);
      }
      const objects = await this.refsFor(refs, depth, opts);
      const show = (label: string | undefined, id: unknown): unknown =>
        label && typeof id === 'string'
          ? (objects.get(`${label}:${id}`) ?? this.brief(this.models.require(label), id, opts.baseUrl))
          : null;
      for (const [id, v] of raw) {
        if (v === null || v === undefined) continue;
        if (c.type === 'ref') rendered.set(id, show(c.target, v));
        else if (c.type === 'refs')
          rendered.set(
            id,
            (v as string[]).map((x) => show(c.target, x)),
          );
        else if (c.type === 'generic_ref')
          rendered.set(id, show((v as ObjectRef).object_type, (v as ObjectRef).id));
        else if (c.type === 'generic_refs')
          rendered.set(
            id,
            (v as ObjectRef[]).map((r) => show(r.object_type, r.id)),
          );
        else rendered.set(id, v);
      }
      out.set(c.name, rendered);
    }
    return out;
  }

  /** Nested objects (depth > 0) for references, one query per referenced model. */
  private async refsFor(
    refs: { label: string; id: string }[],
    depth: number,
    opts: SerializeOptions,
  ): Promise<Map<string, ApiObject>> {
    const out = new Map<string, ApiObject>();
    if (depth === 0 || refs.length === 0) return out;
    const byLabel = new Map<string, Set<string>>();
    for (const r of refs) byLabel.set(r.label, (byLabel.get(r.label) ?? new Set()).add(r.id));
    for (const [label, ids] of byLabel) {
      const nested = await this.loadNested(this.models.require(label), [...ids], depth - 1, opts);
      for (const [id, o] of nested) out.set(`${label}:${id}`, o);
    }
    return out;
  }

  /** How a page reads one field of a row, with what it needs looked up once per page. */
  private fieldReader(
    f: FieldMeta,
    depth: number,
    nested: Map<string, Map<string, ApiObject>>,
    m2m: Map<string, Map<string, string[]>>,
    briefs: Briefs,
  ): (row: Row) => unknown {
    if (f.kind === 'fk') {
      const target = this.models.targetOf(f);
      const full = depth > 0 ? nested.get(target.label) : undefined;
      const column = f.column;
      const briefOf = briefs.forModel(target);
      return (row) => {
        const id = row[column];
        if (id === null || id === undefined) return null;
        return full?.get(String(id)) ?? briefOf(id);
      };
    }
    if (f.kind === 'm2m') {
      const target = this.models.targetOf(f);
      const full = depth > 0 ? nested.get(target.label) : undefined;
      const links = m2m.get(f.name);
      const briefOf = briefs.forModel(target);
      return (row) => (links?.get(String(row.id)) ?? []).map((id) => full?.get(id) ?? briefOf(id));
    }
    const column = columnOf(f);
    if (f.choices && (f.kind === 'choice' || f.kind === 'integer')) {
      // The same {value, label} object for every row with that value (a page has few).
      const shown = new Map<unknown, unknown>();
      return (row) => {
        const v = row[column];
        let out = shown.get(v);
        if (out === undefined) shown.set(v, (out = apiValue(f, v)));
        return out;
      };
    }
    return (row) => apiValue(f, row[column]);
  }

  private async loadNested(
    target: ModelMeta,
    ids: string[],
    depth: number,
    opts: SerializeOptions,
  ): Promise<Map<string, ApiObject>> {
    const scope = opts.visible ? await opts.visible(target) : null;
    if (scope === false) return new Map();
    const rows = await this.queries.byIds(target, ids, opts.manager, scope);
    const objects = await this.serialize(target, rows, { ...opts, depth });
    return new Map(objects.map((o) => [String(o.id), o]));
  }

  /** owner id -> related ids, for one many-to-many field, in one query. */
  async m2mLinks(
    model: ModelMeta,
    f: ManyToManyMeta,
    ids: readonly string[],
    manager: EntityManager,
  ): Promise<Map<string, string[]>> {
    const th = f.through;
    const disc = th.discriminator ? sql` AND ${sql.ident(th.discriminator)} = ${model.label}` : sql.empty;
    const rows = await executor(manager)(
      sql`SELECT ${sql.ident(th.source)} AS s, ${sql.ident(th.target)} AS t FROM ${sql.ident(th.table)} WHERE ${sql.ident(th.source)} = ANY(${ids}::uuid[])${disc}`,
    );
    const out = new Map<string, string[]>();
    for (const r of rows) {
      const key = String(r.s);
      const list = out.get(key) ?? [];
      list.push(String(r.t));
      out.set(key, list);
    }
    return out;
  }

  /** Stored records (field values, m2m ids included) for rows, for the write path and snapshots. */
  async records(model: ModelMeta, rows: Row[], manager: EntityManager): Promise<StoredRecord[]> {
    const recs = rows.map((r) => rowToRecord(model, r));
    const ids = recs.map((r) => String(r.id));
    for (const f of model.fields) {
      if (f.kind !== 'm2m' || rows.length === 0) continue;
      const links = await this.m2mLinks(model, f, ids, manager);
      for (const r of recs) r[f.name] = links.get(String(r.id)) ?? [];
    }
    return recs;
  }
}
