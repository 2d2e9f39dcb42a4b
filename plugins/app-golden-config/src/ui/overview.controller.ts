import { Controller, Get, Inject, NotFoundException, Optional, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UI_PAGES, html, type ApiObject, type UiContext, type UiPages } from '@plinth/plugin-sdk';

export const OVERVIEW_PATH = '/plugins/golden-config/overview/';

function ref(obj: unknown, key: string): Record<string, unknown> | null {
  const v = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : null;
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
}

/** The devices × features matrix: a cell per device and feature, from the compliance results. */
async function matrix(ctx: UiContext) {
  const features = await ctx.api.list('golden_config.compliancefeature', {}, { limit: 1000 });
  const results = await ctx.api.list('golden_config.configcompliance', {}, { depth: 2, limit: 1000 });
  const devices = new Map<string, { id: string; name: string }>();
  const cells = new Map<string, ApiObject>();
  for (const r of results) {
    const device = ref(r, 'device');
    const feature = ref(ref(r, 'rule'), 'feature');
    if (!device || !feature) continue;
    devices.set(String(device.id), { id: String(device.id), name: String(device.display ?? device.name) });
    cells.set(`${String(device.id)}/${String(feature.id)}`, r);
  }
  const rows = [...devices.values()].sort((a, b) => a.name.localeCompare(b.name));
  const total = results.length;
  const ok = results.filter((r) => r.compliance === true).length;
  const cell = (device: string, feature: string) => {
    const r = cells.get(`${device}/${feature}`);
    if (!r)
      return html`<td class="text-center text-muted golden-config-cell-missing" title="No rule or result">
        —
      </td>`;
    const link = ctx.url('golden_config.configcompliance', String(r.id)) ?? '#';
    return r.compliance === true
      ? html`<td class="text-center table-success golden-config-cell-compliant">
          <a href="${link}" class="text-success-emphasis text-decoration-none" title="Compliant">✔</a>
        </td>`
      : html`<td class="text-center table-danger golden-config-cell-noncompliant">
          <a href="${link}" class="text-danger-emphasis text-decoration-none" title="Non-compliant">✘</a>
        </td>`;
  };
  return html`<p class="golden-config-overview-summary">
      ${rows.length} devices · ${ok} of ${total} results
      compliant${total ? html` (${Math.round((ok / total) * 100)} %)` : ''}
    </p>
    ${
      rows.length
        ? html`<div class="table-responsive">
            <table class="table table-sm table-bordered w-auto golden-config-matrix">
              <thead>
                <tr>
                  <th>Device</th>
                  ${features.map((f) => html`<th class="text-center">${String(f.name)}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (d) =>
                    html`<tr>
                      <td>
                        <a href="${ctx.url('dcim.device', d.id) ?? '#'}?tab=golden-config">${d.name}</a>
                      </td>
                      ${features.map((f) => cell(d.id, String(f.id)))}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="text-muted">No compliance results yet: run the “Run compliance” job.</p>`
    }`;
}

/** `/plugins/golden-config/overview/`: the compliance overview inside the Plinth layout. */
@ApiExcludeController()
@Controller('plugins/golden-config')
export class OverviewPageController {
  constructor(@Optional() @Inject(UI_PAGES) private readonly pages?: UiPages) {}

  @Get('overview')
  async overview(@Req() req: Request, @Res() res: Response) {
    if (!this.pages) throw new NotFoundException();
    const ctx = this.pages.context(req);
    const allowed = await ctx.can('view', 'golden_config.configcompliance');
    if (!allowed) res.status(403);
    const body = allowed
      ? await matrix(ctx)
      : html`<p class="text-muted">You may not view compliance results.</p>`;
    res.type('html').send(
      await this.pages.render(req, {
        title: 'Compliance overview',
        body,
        breadcrumbs: [{ label: 'Golden Config' }, { label: 'Compliance overview' }],
      }),
    );
  }
}
