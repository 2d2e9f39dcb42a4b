import {
  ErrorCollector,
  FilterValueError,
  parseBoolean,
  sql,
  type FieldMeta,
  type ManyToManyMeta,
  type RelationMeta,
  type FilterContext,
  type FilterDefinition,
  type FilterParams,
  type ModelMeta,
  type Rec,
  type Sql,
} from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import {
  columnOf,
  isUuid,
  normalizeCidr,
  normalizeInet,
  normalizeMac,
  parseIsoDate,
  parseIsoDatetime,
} from '../models/values';
import { NaturalKeys, nextAlias, type Executor } from './natural-keys';

/** Query parameters, each possibly repeated. */
export type QueryParams = Record<string, string[]>;

/** Filter parameters as the query engine takes them (every value a list of strings). */
export function toQueryParams(filters: FilterParams | undefined): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(filters ?? {})) {
    out[k] = Array.isArray(v) ? (v as unknown[]).map(String) : [String(v)];
  }
  return out;
}

/** Parameters that are not filters. */
export const RESERVED_PARAMS = new Set([
  'limit',
  'offset',
  'cursor',
  'depth',
  'sort',
  'format',
  'api_version',
  'brief',
  'exclude_m2m',
  'include',
  'csrfmiddlewaretoken',
  'per_page',
  'page',
  'export',
  'columns',
]);

export type Lookup =
  | 'exact'
  | 'n'
  | 'ic'
  | 'nic'
  | 'isw'
  | 'nisw'
  | 'iew'
  | 'niew'
  | 'ie'
  | 'nie'
  | 're'
  | 'nre'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'isnull';

const STRING_LOOKUPS: Lookup[] = ['n', 'ic', 'nic', 'isw', 'nisw', 'iew', 'niew', 'ie', 'nie', 're', 'nre'];
const ORDER_LOOKUPS: Lookup[] = ['n', 'lt', 'lte', 'gt', 'gte'];

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'uuid' | 'datetime' | 'date';

/** A filter as documented in OpenAPI, GraphQL arguments and UI filter forms. */
export interface FilterSpec {
  name: string;
  type: ParamType;
  /** The field it filters, when generated from one. */
  field?: FieldMeta;
  lookup?: Lookup;
  help_text?: string;
  /** Value choices (choice fields). */
  choices?: readonly { value: string | number; label: string }[];
  /** Related model label for foreign-key style filters. */
  related?: string;
  /** How forms name it, when it filters no field (run-time filters). */
  label?: string;
}

function lookupsFor(f: FieldMeta): Lookup[] {
  let l: Lookup[];
  switch (f.kind) {
    case 'string':
    case 'text':
    case 'slug':
    case 'color':
    case 'choice':
    case 'mac':
      l = [...STRING_LOOKUPS];
      break;
    case 'integer':
    case 'float':
    case 'decimal':
    case 'datetime':
    case 'date':
      l = [...ORDER_LOOKUPS];
      break;
    case 'uuid':
    case 'cidr':
    case 'inet':
    case 'array':
    case 'fk':
    case 'm2m':
      l = ['n'];
      break;
    default:
      l = [];
  }
  if (f.nullable || f.kind === 'fk' || f.kind === 'm2m') l.push('isnull');
  return l;
}

export function isFilterable(f: FieldMeta): boolean {
  return f.filter && !f.write_only && f.kind !== 'json' && f.kind !== 'password';
}

function paramType(f: FieldMeta): ParamType {
  switch (f.kind) {
    case 'integer':
      return 'integer';
    case 'float':
    case 'decimal':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
    default:
      return 'string';
  }
}

/** Check and convert one parameter value; returns an error message on bad input. */
export function checkValue(type: ParamType, v: string): { value: unknown } | { error: string } {
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(v.trim()) ? { value: Number(v) } : { error: `"${v}" is not a whole number.` };
    case 'number':
      return v.trim() !== '' && Number.isFinite(Number(v))
        ? { value: Number(v) }
        : { error: `"${v}" is not a number.` };
    case 'boolean': {
      const b = parseBoolean(v);
      return b === undefined ? { error: `"${v}" is not a valid boolean (use true or false).` } : { value: b };
    }
    case 'uuid':
      return isUuid(v) ? { value: v } : { error: `"${v}" is not a valid UUID.` };
    case 'datetime': {
      const d = parseIsoDatetime(v);
      return d ? { value: d } : { error: `"${v}" is not a valid date/time.` };
    }
    case 'date':
      return parseIsoDate(v) ? { value: v } : { error: `"${v}" is not a valid date (YYYY-MM-DD).` };
    default:
      return { value: v };
  }
}

interface Resolved {
  kind: 'field' | 'custom' | 'q';
  field?: FieldMeta;
  custom?: FilterDefinition;
  lookup: Lookup;
}

/**
 * The one filter engine: turns list-endpoint parameters into an SQL condition. REST, GraphQL,
 * UI lists, permission constraints and foreign-key lookups all go through it.
 */
export class FilterEngine {
  readonly naturalKeys: NaturalKeys;

  constructor(private readonly models: ModelRegistry) {
    this.naturalKeys = new NaturalKeys(models);
  }

  /** Every filter the model accepts (excluding `q`), for documentation and forms. */
  describe(model: ModelMeta): FilterSpec[] {
    const out: FilterSpec[] = [];
    // A model's own filter replaces the field filter of the same name (as resolveKey applies it).
    const own = (name: string): boolean => {
      if (model.filter(name)) return true;
      const base = name.endsWith('__n') ? model.filter(name.slice(0, -3)) : undefined;
      return !!base && base.negatable !== false;
    };
    for (const f of model.fields) {
      if (!isFilterable(f)) continue;
      const related = f.kind === 'fk' || f.kind === 'm2m' ? this.models.targetOf(f).label : undefined;
      const type = f.kind === 'fk' || f.kind === 'm2m' ? 'string' : paramType(f);
      const choices = f.choices?.map((c) => ({ value: c.value, label: c.label }));
      if (!own(f.name))
        out.push({ name: f.name, type, field: f, lookup: 'exact', choices, related, help_text: f.help_text });
      for (const l of lookupsFor(f)) {
        if (own(`${f.name}__${l}`)) continue;
        out.push({
          name: `${f.name}__${l}`,
          type: l === 'isnull' ? 'boolean' : type,
          field: f,
          lookup: l,
          related,
        });
      }
    }
    for (const [name, def] of Object.entries(model.filters)) {
      if (name === 'q') continue;
      const type = def.type ?? 'string';
      // A filter replacing a reference field's own still takes its ids or natural keys.
      const field = model.field(name);
      const related =
        field && (field.kind === 'fk' || field.kind === 'm2m')
          ? this.models.targetOf(field).label
          : undefined;
      const help_text = def.help_text ?? (related ? undefined : field?.help_text);
      out.push({ name, type, help_text, related });
      if (def.negatable !== false) out.push({ name: `${name}__n`, type, lookup: 'n', help_text, related });
    }
    // Run-time filters (`cf_<key>`) as their feature describes them.
    for (const d of model.describeDynamicFilters()) {
      out.push({
        name: d.name,
        type: d.type,
        label: d.label,
        help_text: d.help_text ?? d.label,
        choices: d.choices,
        related: d.related,
      });
    }
    return out;
  }

  private resolveKey(model: ModelMeta, key: string): Resolved | null {
    if (key === 'q') return { kind: 'q', lookup: 'exact' };
    const custom = model.filter(key);
    if (custom) return { kind: 'custom', custom, lookup: 'exact' };
    if (key.endsWith('__n')) {
      const base = model.filter(key.slice(0, -3));
      if (base && base.negatable !== false) return { kind: 'custom', custom: base, lookup: 'n' };
    }
    const direct = model.field(key);
    if (direct && isFilterable(direct)) return { kind: 'field', field: direct, lookup: 'exact' };
    const i = key.lastIndexOf('__');
    if (i > 0) {
      const f = model.field(key.slice(0, i));
      const lookup = key.slice(i + 2) as Lookup;
      if (f && isFilterable(f) && lookupsFor(f).includes(lookup)) return { kind: 'field', field: f, lookup };
    }
    return null;
  }

  /** Reject unknown parameters (strict filtering, as Nautobot 2). */
  validateKeys(model: ModelMeta, params: QueryParams): void {
    const errors = new ErrorCollector();
    for (const key of Object.keys(params)) {
      if (!RESERVED_PARAMS.has(key) && !this.resolveKey(model, key)) errors.add(key, 'Unknown filter field');
    }
    errors.throwIfAny();
  }

  filterContext(model: ModelMeta, alias: Sql, db: Executor): FilterContext {
    return {
      alias,
      model,
      idsOf: (label, values) => this.naturalKeys.idsOf(this.models.require(label), values),
      treeIdsOf: (label, values) => this.naturalKeys.treeIdsOf(this.models.require(label), values),
      path: (path, values, opts) => this.pathCondition(model, alias, path, values, opts?.descendants),
      models: this.models,
      db: {
        query: async <R extends Rec = Rec>(q: Sql) => (await db(q)) as R[],
        one: async <R extends Rec = Rec>(q: Sql) => (await db(q))[0] as R | undefined,
      },
      compile: (label, params, a) => this.compile(this.models.require(label), toQueryParams(params), a, db),
    };
  }

  /** `device_type.manufacturer` on devices -> alias.device_type_id IN (... manufacturer matches ...). */
  pathCondition(model: ModelMeta, alias: Sql, path: string, values: string[], descendants = false): Sql {
    const [head, ...rest] = path.split('.');
    const field = model.field(head);
    if (!field || (field.kind !== 'fk' && field.kind !== 'm2m')) {
      throw new Error(`filter path ${model.label}.${path}: "${head}" is not a relation`);
    }
    const target = this.models.targetOf(field);
    let ids: Sql;
    if (rest.length === 0) {
      ids = descendants ? this.naturalKeys.treeIdsOf(target, values) : this.naturalKeys.idsOf(target, values);
    } else {
      const a = nextAlias();
      ids = sql`SELECT ${a}."id" FROM ${sql.ident(target.table)} ${a} WHERE ${this.pathCondition(target, a, rest.join('.'), values, descendants)}`;
    }
    if (field.kind === 'fk') return sql`${alias}.${sql.ident(field.column)} IN (${ids})`;
    return this.m2mCondition(model, alias, field, ids);
  }

  private m2mCondition(model: ModelMeta, alias: Sql, field: ManyToManyMeta, targetIds: Sql): Sql {
    const th = field.through;
    const disc = th.discriminator ? sql` AND _m.${sql.ident(th.discriminator)} = ${model.label}` : sql.empty;
    return sql`EXISTS (SELECT 1 FROM ${sql.ident(th.table)} _m WHERE _m.${sql.ident(th.source)} = ${alias}."id"${disc} AND _m.${sql.ident(th.target)} IN (${targetIds}))`;
  }

  /**
   * Compile parameters into a condition over `alias`. Unknown parameters and bad values are
   * 400 errors naming the parameter. Foreign-key values are resolved (and checked) in one query
   * per parameter.
   */
  async compile(model: ModelMeta, params: QueryParams, alias: Sql, db: Executor): Promise<Sql> {
    const errors = new ErrorCollector();
    const conds: Sql[] = [];
    for (const [key, rawValues] of Object.entries(params)) {
      if (RESERVED_PARAMS.has(key)) continue;
      const r = this.resolveKey(model, key);
      if (!r) {
        errors.add(key, 'Unknown filter field');
        continue;
      }
      const values = rawValues.filter((v) => v !== undefined);
      if (values.length === 0) continue;
      // PostgreSQL cannot compare text with NUL characters; GraphQL string escapes can carry them.
      if (values.some((v) => v.includes('\0'))) {
        errors.add(key, 'Null characters are not allowed.');
        continue;
      }
      try {
        const c = await this.build(model, alias, r, values, db);
        if (c) conds.push(c);
      } catch (e) {
        if (e instanceof FilterValueError) errors.add(key, e.message);
        else throw e;
      }
    }
    errors.throwIfAny();
    return sql.and(conds);
  }

  private async build(
    model: ModelMeta,
    alias: Sql,
    r: Resolved,
    values: string[],
    db: Executor,
  ): Promise<Sql | null> {
    if (r.kind === 'q') return this.search(model, alias, values.join(' ').trim(), db);
    if (r.kind === 'custom') {
      const def = r.custom!;
      const type = def.type ?? 'string';
      for (const v of values) {
        const c = checkValue(type, v);
        if ('error' in c) throw new FilterValueError(c.error);
      }
      const cond = await def.apply(values, this.filterContext(model, alias, db));
      return r.lookup === 'n' ? sql`NOT (${cond})` : cond;
    }
    return this.fieldCondition(model, alias, r.field!, r.lookup, values, db);
  }

  /** Free-text search over the model's search fields (case-insensitive contains). */
  async search(model: ModelMeta, alias: Sql, q: string, db: Executor): Promise<Sql | null> {
    if (!q) return null;
    const custom = model.filter('q');
    if (custom) return custom.apply([q], this.filterContext(model, alias, db));
    const pattern = sql.like(q);
    const conds: Sql[] = [];
    for (const name of model.search_fields) {
      const f = model.field(name);
      if (!f) continue;
      if (f.kind === 'fk') {
        const target = this.models.targetOf(f);
        const key = target.natural_key[0] ? target.field(target.natural_key[0]) : undefined;
        if (!key?.column) continue;
        const a = nextAlias();
        conds.push(
          sql`${alias}.${sql.ident(f.column)} IN (SELECT ${a}."id" FROM ${sql.ident(target.table)} ${a} WHERE ${a}.${sql.ident(key.column)}::text ILIKE ${pattern})`,
        );
      } else if (f.column) {
        conds.push(sql`${alias}.${sql.ident(f.column)}::text ILIKE ${pattern}`);
      }
    }
    if (isUuid(q)) conds.push(sql`${alias}."id" = ${q}::uuid`);
    return sql.or(conds);
  }

  private async fieldCondition(
    model: ModelMeta,
    alias: Sql,
    f: FieldMeta,
    lookup: Lookup,
    values: string[],
    db: Executor,
  ): Promise<Sql | null> {
    if (lookup === 'isnull') {
      const on = checkValue('boolean', values[0]);
      if ('error' in on) throw new FilterValueError(on.error);
      const cond = this.isNull(model, alias, f);
      return on.value ? cond : sql`NOT (${cond})`;
    }
    if (f.kind === 'fk' || f.kind === 'm2m')
      return this.relationCondition(model, alias, f, lookup, values, db);

    const col = sql`${alias}.${sql.ident(columnOf(f))}`;
    const negate = lookup === 'n' || (lookup.startsWith('n') && STRING_LOOKUPS.includes(lookup));
    const base = lookup === 'n' ? 'exact' : negate ? (lookup.slice(1) as Lookup) : lookup;
    const positives = values.map((v) => this.scalarCondition(f, col, base, v));
    const any = sql.or(positives);
    if (!negate) return any;
    return f.nullable ? sql`(${col} IS NULL OR NOT (${any}))` : sql`NOT (${any})`;
  }

  private isNull(model: ModelMeta, alias: Sql, f: FieldMeta): Sql {
    if (f.kind === 'm2m') {
      const th = f.through;
      const disc = th.discriminator
        ? sql` AND _m.${sql.ident(th.discriminator)} = ${model.label}`
        : sql.empty;
      return sql`NOT EXISTS (SELECT 1 FROM ${sql.ident(th.table)} _m WHERE _m.${sql.ident(th.source)} = ${alias}."id"${disc})`;
    }
    return sql`${alias}.${sql.ident(columnOf(f))} IS NULL`;
  }

  private scalarCondition(f: FieldMeta, col: Sql, lookup: Lookup, raw: string): Sql {
    const text = sql`${col}::text`;
    switch (lookup) {
      case 'ic':
        return sql`${text} ILIKE ${sql.like(raw)}`;
      case 'isw':
        return sql`${text} ILIKE ${sql.like(raw, 'startswith')}`;
      case 'iew':
        return sql`${text} ILIKE ${sql.like(raw, 'endswith')}`;
      case 'ie':
        return sql`${text} ILIKE ${sql.like(raw, 'exact')}`;
      case 're':
        return sql`${text} ~ ${raw}`;
      default:
        break;
    }
    const v = this.typedValue(f, raw);
    const op = { exact: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' }[
      lookup as 'exact' | 'lt' | 'lte' | 'gt' | 'gte'
    ];
    if (f.kind === 'array') return sql`${v} = ANY(${col})`;
    return sql`${col} ${sql.raw(op)} ${v}`;
  }

  private typedValue(f: FieldMeta, raw: string): Sql {
    switch (f.kind) {
      case 'boolean': {
        const c = checkValue('boolean', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${c.value}::boolean`;
      }
      case 'integer': {
        const c = checkValue('integer', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${c.value}::bigint`;
      }
      case 'float':
      case 'decimal': {
        const c = checkValue('number', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${c.value}::numeric`;
      }
      case 'uuid': {
        const c = checkValue('uuid', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${raw}::uuid`;
      }
      case 'datetime': {
        const c = checkValue('datetime', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${c.value}::timestamptz`;
      }
      case 'date': {
        const c = checkValue('date', raw);
        if ('error' in c) throw new FilterValueError(c.error);
        return sql`${raw}::date`;
      }
      case 'cidr':
        return sql`${this.wrap(() => normalizeCidr(raw))}::cidr`;
      case 'inet':
        return sql`${this.wrap(() => normalizeInet(raw))}::inet`;
      case 'mac':
        return sql`${this.wrap(() => normalizeMac(raw))}::macaddr`;
      case 'choice':
        if (f.choices && !f.choices.some((c) => c.value === raw)) {
          throw new FilterValueError(`Select a valid choice. ${raw} is not one of the available choices.`);
        }
        return sql`${raw}`;
      default:
        return sql`${raw}`;
    }
  }

  private wrap(fn: () => string): string {
    try {
      return fn();
    } catch (e) {
      throw new FilterValueError((e as Error).message);
    }
  }

  private async relationCondition(
    model: ModelMeta,
    alias: Sql,
    f: RelationMeta,
    lookup: Lookup,
    values: string[],
    db: Executor,
  ): Promise<Sql> {
    const target = this.models.targetOf(f);
    const wantsNull = values.includes('null');
    const refs = values.filter((v) => v !== 'null');
    const resolved = await this.naturalKeys.resolve(target, refs, db);
    const unknown = refs.filter((v) => (resolved.get(v) ?? []).length === 0);
    if (unknown.length) {
      throw new FilterValueError(
        `Select a valid choice. ${unknown.join(', ')} is not one of the available choices.`,
      );
    }
    const ids = [...new Set([...resolved.values()].flat())];
    const conds: Sql[] = [];
    if (f.kind === 'fk') {
      const col = sql`${alias}.${sql.ident(f.column)}`;
      // As Nautobot: filtering by a tree node (location, tenant group) includes its descendants,
      // except on the tree's own parent field.
      const tree =
        target.definition.tree_parent && !(target === model && f.name === model.definition.tree_parent);
      if (ids.length && tree) conds.push(sql`${col} IN (${this.naturalKeys.treeIdsOf(target, ids)})`);
      else if (ids.length) conds.push(sql`${col} = ANY(${ids}::uuid[])`);
      if (wantsNull) conds.push(sql`${col} IS NULL`);
      const any = sql.or(conds);
      return lookup === 'n' ? sql`(${col} IS NULL OR NOT (${any}))` : any;
    }
    if (ids.length) conds.push(this.m2mCondition(model, alias, f, sql`SELECT unnest(${ids}::uuid[])`));
    if (wantsNull) conds.push(this.isNull(model, alias, f));
    const any = sql.or(conds);
    return lookup === 'n' ? sql`NOT (${any})` : any;
  }
}

export { FilterValueError };
