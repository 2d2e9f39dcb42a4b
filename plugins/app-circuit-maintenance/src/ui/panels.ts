import { Injectable } from '@nestjs/common';
import {
  html,
  type ApiObject,
  type HomePanel,
  type ListContext,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiButton,
  type UiContext,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { ACTIVE_STATUSES } from '../choices';
import { maintenanceSettings, type MaintenanceSettings } from '../settings';
import { impactBadge, overlapAlerts, statusBadge, utc } from './format';

const MAINTENANCE = 'circuit_maintenance.circuitmaintenance';
const IMPACT = 'circuit_maintenance.circuitimpact';
const RAW = 'circuit_maintenance.rawnotification';

/**
 * Maintenances that have not ended and start within `days`, not cancelled or completed, as the
 * user may view them (the REST representation, with their overlap warnings).
 */
async function upcoming(
  ctx: UiContext,
  days: number,
  filters: Readonly<Record<string, string>> = {},
): Promise<ApiObject[]> {
  const now = new Date();
  const until = new Date(now.getTime() + days * 86_400_000);
  return ctx.api.list(
    MAINTENANCE,
    {
      ...filters,
      end_time__gte: now.toISOString(),
      start_time__lte: until.toISOString(),
      status: [...ACTIVE_STATUSES],
    },
    { depth: 1, sort: ['start_time'], limit: 50 },
  );
}

function ref(o: unknown): { id: string; display: string } | null {
  return typeof o === 'object' && o !== null ? (o as { id: string; display: string }) : null;
}

/** A table of maintenances with their windows, status and overlap warnings. */
function maintenanceTable(ctx: UiContext, rows: readonly ApiObject[], days: number, what: string): SafeHtml {
  if (rows.length === 0)
    return html`<p class="text-muted mb-0 cm-upcoming-empty">
      No maintenance ${what} in the next ${days} days.
    </p>`;
  return html`<div class="table-responsive">
    <table class="table table-sm small mb-0 cm-upcoming">
      <thead>
        <tr>
          <th>Maintenance</th>
          <th>Provider</th>
          <th>Window</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((m) => {
          const warnings = Array.isArray(m.overlaps) ? m.overlaps.length : 0;
          return html`<tr>
            <td>
              <a href="${ctx.url(MAINTENANCE, String(m.id)) ?? '#'}">${String(m.name)}</a>
              ${
                warnings
                  ? html`<span
                      class="badge text-bg-warning cm-overlap-badge"
                      title="${warnings} overlap warning${warnings === 1 ? '' : 's'}"
                      >⚠ ${warnings} overlap${warnings === 1 ? '' : 's'}</span
                    >`
                  : ''
              }
            </td>
            <td>${ref(m.provider)?.display ?? '—'}</td>
            <td class="text-nowrap small">${utc(m.start_time)}<br />${utc(m.end_time)}</td>
            <td>${statusBadge(m.status)}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** The home page's upcoming maintenances. */
@Injectable()
export class UpcomingMaintenancePanel implements HomePanel {
  readonly title = 'Upcoming circuit maintenance';
  readonly weight = 450;
  readonly permissions = ['circuit_maintenance.view_circuitmaintenance'];

  constructor(@maintenanceSettings.inject() private readonly settings: MaintenanceSettings) {}

  async render(ctx: UiContext): Promise<SafeHtml> {
    const days = this.settings.upcoming_days;
    return maintenanceTable(ctx, await upcoming(ctx, days), days, 'scheduled');
  }
}

/**
 * Circuit and provider pages: their upcoming maintenances. Maintenance pages: the impacted
 * circuits and the overlap warnings.
 */
@Injectable()
export class MaintenancePanels implements TemplateExtension {
  readonly model = ['circuits.circuit', 'circuits.provider', MAINTENANCE];

  constructor(@maintenanceSettings.inject() private readonly settings: MaintenanceSettings) {}

  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (ctx.model.label === MAINTENANCE) return this.impacts(ctx);
    if (!(await ctx.can('view', MAINTENANCE))) return null;
    const days = this.settings.upcoming_days;
    const key = ctx.model.label === 'circuits.circuit' ? 'circuit' : 'provider';
    const rows = await upcoming(ctx, days, { [key]: String(ctx.object.id) });
    return {
      title: 'Upcoming maintenance',
      body: maintenanceTable(ctx, rows, days, `for this ${key}`),
    };
  }

  /** The maintenance list links the upload page. */
  async list_buttons(ctx: ListContext): Promise<UiButton[]> {
    if (ctx.model.label !== MAINTENANCE || !(await ctx.can('add', RAW))) return [];
    return [{ label: 'Upload notification', link: '/plugins/circuit-maintenance/upload/', color: 'info' }];
  }

  async full_width_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (ctx.model.label !== MAINTENANCE) return null;
    const [self] = await ctx.api.list(MAINTENANCE, { id: String(ctx.object.id) });
    const alerts = overlapAlerts(self?.overlaps, String(ctx.object.name), (id) => ctx.url(MAINTENANCE, id));
    if (!alerts.html) return null;
    return { title: 'Overlaps', body: alerts };
  }

  private async impacts(ctx: ObjectContext): Promise<UiPanel> {
    const rows = await ctx.api.list(IMPACT, { maintenance: String(ctx.object.id) }, { depth: 1 });
    const add = (await ctx.can('add', IMPACT))
      ? html`<a
          class="btn btn-sm btn-success mt-2"
          href="${ctx.url(IMPACT) ?? ''}add/?maintenance=${String(ctx.object.id)}"
          >Add circuit impact</a
        >`
      : '';
    return {
      title: 'Circuit impacts',
      body: html`${
        rows.length
          ? html`<table class="table table-sm mb-0 cm-impacts">
              <thead>
                <tr>
                  <th>Circuit</th>
                  <th>Impact</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => {
                  const c = ref(r.circuit);
                  return html`<tr>
                    <td>
                      <a href="${c ? (ctx.url('circuits.circuit', c.id) ?? '#') : '#'}"
                        >${c?.display ?? ''}</a
                      >
                    </td>
                    <td><a href="${ctx.url(IMPACT, String(r.id)) ?? '#'}">${impactBadge(r.impact)}</a></td>
                  </tr>`;
                })}
              </tbody>
            </table>`
          : html`<p class="text-muted mb-0">No circuits recorded.</p>`
      }
      ${add}`,
    };
  }
}
