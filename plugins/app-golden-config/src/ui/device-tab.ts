import { Injectable } from '@nestjs/common';
import { html, type ApiObject, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';
import { diffTable } from './side-by-side';

/** The name of a nested reference (`rule.feature.name` at depth 2). */
function nested(obj: unknown, ...keys: string[]): string {
  let v: unknown = obj;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v === undefined || v === null ? '' : String(v);
}

function when(value: unknown): string {
  return value ? new Date(String(value)).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—';
}

export function complianceBadge(compliant: boolean) {
  return compliant
    ? html`<span class="badge text-bg-success">Compliant</span>`
    : html`<span class="badge text-bg-danger">Non-compliant</span>`;
}

function resultsTable(ctx: ObjectContext, results: readonly ApiObject[]) {
  if (!results.length)
    return html`<p class="text-muted mb-0">No compliance results: run the compliance job.</p>`;
  const lines = (text: unknown) =>
    text ? html`<pre class="mb-0 small">${String(text)}</pre>` : html`<span class="text-muted">—</span>`;
  return html`<table class="table table-sm table-hover mb-0 golden-config-results">
    <thead>
      <tr>
        <th>Feature</th>
        <th>Status</th>
        <th>Ordered</th>
        <th>Missing</th>
        <th>Extra</th>
      </tr>
    </thead>
    <tbody>
      ${results.map(
        (r) =>
          html`<tr>
            <td>
              <a href="${ctx.url('golden_config.configcompliance', String(r.id)) ?? '#'}"
                >${nested(r, 'rule', 'feature', 'name')}</a
              >
            </td>
            <td>${complianceBadge(r.compliance === true)}</td>
            <td>${r.ordered ? 'Yes' : 'No'}</td>
            <td>${lines(r.missing)}</td>
            <td>${lines(r.extra)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * A "Golden Config" tab on device pages: the device's compliance per feature and a side-by-side
 * diff of its intended and backup configurations (what the user may view of them).
 */
@Injectable()
export class DeviceGoldenConfigTab implements TemplateExtension {
  readonly model = 'dcim.device';

  readonly detail_tabs = [
    {
      key: 'golden-config',
      label: 'Golden Config',
      weight: 500,
      render: (ctx: ObjectContext) => this.render(ctx),
    },
  ];

  private async render(ctx: ObjectContext) {
    const device = String(ctx.object.id);
    const [golden] = await ctx.api.list('golden_config.goldenconfig', { device }, { limit: 1 });
    if (!golden)
      return html`<div class="card">
        <div class="card-body text-muted golden-config-empty">
          No golden configuration for ${ctx.display} yet: sync a repository providing its backup and run
          “Generate intended configurations”.
        </div>
      </div>`;
    const results = await ctx.api.list(
      'golden_config.configcompliance',
      { device },
      { depth: 2, limit: 1000 },
    );
    results.sort((a, b) =>
      nested(a, 'rule', 'feature', 'name').localeCompare(nested(b, 'rule', 'feature', 'name')),
    );
    const compliant = results.filter((r) => r.compliance === true).length;
    return html`<div class="card mb-3">
        <div class="card-header fw-semibold">Compliance</div>
        <div class="card-body">
          <p class="golden-config-summary">
            ${compliant} of ${results.length} features compliant · intended
            ${when(golden.intended_last_success_date)} · backup ${when(golden.backup_last_success_date)} ·
            compliance ${when(golden.compliance_last_success_date)}
          </p>
          ${resultsTable(ctx, results)}
        </div>
      </div>
      <div class="card">
        <div class="card-header fw-semibold">Intended vs backup configuration</div>
        <div class="card-body p-0 table-responsive">
          ${diffTable(String(golden.intended_config ?? ''), String(golden.backup_config ?? ''), [
            'Intended',
            'Backup',
          ])}
        </div>
      </div>`;
  }
}
