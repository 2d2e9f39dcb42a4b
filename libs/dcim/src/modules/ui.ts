import {
  EMPTY_CELL,
  choiceLabel,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { MODULAR_KINDS } from '../components/kinds';

/*
 * Module pages: a device's Module Bays tab (every bay at any depth, the module in it, an Install
 * link on empty bays), a module's components and bays. Read through the REST representation.
 */

function text(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

function refId(v: unknown): string | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/** The add-module form with the bay filled in, coming back to this page. */
function installLink(ctx: ObjectContext, bayId: string): SafeHtml {
  const list = ctx.url('dcim.module');
  if (!list) return html``;
  const tab = ctx.query.tab?.[0];
  const back = encodeURIComponent(tab ? `${ctx.path}?tab=${tab}` : ctx.path);
  return html`<a
    class="btn btn-sm btn-outline-success install-module"
    href="${list}add/?parent_module_bay=${bayId}&return_url=${back}"
    >Install a module</a
  >`;
}

/** Bays as rows, each followed by the bays of the module installed in it (indented). */
function bayRows(
  ctx: ObjectContext,
  bays: readonly ApiObject[],
  modules: Map<string, ApiObject>,
  canAdd: boolean,
) {
  const childrenOf = new Map<string, ApiObject[]>();
  for (const b of bays) {
    const parent = refId(b.parent_module);
    if (parent) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), b]);
  }
  const rows: { data: Record<string, string>; cells: Html[] }[] = [];
  const walk = (list: readonly ApiObject[], depth: number): void => {
    for (const bay of list) {
      const module = modules.get(refId(bay.installed_module) ?? '');
      rows.push({
        data: { bay: String(bay.name) },
        cells: [
          html`<span style="padding-left: ${depth * 1.5}rem">${objectLink(ctx, bay, bay.name)}</span>`,
          text(bay.position),
          module
            ? objectLink(ctx, module)
            : canAdd
              ? installLink(ctx, String(bay.id))
              : html`<span class="text-muted">Empty</span>`,
          module ? objectLink(ctx, module.module_type) : EMPTY_CELL,
          module ? colorBadge(ctx, module.status) : EMPTY_CELL,
          module ? text(module.serial) : EMPTY_CELL,
          module ? text(module.asset_tag) : EMPTY_CELL,
        ],
      });
      if (module) walk(childrenOf.get(String(module.id)) ?? [], depth + 1);
    }
  };
  walk(
    bays.filter(
      (b) =>
        !refId(b.parent_module) || !bays.some((o) => refId(o.installed_module) === refId(b.parent_module)),
    ),
    0,
  );
  return rows;
}

async function bayTable(ctx: ObjectContext, bays: ApiObject[], empty: string): Promise<SafeHtml> {
  const moduleIds = bays.map((b) => refId(b.installed_module)).filter((id): id is string => !!id);
  const modules = moduleIds.length ? await ctx.api.list('dcim.module', { id: moduleIds }, { depth: 1 }) : [];
  const byId = new Map(modules.map((m) => [String(m.id), m]));
  const canAdd = await ctx.can('add', 'dcim.module');
  return dataTable({
    columns: ['Module bay', 'Position', 'Installed module', 'Module type', 'Status', 'Serial', 'Asset tag'],
    rows: bayRows(ctx, bays, byId, canAdd),
    empty,
    className: 'module-bays',
  });
}

async function deviceModuleBaysTab(ctx: ObjectContext): Promise<SafeHtml> {
  if (!(await ctx.can('view', 'dcim.modulebay')))
    return html`<div class="card">
      <div class="card-body text-muted">You do not have permission to view module bays.</div>
    </div>`;
  const bays = await ctx.api.list('dcim.modulebay', { device: String(ctx.object.id) }, { depth: 1 });
  return html`<div class="card mb-3">
    <div class="card-header fw-semibold">
      Module Bays <span class="badge text-bg-secondary">${bays.length}</span>
    </div>
    <div class="card-body p-2">${await bayTable(ctx, bays, 'This device has no module bays.')}</div>
  </div>`;
}

/** "Console Server Ports". */
function titleOf(plural: string): string {
  return plural.replace(/\b\w/g, (c) => c.toUpperCase());
}

/** A module's page: the components it carries (on the device it is installed in) and its bays. */
async function modulePanels(ctx: ObjectContext): Promise<UiPanel[]> {
  const id = String(ctx.object.id);
  const rows: { data: Record<string, string>; cells: Html[] }[] = [];
  for (const kind of MODULAR_KINDS) {
    if (!(await ctx.can('view', kind.label))) continue;
    for (const c of await ctx.api.list(kind.label, { module: id }, { depth: 1 }))
      rows.push({
        data: { component: String(c.name) },
        cells: [
          titleOf(kind.verbose_name),
          objectLink(ctx, c, c.name),
          text(c.label),
          text(choiceLabel(c.type)),
          objectLink(ctx, c.device),
          text(c.description),
        ],
      });
  }
  const panels: UiPanel[] = [
    {
      title: `Components (${rows.length})`,
      body: dataTable({
        columns: ['Kind', 'Name', 'Label', 'Type', 'Device', 'Description'],
        rows,
        empty: ctx.object.parent_module_bay
          ? 'The module type has no component templates.'
          : 'Not installed in a module bay: a module gets its components when it is installed.',
        className: 'module-components',
      }),
    },
  ];
  if (await ctx.can('view', 'dcim.modulebay')) {
    const bays = await ctx.api.list('dcim.modulebay', { parent_module: id }, { depth: 1 });
    if (bays.length)
      panels.push({
        title: `Module Bays (${bays.length})`,
        body: await bayTable(ctx, bays, 'This module has no module bays.'),
      });
  }
  return panels;
}

/** A module type's page: its component templates (every kind) and module bay templates. */
async function moduleTypePanels(ctx: ObjectContext): Promise<UiPanel[]> {
  const id = String(ctx.object.id);
  const rows: { data: Record<string, string>; cells: Html[] }[] = [];
  for (const kind of MODULAR_KINDS)
    for (const c of await ctx.api.list(kind.template_label, { module_type: id }))
      rows.push({
        data: { template: String(c.name) },
        cells: [
          titleOf(kind.verbose_name),
          objectLink(ctx, c, c.name),
          text(c.label),
          text(choiceLabel(c.type)),
        ],
      });
  for (const b of await ctx.api.list('dcim.modulebaytemplate', { module_type: id }))
    rows.push({
      data: { template: String(b.name) },
      cells: ['Module Bay', objectLink(ctx, b, b.name), text(b.label), `position ${String(b.position)}`],
    });
  return [
    {
      title: `Component Templates (${rows.length})`,
      body: dataTable({
        columns: ['Kind', 'Name', 'Label', 'Type'],
        rows,
        empty: 'This module type has no component templates.',
        className: 'module-type-templates',
      }),
    },
  ];
}

export const moduleUi: TemplateExtension[] = [
  {
    model: 'dcim.device',
    detail_tabs: [{ key: 'module-bays', label: 'Module Bays', weight: 30, render: deviceModuleBaysTab }],
  },
  { model: 'dcim.module', full_width_page: modulePanels },
  { model: 'dcim.moduletype', full_width_page: moduleTypePanels },
];
