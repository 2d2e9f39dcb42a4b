import { Body, Controller, Get, Inject, NotFoundException, Optional, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  RequestContext,
  UI_PAGES,
  html,
  type SafeHtml,
  type UiContext,
  type UiPages,
} from '@plinth/plugin-sdk';
import type { IngestResult } from '../ingest/ingest';
import { IngestService } from '../ingest/ingest.service';

const RAW = 'circuit_maintenance.rawnotification';
const MAINTENANCE = 'circuit_maintenance.circuitmaintenance';

/** `/plugins/circuit-maintenance/upload/`: paste or load a notification (.eml/.ics) and ingest it. */
@ApiExcludeController()
@Controller('plugins/circuit-maintenance/upload')
export class UploadPageController {
  constructor(
    @Inject(IngestService) private readonly ingestion: IngestService,
    // Absent in the worker and CLI, which serve no pages.
    @Optional() @Inject(UI_PAGES) private readonly pages?: UiPages,
  ) {}

  @Get()
  async form(@Req() req: Request, @Res() res: Response) {
    await this.page(req, res, null, { raw: '', filename: '' });
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    if (!this.pages) throw new NotFoundException();
    const ctx = this.pages.context(req);
    const raw = typeof body.raw === 'string' ? body.raw : '';
    const filename = typeof body.filename === 'string' ? body.filename.trim() : '';
    if (!(await ctx.can('add', RAW))) return this.page(req, res, null, { raw, filename });
    if (raw.trim() === '')
      return this.page(req, res, null, { raw, filename }, 'Paste a notification or load a file.');
    const [result] = await this.ingestion.ingest(
      [{ raw, filename: filename || undefined, source: filename || 'upload' }],
      {
        user: ctx.user,
        source: 'web',
        request_id: RequestContext.current()?.request_id,
      },
    );
    await this.page(req, res, result, { raw: '', filename: '' });
  }

  private async page(
    req: Request,
    res: Response,
    result: IngestResult | null,
    form: { raw: string; filename: string },
    error?: string,
  ) {
    if (!this.pages) throw new NotFoundException();
    const ctx = this.pages.context(req);
    const allowed = await ctx.can('add', RAW);
    res.status(!allowed ? 403 : error ? 400 : 200);
    const body = html`${result ? outcome(ctx, result) : ''}
    ${
      allowed
        ? html`<div class="row">
            <div class="col-lg-8">
              <form method="post" action="/plugins/circuit-maintenance/upload/" class="cm-upload-form">
                <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
                <div class="mb-2">
                  <label class="form-label" for="cm_file">Notification file (.eml or .ics)</label>
                  <input
                    class="form-control form-control-sm"
                    type="file"
                    id="cm_file"
                    accept=".eml,.ics,message/rfc822,text/calendar"
                    data-csv-into="cm_raw"
                  />
                </div>
                <div class="mb-2">
                  <label class="form-label" for="cm_raw">…or its text</label>
                  <textarea
                    class="form-control font-monospace${error ? ' is-invalid' : ''}"
                    id="cm_raw"
                    name="raw"
                    rows="14"
                  >
${form.raw}</textarea>
                  ${error ? html`<div class="invalid-feedback">${error}</div>` : ''}
                </div>
                <div class="mb-3">
                  <label class="form-label" for="cm_filename">File name</label>
                  <input
                    class="form-control form-control-sm"
                    id="cm_filename"
                    name="filename"
                    value="${form.filename}"
                    placeholder="maintenance.ics"
                  />
                  <div class="form-text">
                    A name ending in .ics is read as iCalendar; anything else as an e-mail (or iCalendar
                    text).
                  </div>
                </div>
                <button class="btn btn-primary" type="submit">Ingest</button>
              </form>
            </div>
            <div class="col-lg-4">
              <div class="card">
                <div class="card-header fw-semibold">Formats</div>
                <div class="card-body small">
                  <ul class="mb-0">
                    <li>
                      BCOP maintenance iCalendar (<code>X-MAINTNOTE-*</code>), as an <code>.ics</code> file or
                      attached to an e-mail
                    </li>
                    <li>AWS Direct Connect maintenance e-mails</li>
                    <li>Cogent circuit maintenance e-mails</li>
                  </ul>
                  <p class="mt-2 mb-0">
                    Unparsable notifications are kept with the reason (<a href="${ctx.url(RAW) ?? '#'}"
                      >raw notifications</a
                    >).
                  </p>
                </div>
              </div>
            </div>
          </div>`
        : html`<p class="text-danger">You may not add maintenance notifications.</p>`
    }`;
    // The user's file choice is read into the text area by the layout's script (`data-csv-into`).
    res.type('html').send(
      await this.pages.render(req, {
        title: 'Upload maintenance notification',
        body,
        breadcrumbs: [
          { label: 'Circuit Maintenance', link: ctx.url(MAINTENANCE) ?? undefined },
          { label: 'Upload' },
        ],
      }),
    );
  }
}

function outcome(ctx: UiContext, r: IngestResult): SafeHtml {
  const rawLink = ctx.url(RAW, r.raw_notification) ?? '#';
  if (!r.parsed)
    return html`<div class="alert alert-warning cm-upload-result">
      Not parsed: ${r.reason} The notification is kept as a <a href="${rawLink}">raw notification</a>.
    </div>`;
  return html`<div class="alert alert-success cm-upload-result">
    Parsed (${r.parser}):
    <ul class="mb-0">
      ${r.maintenances.map(
        (m) =>
          html`<li>
            <a href="${ctx.url(MAINTENANCE, m.id) ?? '#'}">${m.name}</a> ${m.action}${
              m.unknown_circuits.length ? html` — unknown circuits: ${m.unknown_circuits.join(', ')}` : ''
            }
          </li>`,
      )}
    </ul>
    <a href="${rawLink}">Raw notification</a>
  </div>`;
}
