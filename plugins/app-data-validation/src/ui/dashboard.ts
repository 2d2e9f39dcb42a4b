import { Controller, Get, Inject, NotFoundException, Optional, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  EMPTY_CELL,
  UI_PAGES,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type NavTab,
  type UiContext,
  type UiPages,
} from '@plinth/plugin-sdk';
import { AUDIT_JOB } from '../audit/audit-job';
import { auditResultModel } from '../audit/models';
import { labelOf } from '../rules/label';
import { RULE_MODELS } from '../rules/models';

/** The app's tab: one item per rule model (with add/import buttons), the results and the dashboard. */
export const dataValidationNavigation: NavTab[] = [
  {
    name: 'Data Validation',
    weight: 1050,
    groups: [
      {
        name: 'Rules',
        items: RULE_MODELS.map((m) => ({ model: labelOf(m) })),
      },
      {
        name: 'Audit',
        items: [
          {
            label: 'Dashboard',
            link: '/plugins/data-validation/',
            permissions: [`data_validation.view_${auditResultModel.model}`],
          },
          { model: labelOf(auditResultModel) },
        ],
      },
    ],
  },
];

const KIND_NAMES: Record<string, string> = Object.fromEntries(
  RULE_MODELS.map((m) => [labelOf(m), m.verbose_name ?? m.model]),
);

/** One row of the dashboard: a rule, and its latest audit result if any. */
interface DashboardRow {
  rule: ApiObject;
  kind: string;
  result: ApiObject | undefined;
}

async function dashboardRows(ctx: UiContext): Promise<DashboardRow[]> {
  const results = await ctx.api.list(auditResultModel.label, {}, { limit: 1000 });
  const byRule = new Map(results.map((r) => [String(r.rule_id), r]));
  const rows: DashboardRow[] = [];
  for (const m of RULE_MODELS) {
    for (const rule of await ctx.api.list(m.label, {}, { limit: 1000 }))
      rows.push({ rule, kind: KIND_NAMES[labelOf(m)], result: byRule.get(String(rule.id)) });
  }
  // Most violations first; rules never audited last.
  return rows.sort(
    (a, b) =>
      Number(b.result?.violations ?? -1) - Number(a.result?.violations ?? -1) ||
      String(a.rule.name).localeCompare(String(b.rule.name)),
  );
}

/** `/plugins/data-validation/`: violations per rule from the latest audit, with the rule and its objects. */
@ApiExcludeController()
@Controller('plugins/data-validation')
export class DataValidationDashboardController {
  // Absent in the worker and the CLI, which serve no pages.
  constructor(@Optional() @Inject(UI_PAGES) private readonly pages?: UiPages) {}

  @Get()
  async dashboard(@Req() req: Request, @Res() res: Response) {
    if (!this.pages) throw new NotFoundException();
    const ctx = this.pages.context(req);
    if (!(await ctx.can('view', auditResultModel.label))) {
      res
        .status(403)
        .type('html')
        .send(
          await this.pages.render(req, {
            title: 'Data Validation',
            body: html`<p class="text-danger">You may not view rule audit results.</p>`,
          }),
        );
      return;
    }
    const rows = await dashboardRows(ctx);
    const audited = rows
      .map((r) => r.result?.created)
      .filter((c): c is string => typeof c === 'string')
      .sort();
    const last = audited.at(-1);
    const total = rows.reduce((n, r) => n + Number(r.result?.violations ?? 0), 0);
    const [job] = await ctx.api.list('extras.job', { job_class_name: AUDIT_JOB });
    const jobPage = job ? ctx.url('extras.job', String(job.id)) : null;
    const body = html`<div class="d-flex align-items-center gap-3 mb-3">
        <div class="data-validation-summary">
          ${
            last
              ? html`Latest audit:
                  <strong>${new Date(last).toISOString().replace('T', ' ').slice(0, 19)} UTC</strong>,
                  <strong class="data-validation-total">${total}</strong> violation${total === 1 ? '' : 's'}.`
              : html`No audit has run yet.`
          }
        </div>
        ${
          jobPage
            ? html`<a class="btn btn-sm btn-primary ms-auto data-validation-run" href="${jobPage}"
                >Run the audit job</a
              >`
            : ''
        }
      </div>
      <div class="card">
        <div class="card-header fw-semibold">Violations per rule</div>
        ${dataTable({
          className: 'data-validation-dashboard',
          columns: ['Rule', 'Kind', 'Model', 'Field', 'Enabled', 'Checked', 'Violations', 'Examples'],
          empty: 'No rules yet.',
          rows: rows.map(({ rule, kind, result }) => ({
            data: { rule: String(rule.name), violations: result ? Number(result.violations) : '' },
            cells: [
              objectLink(ctx, rule),
              kind,
              String(rule.content_type),
              String(rule.field),
              rule.enabled ? 'yes' : html`<span class="text-muted">no</span>`,
              result ? String(result.checked) : EMPTY_CELL,
              result
                ? html`<span class="badge text-bg-${Number(result.violations) ? 'danger' : 'success'}"
                    >${String(result.violations)}</span
                  >`
                : html`<span class="text-muted">not audited</span>`,
              examples(ctx, result),
            ],
          })),
        })}
      </div>`;
    res.type('html').send(
      await this.pages.render(req, {
        title: 'Data Validation',
        body,
        breadcrumbs: [{ label: 'Plugins' }, { label: 'Data Validation' }],
      }),
    );
  }
}

/** Links to the first few violating objects of a result. */
function examples(ctx: UiContext, result: ApiObject | undefined) {
  const list = Array.isArray(result?.violating_objects) ? (result.violating_objects as ApiObject[]) : [];
  if (!list.length) return EMPTY_CELL;
  const shown = list.slice(0, 5);
  return html`${shown.map((o, i) => html`${i ? ', ' : ''}${objectLink(ctx, o)}`)}${
    list.length > shown.length
      ? html` <span class="text-muted">and ${Number(result?.violations) - shown.length} more</span>`
      : ''
  }`;
}
