import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { displayOf, isUuid, queryParams, type Row } from '@plinth/core';
import {
  CoreModels,
  NotFoundError,
  escapeHtml,
  toMarkup,
  type ModelMeta,
  type ObjectContext,
  type Rec,
} from '@plinth/plugin-sdk';
import {
  detailTabs,
  groupButtons,
  guarded,
  renderButtons,
  renderPanels,
  type ButtonGroup,
  type RenderedPanel,
} from '../slots';
import { valueHtml, type RefNames } from './cells';
import { keyedFields, sourceFields } from './forms';
import { renderMarkdown } from './markdown';
import { ViewSupport } from './support';

export interface RelatedCount {
  label: string;
  count: number;
  url: string | null;
  cascade: boolean;
}

/** What every page about one object shows above its content: title, buttons, tabs. */
export interface ObjectHeader {
  model: ModelMeta;
  row: Row;
  record: Rec;
  display: string;
  base: string;
  url: string;
  ctx: ObjectContext;
  tabs: { label: string; url: string; active: boolean }[];
  buttons: ButtonGroup[];
  plugin_errors: RenderedPanel[];
  can: { change: boolean; delete: boolean };
}

/**
 * Generated detail pages: attributes, computed values, related objects with counts, tags, the
 * change log tab, and the plugin slots (panels, buttons, extra tabs, view overrides).
 */
@Injectable()
export class DetailView {
  constructor(@Inject(ViewSupport) private readonly s: ViewSupport) {}

  /** The object (404 unless the user may view it) and the header every object page shares. */
  async header(model: ModelMeta, id: string, req: Request, active: string): Promise<ObjectHeader> {
    const s = this.s;
    const user = s.ui.user(req);
    if (!isUuid(id)) throw new NotFoundError();
    const row = await s.reads.row(s.actor(req), model, id);
    if (!row) throw new NotFoundError(`No ${model.verbose_name} matches the given id.`);
    const [record] = await s.reads.records(model, [row]);
    const display = displayOf(model, row);
    const base = s.ui.models.path(model);
    const url = `${base}${String(row.id)}/`;
    const ctx = s.objectContext(req, model, record, display);
    const exts = s.extensions(model);
    const tabs = [{ label: s.ui.models.singular(model), url, active: active === '' }];
    const notes = model.has('notes') ? s.ui.models.get(CoreModels.note.label) : undefined;
    if (notes && (await s.authz.can(user, 'view', notes.label)))
      tabs.push({ label: 'Notes', url: `${url}notes/`, active: active === 'notes' });
    if (model.has('changelog'))
      tabs.push({ label: 'Change Log', url: `${url}changelog/`, active: active === 'changelog' });
    for (const t of detailTabs(exts))
      tabs.push({
        label: t.label,
        url: `${url}?tab=${encodeURIComponent(t.key)}`,
        active: active === `tab:${t.key}`,
      });
    const plugin = await renderButtons(exts, 'buttons', ctx);
    const can = {
      change: !model.read_only && (await s.authz.can(user, 'change', model.label)),
      delete: !model.read_only && (await s.authz.can(user, 'delete', model.label)),
    };
    return {
      model,
      row,
      record,
      display,
      base,
      url,
      ctx,
      tabs,
      buttons: groupButtons(plugin.buttons),
      plugin_errors: plugin.errors,
      can,
    };
  }

  async render(model: ModelMeta, id: string, req: Request, res: Response): Promise<void> {
    const tabKey = queryParams(req).tab?.[0];
    const h = await this.header(model, id, req, tabKey ? `tab:${tabKey}` : '');
    if (tabKey) return this.renderPluginTab(h, tabKey, req, res);
    const s = this.s;
    const exts = s.extensions(model);
    const [object] = await s.reads.serialize(s.actor(req), model, [h.row], {
      detail: true,
      base_url: s.baseUrl(req),
    });
    const names = s.names(req);
    await names.load(Object.values(object));
    const override = await s.override('detail', model, h.ctx);
    await s.ui.send(req, res, 'detail.njk', {
      ...this.headerData(h),
      attributes: this.attributes(model, object, names),
      keyed_panels: this.keyedPanels(model, object, names),
      computed: (model.definition.computed ?? []).map((c) => ({
        label: c.label ?? c.name.replace(/_/g, ' '),
        help_text: c.help_text ?? '',
        html: valueHtml(object[c.name], c, names, true),
      })),
      tags_enabled: !!model.field('tags'),
      tags: model.field('tags') ? valueHtml(object.tags, model.field('tags'), names) : '',
      related: await this.related(model, String(h.row.id), req),
      created: h.row.created,
      last_updated: h.row.last_updated,
      left_panels: await renderPanels(exts, 'left_page', h.ctx),
      right_panels: await renderPanels(exts, 'right_page', h.ctx),
      full_panels: await renderPanels(exts, 'full_width_page', h.ctx),
      override: override && 'markup' in override ? override.markup : null,
      override_error: override && 'error' in override ? override.error : null,
    });
  }

  headerData(h: ObjectHeader): Record<string, unknown> {
    return {
      title: h.display,
      model: h.model,
      list_url: h.base,
      object_url: h.url,
      object_id: String(h.row.id),
      tabs: h.tabs,
      plugin_buttons: h.buttons,
      plugin_errors: h.plugin_errors,
      can: h.can,
    };
  }

  private async renderPluginTab(h: ObjectHeader, key: string, req: Request, res: Response): Promise<void> {
    const found = this.s
      .extensions(h.model)
      .flatMap(({ ext, plugin }) => (ext.detail_tabs ?? []).map((tab) => ({ tab, plugin })))
      .find((t) => t.tab.key === key);
    if (!found) throw new NotFoundError(`This page has no tab "${key}".`);
    const r = await guarded(found.plugin, `tab ${found.tab.label}`, () => found.tab.render(h.ctx));
    await this.s.ui.send(req, res, 'object-tab.njk', {
      ...this.headerData(h),
      tab_title: found.tab.label,
      tab_body: r.ok ? toMarkup(r.value) : null,
      tab_error: r.ok ? null : r.panel,
    });
  }

  private attributes(model: ModelMeta, object: Record<string, unknown>, names: RefNames) {
    const skip = new Set(['id', 'created', 'last_updated', 'tags']);
    return [...model.fields, ...sourceFields(model)]
      .filter((f) => !f.write_only && !skip.has(f.name))
      .map((f) => ({
        name: f.name,
        label: f.label,
        help_text: f.help_text ?? '',
        html: valueHtml(object[f.name], f, names, true),
      }));
  }

  /**
   * Values of sources shown key by key (custom fields): one panel per group (Nautobot's
   * `grouping`), then the advanced ones in a panel of their own. Markdown values are rendered.
   */
  private keyedPanels(model: ModelMeta, object: Record<string, unknown>, names: RefNames) {
    const panels = new Map<
      string,
      {
        title: string;
        advanced: boolean;
        rows: { name: string; label: string; help_text: string; html: string }[];
      }
    >();
    for (const k of keyedFields(model)) {
      const source = model.source(k.source)!;
      const title = k.advanced ? 'Advanced' : k.group || source.field.label;
      const id = `${k.advanced ? 'a' : 'g'}:${title}`;
      if (!panels.has(id)) panels.set(id, { title, advanced: k.advanced, rows: [] });
      const obj = object[k.source];
      const value = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[k.key] : null;
      const html =
        k.markdown && typeof value === 'string' && value !== ''
          ? renderMarkdown(value)
          : valueHtml(value, k.field, names, true);
      panels
        .get(id)!
        .rows.push({ name: k.field.name, label: k.field.label, help_text: k.field.help_text ?? '', html });
    }
    return [...panels.values()].sort((a, b) => Number(a.advanced) - Number(b.advanced));
  }

  /** Objects pointing at this one, per relation, counted in one query (each within the user's view). */
  async related(model: ModelMeta, id: string, req: Request): Promise<RelatedCount[]> {
    const s = this.s;
    const rels = model.reverse_relations;
    const counts = await s.reads.countEach(
      s.actor(req),
      rels.map((rel) => ({ label: rel.model.label, pointingAt: { field: rel.field, id } })),
    );
    return rels.flatMap((rel, i) => {
      const count = counts[i];
      if (count === null) return [];
      const list = s.ui.models.url(rel.model.label);
      const several = rels.filter((r) => r.model === rel.model).length > 1;
      return [
        {
          label: `${s.ui.models.plural(rel.model)}${several ? ` (${rel.field.label})` : ''}`,
          count,
          url: list && rel.field.filter ? `${list}?${encodeURIComponent(rel.field.name)}=${id}` : null,
          cascade: rel.field.kind === 'fk' && rel.field.on_delete === 'CASCADE',
        },
      ];
    });
  }

  /** `/<id>/changelog/`: changes of the object and of objects related to it (its components). */
  async changelog(model: ModelMeta, id: string, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const h = await this.header(model, id, req, 'changelog');
    const changes = s.ui.models.get('extras.objectchange');
    if (!changes) throw new NotFoundError();
    const oid = String(h.row.id);
    const page = Math.max(1, Number(queryParams(req).page?.[0]) || 1);
    const found = await s.reads.rows(s.actor(req), changes, {
      params: { affects: [oid] },
      sort: ['-time'],
      limit: 50,
      offset: (page - 1) * 50,
    });
    const { rows } = found;
    const count = found.count ?? 0;
    const base = s.ui.models.path(changes);
    await s.ui.send(req, res, 'changelog.njk', {
      ...this.headerData(h),
      changes: rows.map((r) => ({
        url: `${base}${String(r.id)}/`,
        time: r.time,
        user_name: r.user_name,
        action: r.action,
        object_type: r.changed_object_type,
        object_repr: r.object_repr,
        request_id: r.request_id,
        own: String(r.changed_object_id) === oid,
      })),
      count,
      page,
      prev_url: page > 1 ? s.withParams(req, { page: String(page - 1) }) : null,
      next_url: page * 50 < count ? s.withParams(req, { page: String(page + 1) }) : null,
      escape: escapeHtml,
    });
  }
}
