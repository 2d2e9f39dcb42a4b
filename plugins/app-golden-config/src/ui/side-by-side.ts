import { diffArrays } from 'diff';
import { html, type SafeHtml } from '@plinth/plugin-sdk';

/** One row of a side-by-side diff: a line on the left, the right, or both. */
export interface DiffRow {
  kind: 'same' | 'changed' | 'left' | 'right';
  left: { number: number; text: string } | null;
  right: { number: number; text: string } | null;
}

function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
}

/**
 * Pair the lines of two texts for a side-by-side view (the `diff` library finds the longest
 * common subsequence): removed and added runs are shown beside each other as changed rows, what
 * is left of the longer run on its own side.
 */
export function sideBySide(left: string, right: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  const parts = diffArrays(lines(left), lines(right));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const text of part.value)
        rows.push({ kind: 'same', left: { number: l++, text }, right: { number: r++, text } });
      continue;
    }
    const removed = part.removed ? part.value : [];
    const next = parts[i + 1];
    const added = part.added ? part.value : next?.added ? next.value : [];
    if (part.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const a = k < removed.length ? { number: l++, text: removed[k] } : null;
      const b = k < added.length ? { number: r++, text: added[k] } : null;
      rows.push({ kind: a && b ? 'changed' : a ? 'left' : 'right', left: a, right: b });
    }
  }
  return rows;
}

const CLASSES: Record<DiffRow['kind'], [string, string]> = {
  same: ['', ''],
  changed: ['table-danger', 'table-success'],
  left: ['table-danger', 'table-light'],
  right: ['table-light', 'table-success'],
};

/** The side-by-side diff as an HTML table (every line escaped). */
export function diffTable(left: string, right: string, titles: [string, string]): SafeHtml {
  const rows = sideBySide(left, right);
  const cell = (side: DiffRow['left'], cls: string) =>
    side
      ? html`<td class="text-muted text-end user-select-none ${cls}">${side.number}</td>
          <td class="${cls}"><code class="text-body" style="white-space: pre">${side.text}</code></td>`
      : html`<td class="${cls}"></td>
          <td class="${cls}"></td>`;
  return html`<table class="table table-sm table-bordered golden-config-diff mb-0" style="font-size: 0.8rem">
    <thead>
      <tr>
        <th colspan="2" style="width: 50%">${titles[0]}</th>
        <th colspan="2" style="width: 50%">${titles[1]}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr class="diff-${row.kind}">
            ${cell(row.left, CLASSES[row.kind][0])}${cell(row.right, CLASSES[row.kind][1])}
          </tr>`,
      )}
    </tbody>
  </table>`;
}
