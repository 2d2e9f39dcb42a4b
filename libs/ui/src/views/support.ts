import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AuthorizationService,
  FilterEngine,
  Reads,
  queryParams,
  type PlinthRequest,
  type QueryParams,
} from '@plinth/core';
import {
  SYSTEM_ACTOR,
  TableColumns,
  TemplateExtensions,
  ValidationError,
  ViewOverrides,
  toMarkup,
  type FieldErrors,
  type ListContext,
  type ModelMeta,
  type ObjectContext,
  type ReadActor,
  type Rec,
  type TableColumn,
} from '@plinth/plugin-sdk';
import { errorPanel, extensionsFor, guarded, type RenderedPanel } from '../slots';
import { UiService } from '../ui.service';
import { RefNames } from './cells';

/** Query parameters of UI pages that are not filters. */
export const UI_PARAMS = new Set(['per_page', 'page', 'sort', 'export', 'tab', 'return_url']);

export const PAGE_SIZES = [25, 50, 100, 250, 500, 1000];

/** Per-user table preferences, kept in the user's `config_data.tables.<model label>`. */
export interface TablePrefs {
  columns?: string[];
  per_page?: number;
}

/** The engines and helpers every generated view uses (the same ones the REST API uses). */
@Injectable()
export class ViewSupport {
  constructor(
    @Inject(UiService) readonly ui: UiService,
    @Inject(Reads) readonly reads: Reads,
    @Inject(FilterEngine) readonly filters: FilterEngine,
    @Inject(AuthorizationService) readonly authz: AuthorizationService,
  ) {}

  /** The request's user as a reader. */
  actor(req: Request): ReadActor {
    return { user: this.ui.user(req) };
  }

  get ds(): DataSource {
    return this.ui.ctx.database.dataSource;
  }

  get manager(): EntityManager {
    return this.ds.manager;
  }

  names(req: Request): RefNames {
    return new RefNames(this.reads, this.actor(req), this.ui.models);
  }

  baseUrl(req: Request): string {
    return (req as PlinthRequest).plinth.base_url;
  }

  /** Filter parameters of a list URL (everything but paging, sorting and UI switches). */
  filterParams(req: Request): QueryParams {
    const out: QueryParams = {};
    for (const [k, v] of Object.entries(queryParams(req))) {
      if (UI_PARAMS.has(k)) continue;
      const values = v.filter((x) => x !== '');
      if (values.length) out[k] = values;
    }
    return out;
  }

  /** The current URL with some parameters replaced (null removes). */
  withParams(req: Request, changes: Record<string, string | null>): string {
    const url = new URL(req.originalUrl, 'http://x');
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) url.searchParams.delete(k);
      else url.searchParams.set(k, v);
    }
    return `${url.pathname}${url.search}`;
  }

  async prefs(req: Request, model: ModelMeta): Promise<TablePrefs> {
    const user = this.ui.user(req);
    if (!user) return {};
    // Everyone reads their own preferences, whatever their permissions on users.
    const row = await this.reads.get(SYSTEM_ACTOR, 'users.user', user.id, { as: 'record' });
    const data = (row?.config_data ?? {}) as { tables?: Record<string, TablePrefs> };
    return data.tables?.[model.label] ?? {};
  }

  /**
   * Save table preferences through the write path, acting as the user (trusted: everyone may
   * change their own preferences, whatever their permissions on users).
   */
  async savePrefs(req: Request, model: ModelMeta, prefs: TablePrefs | null): Promise<void> {
    const user = this.ui.user(req)!;
    const row = await this.reads.get(SYSTEM_ACTOR, 'users.user', user.id, { as: 'record' });
    const data = { ...((row?.config_data ?? {}) as Record<string, unknown>) };
    const tables = { ...((data.tables ?? {}) as Record<string, TablePrefs>) };
    if (prefs) tables[model.label] = prefs;
    else delete tables[model.label];
    data.tables = tables;
    await this.ui.objects
      .as({ user, source: 'web', trusted: true })
      .update('users.user', [{ id: user.id, config_data: data }]);
  }

  listContext(req: Request, model: ModelMeta): ListContext {
    return { ...this.ui.context(req), model };
  }

  objectContext(req: Request, model: ModelMeta, object: Rec, display: string): ObjectContext {
    return { ...this.ui.context(req), model, object, display };
  }

  extensions(model: ModelMeta) {
    return extensionsFor(this.ui.ctx.registries.get(TemplateExtensions), model);
  }

  /** Columns plugins contribute to the model's list table. */
  contributedColumns(model: ModelMeta): { column: TableColumn; plugin: string }[] {
    return this.ui.ctx.registries
      .get(TableColumns)
      .entries()
      .filter(({ item }) => [item.model].flat().includes(model.label))
      .map(({ item, plugin }) => ({ column: item, plugin }));
  }

  /** A plugin's replacement of a page's main content, if one is registered (last one wins). */
  async override(
    view: 'list' | 'detail',
    model: ModelMeta,
    ctx: ListContext | ObjectContext,
  ): Promise<{ markup: string } | { error: RenderedPanel } | null> {
    const entries = this.ui.ctx.registries
      .get(ViewOverrides)
      .entries()
      .filter((e) => e.item.view === `${model.label}:${view}`);
    const last = entries[entries.length - 1];
    if (!last) return null;
    const r = await guarded(last.plugin, `view override ${last.item.view}`, () => last.item.render(ctx));
    if (!r.ok) return { error: r.panel };
    return { markup: toMarkup(r.value) };
  }

  errorPanel = errorPanel;
}

/** Field errors of a single-object ValidationError (bulk errors are flattened with their row). */
export function fieldErrors(e: ValidationError): FieldErrors {
  if (!Array.isArray(e.errors)) return e.errors;
  const out: FieldErrors = {};
  e.errors.forEach((m, i) => {
    for (const [f, msgs] of Object.entries(m)) (out[f] ??= []).push(...msgs.map((x) => `Row ${i + 1}: ${x}`));
  });
  return out;
}

/** Plain messages of a ValidationError (`field: message`). */
export function errorMessages(e: ValidationError): string[] {
  return Object.entries(fieldErrors(e)).flatMap(([f, msgs]) =>
    msgs.map((m) => (f === '__all__' ? m : `${f}: ${m}`)),
  );
}
