import { Controller, Get, Inject, NotFoundException, Optional, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UI_PAGES, html, type NavTab, type UiPages } from '@plinth/plugin-sdk';
import { CAPACITY_METRICS } from '../collection/metrics';
import { CapacitySnapshots } from '../collection/snapshot';

export const PAGE_PATH = '/plugins/capacity-metrics/';

/** Plugins → Capacity Metrics (beside Installed Plugins). */
export const capacityNavigation: NavTab[] = [
  {
    name: 'Plugins',
    groups: [
      { name: 'Capacity Metrics', weight: 50, items: [{ label: 'Capacity Metrics', link: PAGE_PATH }] },
    ],
  },
];

/**
 * The app's metrics with their series counts, the cache TTL and the last computation. Cheap: it
 * shows the cached computation and never starts one (no SQL). Staff users and superusers only,
 * as `/metrics` itself.
 */
@ApiExcludeController()
@Controller('plugins/capacity-metrics')
export class CapacityMetricsPageController {
  constructor(
    @Inject(CapacitySnapshots) private readonly snapshots: CapacitySnapshots,
    // Absent in the worker and CLI, which serve no pages.
    @Optional() @Inject(UI_PAGES) private readonly pages?: UiPages,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response) {
    if (!this.pages) throw new NotFoundException();
    const user = this.pages.context(req).user;
    const breadcrumbs = [{ label: 'Plugins' }, { label: 'Capacity Metrics' }];
    if (!user?.is_staff && !user?.is_superuser) {
      res.status(403);
      const body = html`<p class="capacity-forbidden">Capacity metrics are shown to staff users only.</p>`;
      res.type('html').send(await this.pages.render(req, { title: 'Capacity Metrics', body, breadcrumbs }));
      return;
    }
    const last = this.snapshots.last();
    const { cache_ttl_seconds, max_series } = this.snapshots.settings;
    const computations = this.snapshots.computations;
    const summary = html`<dl class="row capacity-summary">
      <dt class="col-sm-3">Cache TTL</dt>
      <dd class="col-sm-9">${cache_ttl_seconds} s</dd>
      <dt class="col-sm-3">Series per metric</dt>
      <dd class="col-sm-9">at most ${max_series} (the rest summed into <code>other</code>)</dd>
      <dt class="col-sm-3">Last computed</dt>
      <dd class="col-sm-9 capacity-last-computed">
        ${
          last
            ? html`${last.computed_at.toISOString()} (${last.duration_seconds.toFixed(3)} s, ${last.queries}
              SQL statements; ${computations} computation${computations === 1 ? '' : 's'} by this process)`
            : html`<span class="text-muted"
                >not yet: the first scrape of <code>/metrics</code> computes them</span
              >`
        }
      </dd>
    </dl>`;
    const rows = CAPACITY_METRICS.map((m) => {
      const series = last ? m.samples(last, this.snapshots).length : null;
      return html`<tr>
        <td><code>${m.name}</code></td>
        <td>${m.type}</td>
        <td>${m.labelNames.join(', ')}</td>
        <td class="text-end">${series === null ? html`<span class="text-muted">—</span>` : series}</td>
        <td>${m.help}</td>
      </tr>`;
    });
    const body = html`${summary}
      <table class="table table-sm table-hover capacity-metrics">
        <thead>
          <tr>
            <th>Metric</th>
            <th>Type</th>
            <th>Labels</th>
            <th class="text-end">Series</th>
            <th>Description</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`;
    res.type('html').send(await this.pages.render(req, { title: 'Capacity Metrics', body, breadcrumbs }));
  }
}
