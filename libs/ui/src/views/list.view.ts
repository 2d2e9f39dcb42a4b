import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  listExportChoices,
  queryParams,
  type FilterSpec,
} from '@plinth/core';
import {
  ListExports,
  ValidationError,
  escapeHtml,
  toMarkup,
  type ApiObject,
  type ListContext,
  type ModelMeta,
} from '@plinth/plugin-sdk';
import { groupButtons, guarded, renderButtons, type RenderedPanel } from '../slots';
import { availableColumns, defaultColumns, EMPTY, valueHtml, type Column } from './cells';
import { errorMessages, PAGE_SIZES, ViewSupport } from './support';

/** A filter form field, derived from the filter engine's description of the model. */
export interface FilterField {
  name: string;
  label: string;
  widget: 'text' | 'select' | 'remote' | 'boolean';
  multiple: boolean;
  choices: { value: string; label: string; selected: boolean }[];
  value: string;
  api?: string;
}

function intParam(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * Generated list pages: the filter engine (same parameters as the REST list endpoint), the
 * query engine with the user's permission scope, and the serializer, so a page runs the same
 * number of queries whatever its size.
 */
@Injectable()
export class ListView {
  constructor(@Inject(ViewSupport) private readonly s: ViewSupport) {}

  columnsFor(model: ModelMeta, chosen: readonly string[] | undefined): { all: Column[]; shown: Column[] } {
    const all = availableColumns(model, this.s.contributedColumns(model));
    const byName = new Map(all.map((c) => [c.name, c]));
    const wanted = (chosen ?? []).filter((n) => byName.has(n));
    const names = wanted.length ? wanted : defaultColumns(model, all);
    return { all, shown: names.map((n) => byName.get(n)!).filter(Boolean) };
  }

  filterForm(model: ModelMeta, req: Request): FilterField[] {
    const params = queryParams(req);
    const specs = this.s.filters.describe(model);
    const out: FilterField[] = [];
    for (const spec of specs) {
      if (spec.lookup && spec.lookup !== 'exact') continue;
      if (spec.name === 'id' || spec.field?.kind === 'datetime') continue;
      out.push(this.filterField(spec, params[spec.name] ?? []));
    }
    return out;
  }

  private filterField(spec: FilterSpec, values: string[]): FilterField {
    const f = spec.field;
    const base = {
      name: spec.name,
      label: f?.label ?? spec.label ?? spec.name.replace(/_/g, ' '),
      value: values[0] ?? '',
    };
    const choices = (list: readonly { value: string | number; label: string }[]) =>
      list.map((c) => ({
        value: String(c.value),
        label: c.label,
        selected: values.includes(String(c.value)),
      }));
    if (spec.related) {
      const target = this.s.ui.models.get(spec.related);
      if (target?.api_path) {
        // Selected values keep their raw text as label until the page resolves ids to names.
        return {
          ...base,
          widget: 'remote',
          multiple: true,
          api: target.api_path,
          choices: values.map((v) => ({ value: v, label: v, selected: true })),
        };
      }
    }
    if (spec.choices?.length)
      return { ...base, widget: 'select', multiple: true, choices: choices(spec.choices) };
    if (f?.content_types)
      return {
        ...base,
        widget: 'select',
        multiple: true,
        choices: choices(this.s.ui.models.models.contentTypesFor(f).map((l) => ({ value: l, label: l }))),
      };
    if (spec.type === 'boolean') return { ...base, widget: 'boolean', multiple: false, choices: [] };
    return { ...base, widget: 'text', multiple: false, choices: [] };
  }

  async render(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const user = s.ui.user(req);
    // Permission first: 403 for users who may not view the model at all.
    const actor = s.actor(req);
    await s.reads.scope(actor, model);
    const params = queryParams(req);
    const prefs = await s.prefs(req, model);
    const perPage = Math.min(
      MAX_PAGE_SIZE,
      Math.max(1, intParam(params.per_page?.[0]) ?? prefs.per_page ?? DEFAULT_PAGE_SIZE),
    );
    const page = Math.max(1, intParam(params.page?.[0]) ?? 1);
    const sortParam = params.sort?.[0] ?? '';
    const filters = s.filterParams(req);
    const { all, shown } = this.columnsFor(model, prefs.columns);

    let count = 0;
    let rows: Record<string, unknown>[] = [];
    let errors: string[] = [];
    try {
      const found = await s.reads.rows(actor, model, {
        params: filters,
        sort: sortParam ? [sortParam] : undefined,
        limit: perPage,
        offset: (page - 1) * perPage,
        tree: true,
      });
      count = found.count ?? 0;
      rows = found.rows;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      errors = errorMessages(e);
    }
    const objects = await s.reads.serialize(actor, model, rows, { base_url: s.baseUrl(req) });
    const names = s.names(req);
    const form = this.filterForm(model, req);
    await names.load(objects.flatMap((o) => shown.map((c) => o[c.name])));
    await this.nameFilterValues(form, names);

    const ctx = s.listContext(req, model);
    const contributed = await this.contributedCells(shown, objects, ctx);
    const depths = new Map(rows.map((r) => [String(r.id), Number(r.__depth ?? 0)]));
    const base = s.ui.models.path(model);
    const table = objects.map((o) => ({
      id: String(o.id),
      url: `${base}${String(o.id)}/`,
      cells: shown.map((c, i) => {
        if (c.contributed) return contributed.cells.get(c.name)?.get(String(o.id)) ?? EMPTY;
        let cell = valueHtml(o[c.name], c.field ?? c.computed, names);
        if (i === 0 && !cell.includes('<a '))
          cell = `<a href="${base}${escapeHtml(o.id)}/">${cell.includes('text-muted') ? escapeHtml(o.display) : cell}</a>`;
        // Tree models are listed depth-first: the first column is indented by depth.
        const depth = i === 0 ? (depths.get(String(o.id)) ?? 0) : 0;
        return depth > 0
          ? `<span class="tree-indent" data-depth="${depth}">${'<span class="tree-step"></span>'.repeat(depth)}</span>${cell}`
          : cell;
      }),
    }));

    const exts = s.extensions(model);
    const pluginButtons = await renderButtons(exts, 'list_buttons', ctx);
    const override = await s.override('list', model, ctx);
    const can = {
      add: !model.read_only && (await s.authz.can(user, 'add', model.label)),
      change: !model.read_only && (await s.authz.can(user, 'change', model.label)),
      delete: !model.read_only && (await s.authz.can(user, 'delete', model.label)),
    };
    const pages = Math.max(1, Math.ceil(count / perPage));
    const chosen = new Set(shown.map((c) => c.name));
    await s.ui.send(req, res, 'list.njk', {
      title: s.ui.models.plural(model),
      model,
      base,
      return_path: req.originalUrl,
      columns: shown.map((c) => ({
        ...c,
        sort_url: c.sortable
          ? s.withParams(req, { sort: sortParam === c.name ? `-${c.name}` : c.name, page: null })
          : null,
        sorted: sortParam === c.name ? 'asc' : sortParam === `-${c.name}` ? 'desc' : null,
      })),
      column_choices: [...shown, ...all.filter((c) => !chosen.has(c.name))].map((c) => ({
        name: c.name,
        label: c.label,
        checked: chosen.has(c.name),
      })),
      rows: table,
      count,
      page,
      pages,
      per_page: perPage,
      page_sizes: PAGE_SIZES,
      first: count === 0 ? 0 : (page - 1) * perPage + 1,
      last: Math.min(count, page * perPage),
      prev_url: page > 1 ? s.withParams(req, { page: String(page - 1) }) : null,
      next_url: page < pages ? s.withParams(req, { page: String(page + 1) }) : null,
      page_url: (n: number) => s.withParams(req, { page: String(n) }),
      per_page_url: (n: number) => s.withParams(req, { per_page: String(n), page: null }),
      export_url: s.withParams(req, { export: 'csv', page: null, per_page: null }),
      export_choices: (await listExportChoices(s.ui.ctx.registries.get(ListExports), model)).map((c) => ({
        ...c,
        url: s.withParams(req, { export: c.name, page: null, per_page: null }),
      })),
      filters: form,
      q: params.q?.[0] ?? '',
      filtered: Object.keys(filters).length > 0,
      errors,
      can,
      plugin_buttons: groupButtons(pluginButtons.buttons),
      plugin_errors: [
        ...pluginButtons.errors,
        ...contributed.errors,
        ...(override && 'error' in override ? [override.error] : []),
      ],
      override: override && 'markup' in override ? override.markup : null,
    });
  }

  /** Cells of the shown contributed columns, one render call per column for the whole page. */
  private async contributedCells(
    shown: readonly Column[],
    objects: readonly ApiObject[],
    ctx: ListContext,
  ): Promise<{ cells: Map<string, Map<string, string>>; errors: RenderedPanel[] }> {
    const cells = new Map<string, Map<string, string>>();
    const errors: RenderedPanel[] = [];
    for (const c of shown) {
      if (!c.contributed || objects.length === 0) continue;
      const { column, plugin } = c.contributed;
      const r = await guarded(plugin, `table column ${column.label}`, () => column.render(objects, ctx));
      if (!r.ok) {
        errors.push(r.panel);
        continue;
      }
      const out = new Map<string, string>();
      for (const [id, v] of r.value) out.set(id, toMarkup(v));
      cells.set(c.name, out);
    }
    return { cells, errors };
  }

  /** Show names instead of ids in the filter form's selected related objects. */
  private async nameFilterValues(form: FilterField[], names: import('./cells').RefNames): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    const specs = form.filter((f) => f.widget === 'remote');
    for (const f of specs) {
      const model = this.s.ui.models.models.forApiPath(f.api!);
      if (!model) continue;
      const ids = f.choices.map((c) => c.value).filter((v) => /^[0-9a-f-]{36}$/i.test(v));
      if (ids.length) wanted.set(model.label, new Set([...(wanted.get(model.label) ?? []), ...ids]));
    }
    await names.loadIds(wanted);
    for (const f of specs) {
      const model = this.s.ui.models.models.forApiPath(f.api!);
      if (!model) continue;
      for (const c of f.choices)
        if (/^[0-9a-f-]{36}$/i.test(c.value)) c.label = names.get(model.label, c.value).display;
    }
  }
}
