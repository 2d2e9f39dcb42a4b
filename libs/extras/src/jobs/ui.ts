import { Injectable } from '@nestjs/common';
import {
  InjectModels,
  InjectRegistry,
  Jobs,
  html,
  type ApiObject,
  type JobDefinition,
  type JobVariable,
  type ModelLookup,
  type ObjectContext,
  type Registry,
  type SafeHtml,
  type TemplateExtension,
  type UiButton,
  type ViewOverride,
  type UiContext,
} from '@plinth/plugin-sdk';
import { variableLabel } from './variables';
import { SCHEDULE_INTERVALS } from './entities';

const LEVEL_CLASS: Record<string, string> = {
  debug: 'secondary',
  info: 'info',
  success: 'success',
  warning: 'warning',
  failure: 'danger',
};
const SCHEDULE_CHOICES: readonly (readonly [string, string])[] = SCHEDULE_INTERVALS.map((c) => [
  String(c.value),
  c.label,
]);
const DONE = new Set(['SUCCESS', 'FAILURE', 'REVOKED']);

/** A choice field's value as the API shows it (`{value, label}`). */
function choiceValue(v: unknown): string {
  return v && typeof v === 'object' ? String((v as { value: unknown }).value) : String(v);
}

/**
 * A result's status and log table. While the run is not finished the wrapper carries
 * `data-poll-url`, and plinth.js replaces it with a fresh copy every second.
 */
export async function renderJobLog(ctx: UiContext, result: ApiObject): Promise<SafeHtml> {
  const mayCancel = await ctx.can('run', 'extras.job');
  const entries = await ctx.api.list(
    'extras.joblogentry',
    { job_result: String(result.id) },
    { limit: 1000 },
  );
  const status = choiceValue(result.status);
  const done = DONE.has(status);
  const statusClass = status === 'SUCCESS' ? 'success' : status === 'FAILURE' ? 'danger' : 'secondary';
  return html`<div
    class="job-log"
    data-status="${status}"
    ${done ? '' : html`data-poll-url="/extras/job-results/${String(result.id)}/log/"`}
  >
    <p>
      Status: <span class="badge bg-${statusClass} job-status">${status}</span>
      ${done ? '' : html`<span class="text-muted small ms-2">updating…</span>`}
    </p>
    ${
      !done && mayCancel
        ? html`<form method="post" action="/extras/job-results/${String(result.id)}/cancel/" class="mb-2">
            <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
            <button type="submit" class="btn btn-sm btn-outline-danger job-cancel">Cancel</button>
          </form>`
        : ''
    }
    <table class="table table-sm job-log-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Level</th>
          <th>Grouping</th>
          <th>Object</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (e) =>
            html`<tr class="job-log-entry">
              <td class="text-nowrap">${String(e.created).replace('T', ' ').slice(0, 19)}</td>
              <td>
                <span class="badge bg-${LEVEL_CLASS[choiceValue(e.log_level)] ?? 'secondary'}"
                  >${choiceValue(e.log_level)}</span
                >
              </td>
              <td>${String(e.grouping)}</td>
              <td>
                ${e.absolute_url ? html`<a href="${String(e.absolute_url)}">${String(e.log_object)}</a>` : String(e.log_object ?? '')}
              </td>
              <td class="job-log-message">${String(e.message)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function input(
  name: string,
  v: JobVariable,
  value: unknown,
  error: string | undefined,
  models: ModelLookup,
  displays: ReadonlyMap<string, string>,
): SafeHtml {
  const id = `var_${name}`;
  const invalid = error ? 'is-invalid' : '';
  const text =
    value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const required = (v.required ?? true) && v.type !== 'boolean';
  let control: SafeHtml;
  switch (v.type) {
    case 'boolean':
      control = html`<div class="form-check">
        <input
          class="form-check-input"
          type="checkbox"
          id="${id}"
          name="${id}"
          ${value === true || value === 'on' ? 'checked' : ''}
        />
      </div>`;
      break;
    case 'integer':
      control = html`<input
        class="form-control ${invalid}"
        type="number"
        id="${id}"
        name="${id}"
        value="${text}"
        ${v.min_value !== undefined ? html`min="${v.min_value}"` : ''}
        ${v.max_value !== undefined ? html`max="${v.max_value}"` : ''}
      />`;
      break;
    case 'text':
    case 'json':
      control = html`<textarea class="form-control ${invalid}" id="${id}" name="${id}" rows="4">
${text}</textarea>`;
      break;
    case 'choice':
    case 'multichoice': {
      const chosen = new Set(Array.isArray(value) ? value.map(String) : [String(value ?? '')]);
      control = html`<select
        class="form-select ${invalid}"
        id="${id}"
        name="${id}"
        ${v.type === 'multichoice' ? 'multiple' : ''}
      >
        ${v.type === 'choice' ? html`<option value="">---------</option>` : ''}
        ${v.choices.map(([c, label]) => html`<option value="${c}" ${chosen.has(c) ? 'selected' : ''}>${label}</option>`)}
      </select>`;
      break;
    }
    case 'object':
    case 'multiobject': {
      const api = models.get(v.model)?.api_path ?? '';
      const chosen = Array.isArray(value) ? value.map(String) : value ? [String(value)] : [];
      control = html`<select
        class="form-select ${invalid}"
        id="${id}"
        name="${id}"
        data-model="${v.model}"
        data-api="${api}"
        ${v.type === 'multiobject' ? 'multiple' : ''}
      >
        ${v.type === 'object' ? html`<option value="">---------</option>` : ''}
        ${chosen.map((c) => html`<option value="${c}" selected>${displays.get(c) ?? c}</option>`)}
      </select>`;
      break;
    }
    case 'file':
      control = html`<input class="form-control ${invalid}" type="file" id="${id}" name="${id}" />`;
      break;
    default:
      control = html`<input
        class="form-control ${invalid}"
        type="text"
        id="${id}"
        name="${id}"
        value="${text}"
      />`;
  }
  return html`<div class="mb-3 job-variable">
    <label class="form-label" for="${id}"
      >${variableLabel(name, v)}${required ? html` <span class="text-danger">*</span>` : ''}</label
    >
    ${control} ${error ? html`<div class="invalid-feedback d-block">${error}</div>` : ''}
    ${v.description ? html`<div class="form-text">${v.description}</div>` : ''}
  </div>`;
}

function parsed(text: string | undefined): Record<string, unknown> {
  try {
    const v = text ? (JSON.parse(text) as unknown) : {};
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The job page's run form, generated from the job's variables (for users who may run jobs), and
 * a result page's live log.
 */
@Injectable()
export class JobPages implements TemplateExtension {
  readonly model = ['extras.job', 'extras.jobresult', 'extras.scheduledjob'];

  constructor(
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    @InjectModels() private readonly models: ModelLookup,
  ) {}

  async full_width_page(ctx: ObjectContext) {
    if (ctx.model.label === 'extras.scheduledjob') return this.approval(ctx);
    if (ctx.model.label === 'extras.jobresult') {
      const [result] = await ctx.api.list('extras.jobresult', { id: String(ctx.object.id) });
      return result ? { title: 'Log', body: await renderJobLog(ctx, result) } : null;
    }
    const definition = this.jobs.items().find((j) => j.name === ctx.object.job_class_name);
    if (!definition || definition.job_hook_receiver || !ctx.object.installed) return null;
    if (!(await ctx.can('run', 'extras.job'))) return null;
    if (!ctx.object.enabled)
      return { title: 'Run', body: html`<p class="text-muted mb-0 job-disabled">This job is disabled.</p>` };
    const errors = parsed(ctx.query.run_errors?.[0]) as Record<string, string[]>;
    const values = ctx.query.run_values ? parsed(ctx.query.run_values[0]) : undefined;
    const schedErrors = Object.entries(errors)
      .filter(([k]) => k.startsWith('schedule'))
      .map(([k, m]) => `${k}: ${m.join(' ')}`);
    const general = Object.entries(errors)
      .filter(([k]) => !k.startsWith('data.') && !k.startsWith('schedule'))
      .map(([, m]) => m.join(' '));
    const chosen = (name: string, v: JobVariable) =>
      values && Object.hasOwn(values, name) ? values[name] : v.default;
    // Objects chosen before a refused submit are shown by name again (as far as the user may view them).
    const displays = new Map<string, string>();
    for (const [name, v] of Object.entries(definition.variables ?? {})) {
      if ((v.type !== 'object' && v.type !== 'multiobject') || !chosen(name, v)) continue;
      const ids = ([] as unknown[]).concat(chosen(name, v)).map(String);
      for (const o of await ctx.api.list(v.model, { id: ids })) displays.set(String(o.id), String(o.display));
    }
    const queues = Array.isArray(ctx.object.task_queues) ? ctx.object.task_queues.map(String) : [];
    const fields = Object.entries(definition.variables ?? {}).map(([name, v]) =>
      input(name, v, chosen(name, v), errors[`data.${name}`]?.join(' '), this.models, displays),
    );
    return {
      title: 'Run',
      body: html`<form
        method="post"
        action="/extras/jobs/${String(ctx.object.id)}/run/"
        class="job-run-form"
        ${
          Object.values(definition.variables ?? {}).some((v) => v.type === 'file')
            ? html`enctype="multipart/form-data"`
            : ''
        }
      >
        <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
        ${general.map((m) => html`<div class="alert alert-danger">${m}</div>`)} ${fields}
        ${
          definition.dryrun
            ? html`<div class="form-check mb-3">
                <input class="form-check-input" type="checkbox" id="dryrun" name="dryrun" />
                <label class="form-check-label" for="dryrun">Dry run (roll the changes back)</label>
              </div>`
            : ''
        }
        ${
          queues.length > 1
            ? html`<div class="mb-3 col-md-4">
                <label class="form-label" for="task_queue">Task queue</label>
                <select class="form-select" id="task_queue" name="task_queue">
                  ${queues.map((q) => html`<option value="${q}">${q}</option>`)}
                </select>
              </div>`
            : ''
        }
        <fieldset class="border rounded p-2 mb-3">
          <legend class="fs-6 px-1 w-auto float-none mb-0">Schedule</legend>
          <div class="row g-2">
            <div class="col-md-3">
              <label class="form-label" for="schedule_interval">When</label>
              <select class="form-select" id="schedule_interval" name="schedule_interval">
                ${SCHEDULE_CHOICES.map(([v, l]) => html`<option value="${v}">${l}</option>`)}
              </select>
            </div>
            <div class="col-md-3">
              <label class="form-label" for="schedule_name">Schedule name</label>
              <input class="form-control" id="schedule_name" name="schedule_name" />
            </div>
            <div class="col-md-3">
              <label class="form-label" for="schedule_start_time">Start time (UTC)</label>
              <input
                class="form-control"
                type="datetime-local"
                id="schedule_start_time"
                name="schedule_start_time"
              />
            </div>
            <div class="col-md-3">
              <label class="form-label" for="schedule_crontab">Crontab (custom)</label>
              <input
                class="form-control"
                id="schedule_crontab"
                name="schedule_crontab"
                placeholder="*/15 * * * *"
              />
            </div>
          </div>
          ${schedErrors.map((m) => html`<div class="invalid-feedback d-block">${m}</div>`)}
        </fieldset>
        ${
          ctx.object.approval_required
            ? html`<p class="text-muted small">
                This job needs approval: the run waits until another user approves it.
              </p>`
            : ''
        }
        <button type="submit" class="btn btn-primary job-run">
          ${ctx.object.approval_required ? 'Request Run' : 'Run Job Now'}
        </button>
      </form>`,
    };
  }

  /** Approve / Deny for a scheduled job awaiting approval (users with `approve`; not the requester's own). */
  private async approval(ctx: ObjectContext) {
    const o = ctx.object;
    if (!o.approval_required) return null;
    if (o.approved_at) return { title: 'Approval', body: html`<p class="mb-0 job-approved">Approved.</p>` };
    const may = (await ctx.can('approve', 'extras.job')) && ctx.user?.id !== o.user;
    const form = (action: string, label: string, cls: string) =>
      html`<form method="post" action="/extras/scheduled-jobs/${String(o.id)}/${action}/" class="d-inline">
        <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
        <button type="submit" class="btn btn-sm ${cls} job-${action}">${label}</button>
      </form>`;
    return {
      title: 'Approval',
      body: html`<p class="job-awaiting-approval">This run is waiting for approval.</p>
        ${
          may
            ? html`${form('approve', 'Approve', 'btn-success')} ${form('deny', 'Deny', 'btn-danger')}`
            : html`<p class="text-muted small mb-0">
                Another user with the approve permission on jobs must approve it.
              </p>`
        }`,
    };
  }
}

/**
 * Job buttons on detail pages: each enabled button for the page's model opens its job's run form
 * with the job's object variable for that model pre-filled (the user reviews and runs it). A
 * button whose job has no such variable shows an error badge.
 */
@Injectable()
export class JobButtons implements TemplateExtension {
  readonly model = '*';

  constructor(@InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>) {}

  async buttons(ctx: ObjectContext): Promise<UiButton[]> {
    if (!(await ctx.can('run', 'extras.job'))) return [];
    const buttons = await ctx.api.list(
      'extras.jobbutton',
      { content_types: ctx.model.label, enabled: 'true' },
      { depth: 1, limit: 100 },
    );
    const out: UiButton[] = [];
    for (const b of buttons) {
      const job = b.job as { id: string; job_class_name: string; enabled: boolean } | null;
      if (!job?.enabled) continue;
      const definition = this.jobs.items().find((j) => j.name === job.job_class_name);
      const variable = Object.entries(definition?.variables ?? {}).find(
        ([, v]) => (v.type === 'object' || v.type === 'multiobject') && v.model === ctx.model.label,
      );
      const button: UiButton = {
        label: String(b.text),
        color: choiceValue(b.button_class),
        group: b.group_name ? String(b.group_name) : undefined,
        link: '',
      };
      if (!variable) {
        out.push({ ...button, error: `The job has no variable for ${ctx.model.label} objects.` });
        continue;
      }
      const [name, v] = variable;
      const values = JSON.stringify({ [name]: v.type === 'multiobject' ? [ctx.object.id] : ctx.object.id });
      out.push({
        ...button,
        link: `/extras/jobs/${job.id}/?${new URLSearchParams({ run_values: values }).toString()}`,
      });
    }
    return out;
  }
}

/** List-page parameters that are not filters. */
const NOT_FILTERS = new Set(['show_hidden', 'page', 'per_page', 'sort', 'columns', 'export']);

/**
 * The jobs list, grouped by `grouping` (as Nautobot shows it), with each job's Run link; hidden
 * jobs are left out unless `?show_hidden=1`.
 */
export const jobListView: ViewOverride = {
  view: 'extras.job:list',
  async render(ctx) {
    const showHidden = ctx.query.show_hidden?.[0] === '1';
    // The page's filter form (the model's filters) narrows the list as on any list page.
    const filters = Object.fromEntries(
      Object.entries(ctx.query)
        .filter(([k, v]) => !NOT_FILTERS.has(k) && v.some((x) => x !== ''))
        .map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
    );
    const jobs = await ctx.api.list('extras.job', filters, { limit: 1000, sort: ['grouping', 'name'] });
    const shown = jobs.filter((j) => showHidden || !j.hidden);
    const hidden = jobs.length - shown.length;
    const groups = new Map<string, ApiObject[]>();
    for (const j of shown) groups.set(String(j.grouping), [...(groups.get(String(j.grouping)) ?? []), j]);
    return html`${[...groups].map(
      ([grouping, list]) =>
        html`<div class="card mb-3 job-group">
          <div class="card-header fw-semibold">${grouping}</div>
          <table class="table table-sm mb-0">
            <tbody>
              ${list.map(
                (j) =>
                  html`<tr class="job-row">
                    <td class="w-25"><a href="/extras/jobs/${String(j.id)}/">${String(j.name)}</a></td>
                    <td>${String(j.description)}</td>
                    <td class="text-nowrap">
                      ${
                        !j.installed
                          ? html`<span class="badge bg-danger">Not installed</span>`
                          : j.enabled
                            ? html`<a class="btn btn-sm btn-primary" href="/extras/jobs/${String(j.id)}/"
                                >Run</a
                              >`
                            : html`<span class="badge bg-secondary">Disabled</span>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`,
    )}
    ${hidden ? html`<p class="text-muted small"><a href="?show_hidden=1">${hidden} hidden job(s)</a></p>` : ''}
    ${shown.length === 0 ? html`<p class="text-muted">No jobs.</p>` : ''}`;
  },
};
