import {
  EMPTY_CELL,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
} from '@plinth/plugin-sdk';

function text(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

function parentId(o: ApiObject): string | null {
  const id = (o.parent as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/** The device's items depth-first: each parent before its children, siblings in list order (by name). */
export function inventoryTree(items: readonly ApiObject[]): { item: ApiObject; depth: number }[] {
  const ids = new Set(items.map((i) => String(i.id)));
  const children = new Map<string | null, ApiObject[]>();
  for (const i of items) {
    // An item whose parent is not shown (not viewable) is shown at the top level.
    const p = parentId(i);
    const key = p && ids.has(p) ? p : null;
    children.set(key, [...(children.get(key) ?? []), i]);
  }
  const out: { item: ApiObject; depth: number }[] = [];
  const walk = (key: string | null, depth: number): void => {
    for (const item of children.get(key) ?? []) {
      out.push({ item, depth });
      walk(String(item.id), depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

async function inventoryTab(ctx: ObjectContext): Promise<SafeHtml> {
  if (!(await ctx.can('view', 'dcim.inventoryitem')))
    return html`<div class="card mb-3">
      <div class="card-body text-muted">You do not have permission to view inventory items.</div>
    </div>`;
  const deviceId = String(ctx.object.id);
  const items = await ctx.api.list('dcim.inventoryitem', { device: deviceId }, { depth: 1 });
  const rows = inventoryTree(items).map(({ item, depth }) => ({
    data: { item: String(item.name), depth: String(depth) },
    cells: [
      html`<span class="tree-indent" data-depth="${depth}"
          >${Array.from({ length: depth }, () => html`<span class="tree-step"></span>`)}</span
        >${objectLink(ctx, item, item.name)}`,
      text(item.label),
      item.manufacturer ? objectLink(ctx, item.manufacturer) : EMPTY_CELL,
      text(item.part_id),
      text(item.serial),
      text(item.asset_tag),
      item.discovered ? html`<span class="text-success">✔</span>` : html`<span class="text-muted">✘</span>`,
      text(item.description),
    ],
  }));
  const add = (await ctx.can('add', 'dcim.inventoryitem')) ? ctx.url('dcim.inventoryitem') : null;
  return html`<div class="card mb-3">
    <div class="card-header fw-semibold">
      Inventory items <span class="badge text-bg-secondary">${items.length}</span>
      ${add ? html`<a class="btn btn-sm btn-primary float-end" href="${add}add/?device=${deviceId}">Add inventory item</a>` : ''}
    </div>
    <div class="card-body p-2">
      ${dataTable({
        columns: [
          'Name',
          'Label',
          'Manufacturer',
          'Part ID',
          'Serial number',
          'Asset tag',
          'Discovered',
          'Description',
        ],
        rows,
        className: 'device-inventory',
        empty: 'This device has no inventory items.',
      })}
    </div>
  </div>`;
}

/** The device page's Inventory tab: the device's inventory items as a tree. */
export const deviceInventoryTab: TemplateExtension = {
  model: 'dcim.device',
  detail_tabs: [{ key: 'inventory', label: 'Inventory', weight: 30, render: inventoryTab }],
};
