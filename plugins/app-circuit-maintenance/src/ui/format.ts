import { html, type SafeHtml } from '@plinth/plugin-sdk';
import { IMPACTS, MAINTENANCE_STATUSES } from '../choices';
import type { OverlapWarning } from '../overlaps/overlaps';
import { describeOverlap } from '../overlaps/overlaps';

/** `2030-03-10 02:00 UTC`: maintenance windows are read across time zones, so always UTC. */
export function utc(value: unknown): string {
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const STATUS_COLORS: Readonly<Record<string, string>> = {
  TENTATIVE: 'secondary',
  CONFIRMED: 'primary',
  CANCELLED: 'dark',
  'IN-PROCESS': 'warning',
  COMPLETED: 'success',
  'RE-SCHEDULED': 'info',
  UNKNOWN: 'light',
};

const IMPACT_COLORS: Readonly<Record<string, string>> = {
  'NO-IMPACT': 'success',
  'REDUCED-REDUNDANCY': 'info',
  DEGRADED: 'warning',
  OUTAGE: 'danger',
};

/** The value of a choice field as the REST API shows it (`{value, label}`) or stored. */
function choiceValue(v: unknown): string {
  return typeof v === 'object' && v !== null ? String((v as { value: unknown }).value) : String(v ?? '');
}

export function statusBadge(v: unknown): SafeHtml {
  const value = choiceValue(v);
  const label = MAINTENANCE_STATUSES.find((c) => c.value === value)?.label ?? value;
  return html`<span class="badge text-bg-${STATUS_COLORS[value] ?? 'secondary'}">${label}</span>`;
}

export function impactBadge(v: unknown): SafeHtml {
  const value = choiceValue(v);
  const label = IMPACTS.find((c) => c.value === value)?.label ?? value;
  return html`<span class="badge text-bg-${IMPACT_COLORS[value] ?? 'secondary'}">${label}</span>`;
}

/** The overlap warnings of one maintenance (its REST `overlaps`) as an alert list. */
export function overlapAlerts(
  overlaps: unknown,
  self: string,
  link: (id: string) => string | null,
): SafeHtml {
  const list = Array.isArray(overlaps) ? (overlaps as OverlapWarning[]) : [];
  if (list.length === 0) return html``;
  return html`<div class="alert alert-warning mb-0 cm-overlap-warning" role="alert">
    <strong>Overlap warning${list.length === 1 ? '' : 's'}</strong>
    <ul class="mb-0">
      ${list.map(
        (w) =>
          html`<li>
            ${describeOverlap(w, self)}
            ${
              w.other.name !== self
                ? html`(<a href="${link(w.other.id) ?? '#'}">${w.other.name}</a>: ${utc(w.other.start_time)} –
                    ${utc(w.other.end_time)})`
                : ''
            }
          </li>`,
      )}
    </ul>
  </div>`;
}
