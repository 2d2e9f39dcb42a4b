import { Controller, Get, Inject, Optional, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, RequestContext, UI_PAGES, type SafeHtml, type UiPages } from '@plinth/plugin-sdk';
import { HealthRunner, type HealthReport } from '../runner';
import { detailBody, summaryBody } from './page';

/** JSON when asked for (`?format=json`, or an Accept header preferring JSON), else the page. */
function wantsJson(req: Request): boolean {
  const format = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : '';
  if (format === 'json') return true;
  if (format === 'html') return false;
  return req.accepts(['html', 'json']) === 'json';
}

function failing(report: HealthReport): string[] {
  return report.checks.filter((c) => c.status === 'failing').map((c) => c.name);
}

/**
 * `/plugins/healthcheck/`: the public summary (overall status and each check's status, for load
 * balancers and monitors: 200 healthy, 503 naming the failing checks); `/plugins/healthcheck/detail/`
 * the same run with messages, durations and figures, for authenticated users and tokens.
 * Both routes are `@Public()`: the detail checks the user itself, so that JSON clients get a 403
 * instead of the UI's login redirect.
 */
@ApiExcludeController()
@Public()
@Controller('plugins/healthcheck')
export class HealthController {
  constructor(
    @Inject(HealthRunner) private readonly runner: HealthRunner,
    // Absent in the worker and CLI, which serve no pages: answers are JSON then.
    @Optional() @Inject(UI_PAGES) private readonly pages?: UiPages,
  ) {}

  @Get()
  async summary(@Req() req: Request, @Res() res: Response): Promise<void> {
    const report = await this.runner.run();
    const body = {
      status: report.status,
      failing: failing(report),
      checks: Object.fromEntries(report.checks.map((c) => [c.name, c.status])),
    };
    const user = RequestContext.current()?.user ?? null;
    await this.send(req, res, report, body, 'Health', summaryBody(report, !!user));
  }

  @Get('detail')
  async detail(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!RequestContext.current()?.user) {
      res.setHeader('Cache-Control', 'no-store');
      if (wantsJson(req) || !this.pages) {
        res.status(403).json({ detail: 'Authentication credentials were not provided.' });
      } else {
        res.redirect(302, `/login/?next=${encodeURIComponent(req.originalUrl)}`);
      }
      return;
    }
    const report = await this.runner.run();
    const body = {
      status: report.status,
      failing: failing(report),
      checked_at: report.checked_at,
      checks: report.checks,
    };
    await this.send(req, res, report, body, 'Health details', detailBody(report));
  }

  private async send(
    req: Request,
    res: Response,
    report: HealthReport,
    json: unknown,
    title: string,
    page: SafeHtml,
  ): Promise<void> {
    res.status(report.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    if (wantsJson(req) || !this.pages) {
      res.json(json);
      return;
    }
    res.type('html').send(
      await this.pages.render(req, {
        title,
        body: page,
        breadcrumbs: [{ label: 'Plugins' }, { label: 'Health', link: '/plugins/healthcheck/' }],
      }),
    );
  }
}
