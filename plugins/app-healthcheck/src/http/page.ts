import { html, type SafeHtml } from '@plinth/plugin-sdk';
import type { CheckOutcome, HealthReport } from '../runner';

const BADGE: Record<CheckOutcome['status'], string> = {
  ok: 'text-bg-success',
  failing: 'text-bg-danger',
  skipped: 'text-bg-secondary',
};

function badge(status: CheckOutcome['status']): SafeHtml {
  return html`<span class="badge ${BADGE[status]} healthcheck-status">${status}</span>`;
}

function figures(c: CheckOutcome): SafeHtml | string {
  if (!c.data) return '';
  return html`<table class="table table-sm table-borderless small mb-0 w-auto healthcheck-figures">
    <tbody>
      ${Object.entries(c.data).map(
        ([k, v]) =>
          html`<tr>
            <th class="fw-normal text-muted py-0 pe-3">${k}</th>
            <td class="py-0 text-break">${String(v)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function overall(report: HealthReport): SafeHtml {
  const failing = report.checks.filter((c) => c.status === 'failing').map((c) => c.name);
  return report.status === 'ok'
    ? html`<div class="alert alert-success healthcheck-overall" role="status">
        <strong>Healthy</strong>: every enabled check passes.
      </div>`
    : html`<div class="alert alert-danger healthcheck-overall" role="alert">
        <strong>Unhealthy</strong>: failing ${failing.length === 1 ? 'check' : 'checks'}
        ${failing.join(', ')}.
      </div>`;
}

/** The public summary: check names and statuses only (no messages, figures, paths or versions). */
export function summaryBody(report: HealthReport, loggedIn: boolean): SafeHtml {
  return html`${overall(report)}
    <div class="card">
      <table class="table table-hover mb-0 healthcheck-table">
        <thead>
          <tr>
            <th>Check</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          ${report.checks.map(
            (c) =>
              html`<tr data-check="${c.name}">
                <td>${c.label} <span class="text-muted small">(${c.name})</span></td>
                <td>${badge(c.status)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="mt-3 small text-muted">
      Checked at ${report.checked_at}.
      ${
        loggedIn
          ? html`<a href="/plugins/healthcheck/detail/">Details</a> (messages, durations, figures).`
          : 'Log in for details.'
      }
      JSON: <code>?format=json</code>.
    </p>`;
}

/** The detail page for authenticated users: each check's message, duration and figures. */
export function detailBody(report: HealthReport): SafeHtml {
  return html`${overall(report)}
    <div class="card">
      <table class="table table-hover mb-0 healthcheck-table">
        <thead>
          <tr>
            <th>Check</th>
            <th>Status</th>
            <th>Message</th>
            <th class="text-end">Duration</th>
            <th>Figures</th>
          </tr>
        </thead>
        <tbody>
          ${report.checks.map(
            (c) =>
              html`<tr data-check="${c.name}">
                <td>
                  ${c.label}
                  <div class="text-muted small">${c.name} · ${c.plugin}</div>
                </td>
                <td>${badge(c.status)}</td>
                <td class="healthcheck-message">${c.message}</td>
                <td class="text-end text-nowrap">${c.duration_ms} ms</td>
                <td>${figures(c)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <p class="mt-3 small text-muted">
      Checked at ${report.checked_at}. <a href="/plugins/healthcheck/">Summary</a> · JSON:
      <code>?format=json</code>.
    </p>`;
}
