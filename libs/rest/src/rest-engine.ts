import type { Request, Response } from 'express';
import {
  CoreModels,
  ErrorCollector,
  NotFoundError,
  PlinthError,
  ValidationError,
  parseBoolean,
  type FieldErrors,
  type FieldMeta,
  type ListExport,
  type ModelMeta,
  type Rec,
  type Registry,
} from '@plinth/plugin-sdk';
import {
  CURSOR_PARAM,
  CsvExporter,
  DEFAULT_PAGE_SIZE,
  EXPORT_CSP,
  exportDisposition,
  renderListExport,
  LIMITS,
  MAX_DEPTH,
  tooManyItems,
  MAX_PAGE_SIZE,
  JsonBuffer,
  isRequired,
  isUuid,
  newRequestId,
  queryParams,
  type ApiObject,
  type ModelRegistry,
  type PlinthRequest,
  type QueryParams,
  type Reads,
  type SurfaceRenderOptions,
  type WriteActor,
  type WriteService,
} from '@plinth/core';
import { listETag, matchesIfNoneMatch } from './list-etag';
import { PageLinks } from './page-links';

export interface Page {
  /** Null with keyset paging (`?cursor=`). */
  count: number | null;
  next: string | null;
  previous: string | null;
  results: ApiObject[];
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

/**
 * `?cursor=` asks for keyset paging (empty: its first page); it cannot be combined with
 * `offset`. Undefined: offset paging.
 */
function cursorParam(params: QueryParams, errors: ErrorCollector): string | undefined {
  const values = params[CURSOR_PARAM];
  if (values === undefined) return undefined;
  if (values.length > 1) errors.add(CURSOR_PARAM, 'Only one cursor may be given.');
  else if (params.offset?.some((v) => v !== '' && v !== '0'))
    errors.add(CURSOR_PARAM, 'A cursor cannot be combined with offset.');
  return values[0];
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

/** How a request asks its objects to be rendered (`?depth`, `?exclude_m2m`, `?brief`, `?include`). */
interface RenderRequest {
  depth: number;
  excludeM2m: boolean;
  brief: boolean;
  include: string[];
  detail?: boolean;
}

/**
 * HTTP semantics of the generic model endpoints (Nautobot's): pagination, depth, bulk bodies,
 * status codes, OPTIONS metadata. Reads go through the query engine with the user's permission
 * scope; writes through the write service.
 */
export class RestEngine {
  constructor(
    private readonly models: ModelRegistry,
    private readonly reads: Reads,
    private readonly write: WriteService,
    private readonly exports: Registry<ListExport>,
  ) {}

  /** Each model's bytes per row in its last list page (what the next page's buffer starts at). */
  private readonly rowBytes = new Map<string, number>();

  private state(req: Request): PlinthRequest['plinth'] {
    return (req as PlinthRequest).plinth;
  }

  private options(req: Request): RenderRequest & { params: QueryParams } {
    const params = queryParams(req);
    const errors = new ErrorCollector();
    const depth = intParam(params, 'depth', errors) ?? 0;
    if (depth > MAX_DEPTH) errors.add('depth', `Ensure this value is less than or equal to ${MAX_DEPTH}.`);
    errors.throwIfAny();
    const include = (params.include ?? [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    return {
      depth,
      excludeM2m: parseBoolean(params.exclude_m2m?.[0]) === true,
      brief: parseBoolean(params.brief?.[0]) === true,
      include,
      params,
    };
  }

  private actorOf(req: Request): { user: PlinthRequest['plinth']['user'] } {
    return { user: this.state(req).user };
  }

  private async render(
    model: ModelMeta,
    rows: Record<string, unknown>[],
    req: Request,
    opts: RenderRequest,
  ): Promise<ApiObject[]> {
    return this.reads.serialize(this.actorOf(req), model, rows, this.renderOptions(req, opts));
  }

  private renderOptions(req: Request, opts: RenderRequest): SurfaceRenderOptions {
    return {
      base_url: this.state(req).base_url,
      depth: opts.depth,
      brief: opts.brief,
      exclude_m2m: opts.excludeM2m,
      detail: opts.detail,
      include: opts.include,
    };
  }

  /**
   * A list page as JSON. Offset pages of change-logged models carry a weak ETag made from what
   * the page was read at (the data version, the count, the request) instead of a hash of the
   * body, and an `If-None-Match` naming it is answered 304 before anything is serialised.
   */
  async list(model: ModelMeta, req: Request, res: Response, fixed: QueryParams = {}): Promise<void> {
    const opts = this.options(req);
    const params = { ...opts.params, ...fixed };
    const errors = new ErrorCollector();
    let limit = intParam(params, 'limit', errors) ?? DEFAULT_PAGE_SIZE;
    const offset = intParam(params, 'offset', errors) ?? 0;
    const cursor = cursorParam(params, errors);
    errors.throwIfAny();
    if (limit === 0 || limit > MAX_PAGE_SIZE) limit = MAX_PAGE_SIZE;
    const sort = (params.sort ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const actor = this.actorOf(req);
    const links = new PageLinks(req, this.state(req).base_url, limit);
    if (cursor !== undefined) {
      const page = await this.reads.rows(actor, model, { params, sort, limit, offset, cursor });
      // As NetBox's cursor paging: no count (it would cost what the cursor saves), no way back.
      const next = page.next_cursor ? links.cursor(page.next_cursor) : null;
      await this.sendPage(model, page.rows, req, res, opts, { count: null, next, previous: null });
      return;
    }
    const tagOf = (count: number, version: string) =>
      listETag(req, actor.user?.id ?? null, model, count, version);
    const ifNoneMatch = req.headers['if-none-match'];
    // A conditional request first reads only the count and the version: a copy that is still
    // current costs one statement, and otherwise the page alone is read next.
    const known = ifNoneMatch ? await this.reads.countVersion(actor, model, params) : null;
    if (known && matchesIfNoneMatch(ifNoneMatch, tagOf(known.count, known.version))) {
      res.setHeader('ETag', tagOf(known.count, known.version));
      res.status(304).end();
      return;
    }
    const page = await this.reads.rows(actor, model, {
      params,
      sort,
      limit,
      offset,
      version: true,
      count: known ? false : undefined,
    });
    const count = known ? known.count : (page.count ?? 0);
    // The tag vouches for the page only when the page was read at the version of its count.
    const version = known ? (page.version === known.version ? known.version : null) : page.version;
    if (version) {
      const tag = tagOf(count, version);
      res.setHeader('ETag', tag);
      if (matchesIfNoneMatch(ifNoneMatch, tag)) {
        res.status(304).end();
        return;
      }
    }
    await this.sendPage(model, page.rows, req, res, opts, { count, ...links.offsets(count, offset) });
  }

  /**
   * A list page's JSON body, `{count, next, previous, results}`, with the results written as
   * text by the serializer: byte for byte what `res.json` of the page's objects sent, without
   * the objects, a whole-page string and its conversion to bytes.
   */
  private async sendPage(
    model: ModelMeta,
    rows: Record<string, unknown>[],
    req: Request,
    res: Response,
    opts: RenderRequest,
    head: Omit<Page, 'results'>,
  ): Promise<void> {
    // Sized by this model's last page's bytes per row, so a page rarely grows (a copy each time).
    const perRow = this.rowBytes.get(model.label);
    const body = new JsonBuffer(perRow ? 1024 + Math.ceil(perRow * rows.length * 1.1) : undefined);
    const fields = JSON.stringify(head);
    body.write(`${fields.slice(0, -1)},"results":`);
    await this.reads.serializeJson(this.actorOf(req), model, rows, this.renderOptions(req, opts), body);
    body.write('}');
    const bytes = body.bytes();
    if (rows.length) this.rowBytes.set(model.label, bytes.length / rows.length);
    // What res.json sets; Express adds the length (and, for pages without one, the ETag).
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.send(bytes);
  }

  /**
   * Does the client ask for CSV (`?format=csv` or `Accept: text/csv`, as Nautobot's REST API
   * renders lists)? An unknown `format` is a 400.
   */
  wantsCsv(req: Request): boolean {
    const format = queryParams(req).format?.[0];
    if (format !== undefined && format !== '') {
      if (format === 'csv') return true;
      if (format === 'json' || format === 'api') return false;
      throw ValidationError.field('format', `"${format}" is not a supported format: use json or csv.`);
    }
    const accept = req.headers.accept ?? '';
    return /(^|,)\s*text\/csv\b/i.test(accept) && !/(^|,)\s*application\/json\b/i.test(accept);
  }

  /**
   * A list as CSV: every object matching the filters (or the `limit`/`offset` window when given),
   * streamed, with the columns of the web UI's export.
   */
  async listCsv(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const { params } = this.options(req);
    const errors = new ErrorCollector();
    const limit = intParam(params, 'limit', errors);
    const offset = intParam(params, 'offset', errors);
    errors.throwIfAny();
    const sort = (params.sort ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    await new CsvExporter(this.reads, this.models).stream(
      this.actorOf(req),
      model,
      { params, sort, offset, limit: limit || undefined },
      res,
      `${model.app_label}_${model.model}.csv`,
    );
  }

  /** The export `?export=<name>` asks for, if any (`csv` is `?format=csv`'s twin). */
  exportName(req: Request): string | null {
    const name = queryParams(req).export?.[0];
    return name === undefined || name === '' ? null : name;
  }

  /**
   * `?export=<name>`: the filtered list the user may view, rendered by an export (an export
   * template). `?export=csv` is the CSV list.
   */
  async listExport(model: ModelMeta, name: string, req: Request, res: Response): Promise<void> {
    if (name === 'csv') return this.listCsv(model, req, res);
    const { params } = this.options(req);
    const sort = (params.sort ?? [])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const result = await renderListExport(
      this.reads,
      this.exports,
      this.actorOf(req),
      model,
      name,
      { params, sort },
      this.state(req).base_url,
    );
    res.setHeader('Content-Type', `${result.mime_type}; charset=utf-8`);
    res.setHeader('Content-Disposition', exportDisposition(result));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Rendered user content: even as HTML it gets no scripts and no origin of ours.
    res.setHeader('Content-Security-Policy', EXPORT_CSP);
    res.send(result.content);
  }

  async retrieve(model: ModelMeta, id: string, req: Request): Promise<ApiObject> {
    const opts = this.options(req);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new NotFoundError();
    const row = await this.reads.row(this.actorOf(req), model, id);
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
    const objects = await this.reads.renderWritten(this.actorOf(req), model, ids, {
      base_url: this.state(req).base_url,
      depth: opts.depth,
      brief: opts.brief,
      exclude_m2m: opts.excludeM2m,
      include: opts.include,
      detail: ids.length === 1,
    });
    return objects.map((o) => ({ ...o, ...(extras.get(String(o.id)) ?? {}) }));
  }

  async create(model: ModelMeta, body: unknown, req: Request): Promise<ApiObject | ApiObject[]> {
    const bulk = Array.isArray(body);
    const items = bulk ? body : [body];
    if (bulk && items.length === 0)
      throw new ValidationError({ __all__: ['Expected a list of items but received an empty list.'] });
    if (items.length > LIMITS.maxBulkItems) throw tooManyItems(items.length);
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
    if (body.length > LIMITS.maxBulkItems) throw tooManyItems(body.length);
    const errors = body.map((item) =>
      typeof item === 'object' && item !== null && typeof (item as Rec).id === 'string'
        ? ({} as FieldErrors)
        : { id: ['This field is required.'] },
    );
    if (errors.some((e) => Object.keys(e).length)) throw new ValidationError(errors);
    return body;
  }

  async metadata(model: ModelMeta, req: Request, detail: boolean): Promise<Record<string, unknown>> {
    const canAdd = await this.reads.can(this.actorOf(req), detail ? 'change' : 'add', model);
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
        if (f.content_types)
          meta.choices = this.models.contentTypesFor(f).map((l) => ({ value: l, display: l }));
        if (f.kind === 'fk' || f.kind === 'm2m') meta.related_model = this.models.targetOf(f).label;
        fields[f.name] = meta;
      }
      actions[detail ? 'PUT' : 'POST'] = fields;
    }
    return {
      name: `${model.verbose_name.replace(/\b\w/g, (c) => c.toUpperCase())} ${detail ? 'Instance' : 'List'}`,
      description: model.definition.description ?? '',
      renders: ['application/json', 'text/csv'],
      parses: ['application/json'],
      actions,
    };
  }

  /**
   * Nautobot's `<id>/notes/` on every model with the `notes` feature: the notes of one object
   * the user may view (GET, a page like any list) or a new note on it (POST, object or list).
   */
  async notes(model: ModelMeta, id: string, req: Request, res: Response): Promise<void> {
    const notes = await this.notesOf(model, id, req);
    await this.list(notes, req, res, { assigned_object_type: [model.label], assigned_object_id: [id] });
  }

  async addNote(model: ModelMeta, id: string, body: unknown, req: Request): Promise<ApiObject | ApiObject[]> {
    const notes = await this.notesOf(model, id, req);
    const assign = (item: unknown): unknown =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? { ...item, assigned_object_type: model.label, assigned_object_id: id }
        : item;
    return this.create(notes, Array.isArray(body) ? body.map(assign) : assign(body), req);
  }

  private async notesOf(model: ModelMeta, id: string, req: Request): Promise<ModelMeta> {
    const notes = this.models.get(CoreModels.note.label);
    if (!notes || !model.has('notes') || !isUuid(id)) throw new NotFoundError();
    if (!(await this.reads.row(this.actorOf(req), model, id))) throw new NotFoundError();
    return notes;
  }

  methodNotAllowed(method: string): never {
    throw new MethodNotAllowedError(method);
  }

  async assertView(req: Request, model: ModelMeta): Promise<void> {
    await this.reads.scope(this.actorOf(req), model);
  }
}

export class MethodNotAllowedError extends PlinthError {
  constructor(method: string) {
    super(405, `Method "${method}" not allowed.`);
  }
}
