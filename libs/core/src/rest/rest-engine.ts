import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import {
  ErrorCollector,
  NotFoundError,
  PlinthError,
  ValidationError,
  sql,
  type FieldErrors,
  type FieldMeta,
  type ModelMeta,
  type Rec,
} from '@plinth/plugin-sdk';
import type { AuthorizationService } from '../auth/authorization.service';
import type { PlinthRequest } from '../context/request-context.middleware';
import type { ModelRegistry } from '../models/model-registry';
import type { QueryParams } from '../query/filter-engine';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type QueryEngine } from '../query/query-engine';
import { MAX_DEPTH, type ApiObject, type Serializer } from '../serialize/serializer';
import { isRequired } from '../write/input';
import type { WriteActor, WriteService } from '../write/write-service';
import { newRequestId } from '../changelog/changelog';

export interface Page {
  count: number;
  next: string | null;
  previous: string | null;
  results: ApiObject[];
}

/** Multi-valued query parameters exactly as sent (`?a=1&a=2` -> `{a: ['1','2']}`). */
export function queryParams(req: Request): QueryParams {
  const url = new URL(req.originalUrl, 'http://x');
  const out: QueryParams = {};
  for (const [k, v] of url.searchParams) (out[k] ??= []).push(v);
  return out;
}

function intParam(params: QueryParams, name: string, errors: ErrorCollector): number | undefined {
  const raw = params[name]?.[0];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    errors.add(name, 'A valid non-negative integer is required.');
    return undefined;
  }
  return Number(raw);
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'True', 'yes'].includes(v);
}

/** DRF's metadata type names, which pynautobot and UIs read from OPTIONS. */
function metadataType(f: FieldMeta): string {
  switch (f.kind) {
    case 'fk':
      return 'field';
    case 'm2m':
      return 'field';
    case 'integer':
      return 'integer';
    case 'float':
      return 'float';
    case 'decimal':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
    case 'choice':
      return 'choice';
    case 'json':
      return 'json';
    case 'array':
      return f.choices ? 'multiple choice' : 'list';
    case 'slug':
      return 'slug';
    default:
      return 'string';
  }
}

/**
 * HTTP semantics of the generic model endpoints (Nautobot's): pagination, depth, bulk bodies,
 * status codes, OPTIONS metadata. Reads go through the query engine with the user's permission
 * scope; writes through the write service.
 */
export class RestEngine {
  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly serializer: Serializer,
    private readonly authz: AuthorizationService,
    private readonly write: WriteService,
  ) {}

  private state(req: Request): PlinthRequest['plinth'] {
    return (req as PlinthRequest).plinth;
  }

  private options(req: Request): { depth: number; excludeM2m: boolean; brief: boolean; params: QueryParams } {
    const params = queryParams(req);
    const errors = new ErrorCollector();
    const depth = intParam(params, 'depth', errors) ?? 0;
    if (depth > MAX_DEPTH) errors.add('depth', `Ensure this value is less than or equal to ${MAX_DEPTH}.`);
    errors.throwIfAny();
    return { depth, excludeM2m: isTrue(params.exclude_m2m?.[0]), brief: isTrue(params.brief?.[0]), params };
  }

  private async render(
    model: ModelMeta,
    rows: Record<string, unknown>[],
    req: Request,
    opts: { depth: number; excludeM2m: boolean; brief: boolean; detail?: boolean },
  ): Promise<ApiObject[]> {
    const baseUrl = this.state(req).base_url;
    if (opts.brief) {
      return (
        await this.serializer.serialize(model, rows, {
          depth: 0,
          baseUrl,
          manager: this.ds.manager,
          excludeM2m: true,
          computed: false,
        })
      ).map((o) => ({ id: o.id, object_type: o.object_type, display: o.display, url: o.url }));
    }
    return this.serializer.serialize(model, rows, {
      depth: opts.depth,
      baseUrl,
      manager: this.ds.manager,
      excludeM2m: opts.excludeM2m,
      detail: opts.detail,
    });
  }

  async list(model: ModelMeta, req: Request): Promise<Page> {
    const opts = this.options(req);
    const { params } = opts;
    const errors = new ErrorCollector();
    let limit = intParam(params, 'limit', errors) ?? DEFAULT_PAGE_SIZE;
    const offset = intParam(params, 'offset', errors) ?? 0;
    errors.throwIfAny();
    if (limit === 0 || limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
    const sort = (params.sort ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const user = this.state(req).user;
    const scope = await this.authz.scope(user, 'view', model.label, sql.ident('t'));
    const { count, rows } = await this.queries.list(
      model,
      { params, sort, limit, offset, scope },
      this.ds.manager,
    );
    const results = await this.render(model, rows, req, opts);
    return { count, ...this.pageLinks(req, count, limit, offset), results };
  }

  private pageLinks(
    req: Request,
    count: number,
    limit: number,
    offset: number,
  ): { next: string | null; previous: string | null } {
    const url = new URL(req.originalUrl, this.state(req).base_url);
    const link = (off: number): string => {
      const u = new URL(url);
      u.searchParams.set('limit', String(limit));
      if (off > 0) u.searchParams.set('offset', String(off));
      else u.searchParams.delete('offset');
      return `${this.state(req).base_url}${u.pathname}${u.search}`;
    };
    return {
      next: offset + limit < count ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    };
  }

  async retrieve(model: ModelMeta, id: string, req: Request): Promise<ApiObject> {
    const opts = this.options(req);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new NotFoundError();
    const scope = await this.authz.scope(this.state(req).user, 'view', model.label, sql.ident('t'));
    const row = await this.queries.get(model, id, scope, this.ds.manager);
    if (!row) throw new NotFoundError();
    return (await this.render(model, [row], req, { ...opts, detail: true }))[0];
  }

  private actor(req: Request): WriteActor {
    const s = this.state(req);
    return { user: s.user, source: s.source, request_id: s.request_id ?? newRequestId(), enforce: true };
  }

  /** Re-read written objects for the response, adding one-time values (e.g. a new token's key). */
  private async respond(
    model: ModelMeta,
    ids: string[],
    req: Request,
    extras: Map<string, Rec>,
  ): Promise<ApiObject[]> {
    const opts = this.options(req);
    const rows = await this.queries.byIds(model, ids, this.ds.manager);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const objects = await this.render(model, ids.map((id) => byId.get(id)!).filter(Boolean), req, {
      ...opts,
      detail: ids.length === 1,
    });
    return objects.map((o) => ({ ...o, ...(extras.get(String(o.id)) ?? {}) }));
  }

  async create(model: ModelMeta, body: unknown, req: Request): Promise<ApiObject | ApiObject[]> {
    const bulk = Array.isArray(body);
    const items = bulk ? body : [body];
    if (bulk && items.length === 0)
      throw new ValidationError({ __all__: ['Expected a list of items but received an empty list.'] });
    this.options(req);
    let extras = new Map<string, Rec>();
    const ids = await this.write.run(this.actor(req), async (tx) => {
      const r = await this.write.create(model, items, tx);
      extras = tx.extras;
      return r.ids;
    });
    const objects = await this.respond(model, ids, req, extras);
    return bulk ? objects : objects[0];
  }

  async update(
    model: ModelMeta,
    id: string,
    body: unknown,
    partial: boolean,
    req: Request,
  ): Promise<ApiObject> {
    this.options(req);
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError();
    await this.write.run(this.actor(req), (tx) =>
      this.write.update(model, [{ id: id.toLowerCase(), data: body }], partial, tx),
    );
    return (await this.respond(model, [id.toLowerCase()], req, new Map()))[0];
  }

  /** PUT/PATCH on the list endpoint: a list of objects, each with its `id`. */
  async bulkUpdate(model: ModelMeta, body: unknown, partial: boolean, req: Request): Promise<ApiObject[]> {
    this.options(req);
    const items = this.bulkItems(body);
    const changes = items.map((item) => ({ id: String((item as Rec).id ?? '').toLowerCase(), data: item }));
    await this.write.run(this.actor(req), (tx) => this.write.update(model, changes, partial, tx));
    return this.respond(
      model,
      changes.map((c) => c.id),
      req,
      new Map(),
    );
  }

  async destroy(model: ModelMeta, id: string, req: Request): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError();
    await this.write.run(this.actor(req), (tx) => this.write.delete(model, [id.toLowerCase()], tx));
  }

  /** DELETE on the list endpoint: `[{"id": ...}, ...]`, all or nothing. */
  async bulkDestroy(model: ModelMeta, body: unknown, req: Request): Promise<void> {
    const items = this.bulkItems(body);
    const ids = items.map((item) => String((item as Rec).id ?? '').toLowerCase());
    await this.write.run(this.actor(req), (tx) => this.write.delete(model, ids, tx));
  }

  private bulkItems(body: unknown): unknown[] {
    if (!Array.isArray(body) || body.length === 0) {
      throw new ValidationError({ __all__: ['Expected a non-empty list of objects, each with an "id".'] });
    }
    const errors = body.map((item) =>
      typeof item === 'object' && item !== null && typeof (item as Rec).id === 'string'
        ? ({} as FieldErrors)
        : { id: ['This field is required.'] },
    );
    if (errors.some((e) => Object.keys(e).length)) throw new ValidationError(errors);
    return body;
  }

  async metadata(model: ModelMeta, req: Request, detail: boolean): Promise<Record<string, unknown>> {
    const user = this.state(req).user;
    const canAdd = await this.authz.can(user, detail ? 'change' : 'add', model.label);
    const actions: Record<string, unknown> = {};
    if (canAdd && !model.read_only) {
      const fields: Record<string, unknown> = {};
      for (const f of model.fields) {
        if (f.write_only && f.kind !== 'password') continue;
        const meta: Record<string, unknown> = {
          type: metadataType(f),
          required: isRequired(f),
          read_only: f.read_only,
          label: f.label,
        };
        if (f.help_text) meta.help_text = f.help_text;
        if (f.max_length !== undefined && f.kind !== 'choice') meta.max_length = f.max_length;
        if (f.min_value !== undefined) meta.min_value = f.min_value;
        if (f.max_value !== undefined) meta.max_value = f.max_value;
        if (f.choices) meta.choices = f.choices.map((c) => ({ value: c.value, display: c.label }));
        if (f.content_types) meta.choices = this.models.labels().map((l) => ({ value: l, display: l }));
        if (f.kind === 'fk' || f.kind === 'm2m') meta.related_model = this.models.targetOf(f).label;
        fields[f.name] = meta;
      }
      actions[detail ? 'PUT' : 'POST'] = fields;
    }
    return {
      name: `${model.verbose_name.replace(/\b\w/g, (c) => c.toUpperCase())} ${detail ? 'Instance' : 'List'}`,
      description: model.definition.description ?? '',
      renders: ['application/json'],
      parses: ['application/json'],
      actions,
    };
  }

  methodNotAllowed(method: string): never {
    throw new MethodNotAllowedError(method);
  }

  assertView(req: Request, model: ModelMeta): Promise<void> {
    return this.authz.assert(this.state(req).user, 'view', model.label);
  }
}

export class MethodNotAllowedError extends PlinthError {
  constructor(method: string) {
    super(405, `Method "${method}" not allowed.`);
  }
}
