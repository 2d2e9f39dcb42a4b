import { html, unsafeHtml, type Html, type SafeHtml, type UiContext } from './ui';
import type { ApiObject } from './reads';

/**
 * Where to send the browser back to (`?next=`, `return_url`): a path on this site, never another
 * origin (`//evil`, `/\\evil`, `https://…`); anything else is the fallback.
 */
export function safeReturn(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') && !v.includes('\\')
    ? v
    : fallback;
}

/**
 * Building blocks for the markup of UI contributions (Bootstrap classes, the same look as the
 * generated pages). Everything goes through `html`, so data is always escaped.
 */

/** The dash generated pages show for an empty value. */
export const EMPTY_CELL: SafeHtml = html`<span class="text-muted">—</span>`;

function isObject(v: unknown): v is ApiObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A link to an object as the REST API shows it (`{id, object_type, display}`, e.g. a reference
 * read with depth ≥ 1), labelled with `text` or its display; the empty dash for null.
 */
export function objectLink(ctx: UiContext, obj: unknown, text?: unknown): SafeHtml {
  if (!isObject(obj) || typeof obj.id !== 'string') return EMPTY_CELL;
  const label = text ?? obj.display ?? obj.name ?? obj.id;
  const url = typeof obj.object_type === 'string' ? ctx.url(obj.object_type, obj.id) : null;
  return url ? html`<a href="${url}">${label}</a>` : html`${label}`;
}

/** The label of a choice value as the API shows it (`{value, label}`), else the value itself. */
export function choiceLabel(v: unknown): string {
  if (isObject(v) && 'label' in v) return String(v.label);
  return v === null || v === undefined ? '' : String(v);
}

/** The value of a choice as the API shows it (`{value, label}`), else the value itself. */
export function choiceValue(v: unknown): unknown {
  return isObject(v) && 'value' in v ? v.value : v;
}

/** Black or white, whichever reads better on a 6-hex background colour. */
export function textColorOn(hex: string): string {
  const n = parseInt(/^[0-9a-f]{6}$/i.test(hex) ? hex : '9e9e9e', 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return r * 0.299 + g * 0.587 + b * 0.114 > 150 ? '#000' : '#fff';
}

/** A coloured badge for an object with a `color` (status, role, tag), linked to it. */
export function colorBadge(ctx: UiContext, obj: unknown): SafeHtml {
  if (!isObject(obj) || typeof obj.id !== 'string') return EMPTY_CELL;
  const color = typeof obj.color === 'string' && /^[0-9a-f]{6}$/i.test(obj.color) ? obj.color : null;
  if (!color) return objectLink(ctx, obj);
  const style = `background-color:#${color};color:${textColorOn(color)}`;
  const url = typeof obj.object_type === 'string' ? ctx.url(obj.object_type, obj.id) : null;
  const label = obj.display ?? obj.name;
  return url
    ? html`<a class="badge text-decoration-none" style="${style}" href="${url}">${label}</a>`
    : html`<span class="badge" style="${style}">${label}</span>`;
}

/**
 * A utilization bar (Nautobot's): green, then amber from 80 %, red from 95 %; the text gives the
 * percentage, `title` the detail.
 */
export function utilizationBar(percent: number, title = ''): SafeHtml {
  const p = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
  const color = p >= 95 ? 'danger' : p >= 80 ? 'warning' : 'success';
  const text = `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
  return html`<div
    class="progress utilization"
    role="progressbar"
    aria-label="Utilization"
    aria-valuenow="${p}"
    aria-valuemin="0"
    aria-valuemax="100"
    title="${title}"
    style="min-width:6rem"
  >
    <div class="progress-bar text-bg-${color}" style="width:${p}%">${p >= 25 ? text : ''}</div>
    ${p < 25 ? html`<span class="ms-1 small">${text}</span>` : ''}
  </div>`;
}

export interface TableRow {
  cells: readonly Html[];
  /** Bootstrap row class (`table-success` for an available range, ...). */
  className?: string;
  /** `data-*` attributes of the row (names without the prefix). */
  data?: Readonly<Record<string, string | number>>;
}

/**
 * A row of free space among listed objects (addresses, prefixes, VLAN IDs): the link that adds
 * an object there, a green badge, and the table's other columns empty.
 */
export function availableRow(link: Html, badge: string, columns: number, data?: TableRow['data']): TableRow {
  return {
    className: 'available table-success',
    data,
    cells: [
      link,
      html`<span class="badge text-bg-success">${badge}</span>`,
      ...Array<Html>(columns - 2).fill(''),
    ],
  };
}

export interface DataTable {
  columns: readonly string[];
  rows: readonly (TableRow | readonly Html[])[];
  /** Shown in a single row when there are no rows. */
  empty?: string;
  /** Extra class of the `<table>`, for pages and tests to find it. */
  className?: string;
}

function dataAttrs(data: TableRow['data']): SafeHtml {
  if (!data) return html``;
  return unsafeHtml(
    Object.entries(data)
      .filter(([k]) => /^[a-z][a-z0-9-]*$/.test(k))
      .map(([k, v]) => html` data-${unsafeHtml(k)}="${v}"`.html)
      .join(''),
  );
}

function cellMarkup(v: Html): SafeHtml {
  return typeof v === 'string' ? html`${v}` : v;
}

/** A small table as the generated pages draw them. */
export function dataTable(t: DataTable): SafeHtml {
  const rows = t.rows.map((r) => (Array.isArray(r) ? { cells: r as readonly Html[] } : (r as TableRow)));
  return html`<div class="table-responsive">
    <table class="table table-sm table-hover align-middle mb-0 ${t.className ?? ''}">
      <thead>
        <tr>
          ${t.columns.map((c) => html`<th>${c}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${
          rows.length
            ? rows.map(
                (r) =>
                  html`<tr${r.className ? html` class="${r.className}"` : ''}${dataAttrs(r.data)}>
                  ${r.cells.map((c) => html`<td>${cellMarkup(c)}</td>`)}
                </tr>`,
              )
            : html`<tr>
                <td colspan="${t.columns.length}" class="text-muted text-center py-3">
                  ${t.empty ?? 'None'}
                </td>
              </tr>`
        }
      </tbody>
    </table>
  </div>`;
}
