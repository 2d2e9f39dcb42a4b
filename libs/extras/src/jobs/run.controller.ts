import { Body, Controller, Get, HttpCode, Inject, Optional, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExcludeController,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AUTHORIZATION,
  InjectRegistry,
  InjectSql,
  JOB_QUEUE,
  Jobs,
  NotFoundError,
  READS,
  RequestContext,
  UI_PAGES,
  ValidationError,
  asUser,
  sql,
  uploadedFiles,
  type ApiObject,
  type Authorization,
  type JobDefinition,
  type JobQueue,
  type ReadService,
  type Registry,
  type SqlRunner,
  type UiPages,
  type UploadedFilePart,
} from '@plinth/plugin-sdk';
import { describeVariables } from './variables';
import { dropUploads, isUpload, linkUploads, storeUploads, uploadsOf } from './files';
import { JobRunner } from './runner';
import { JobScheduler, parseSchedule } from './schedule';
import { renderJobLog } from './ui';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The job row the user may view (by id or `job_class_name`) and its code. */
async function jobOf(
  reads: ReadService,
  jobs: Registry<JobDefinition>,
  user: ReturnType<typeof currentUser>,
  idOrName: string,
): Promise<{ row: ApiObject; definition: JobDefinition }> {
  const row = UUID.test(idOrName)
    ? await reads.get(asUser(user), 'extras.job', idOrName)
    : (await reads.list(asUser(user), 'extras.job', { job_class_name: idOrName }, { limit: 1 })).results[0];
  if (!row) throw new NotFoundError();
  const definition = jobs.items().find((j) => j.name === row.job_class_name);
  if (!definition || !row.installed) throw new NotFoundError('The job is not installed.');
  return { row, definition };
}

function currentUser() {
  return RequestContext.current()?.user ?? null;
}

/** What a run request became: a queued result, or a schedule (a later run, or one awaiting approval). */
type Submitted = { job_result: string } | { scheduled_job: string };

/**
 * Submit a run as the current user: `run` permission, enabled job, data validated. With a
 * `schedule`, or for a job that needs approval, a scheduled job is stored instead.
 */
async function submit(
  deps: SubmitDeps,
  idOrName: string,
  data: unknown,
  dryrun: unknown,
  schedule: unknown,
  taskQueue: unknown,
): Promise<Submitted> {
  const user = currentUser();
  await deps.authz.assert(user, 'run', 'extras.job');
  const { definition } = await jobOf(deps.reads, deps.jobs, user, idOrName);
  if (dryrun !== undefined && typeof dryrun !== 'boolean')
    throw ValidationError.field('dryrun', 'Enter true or false.');
  if (taskQueue !== undefined && taskQueue !== null && typeof taskQueue !== 'string')
    throw ValidationError.field('task_queue', 'Enter the name of a task queue.');
  const input = (data ?? {}) as Record<string, unknown>;
  const opts = { user, dryrun: dryrun === true, checked: true };
  const checked = await deps.runner.validate(definition.name, input, opts);
  const later = (schedule !== undefined && schedule !== null) || checked.row!.approval_required;
  const task_queue = await deps.queue.taskQueue(definition.name, taskQueue ?? undefined, !later);
  const files = Object.entries(checked.data).filter(([, v]) => isUpload(v));
  if (later && files.length)
    throw ValidationError.field(
      files[0][0] === '' ? 'data' : `data.${files[0][0]}`,
      'A job with uploaded files cannot be scheduled or wait for approval: run it now.',
    );
  if (files.length) {
    // The uploads are stored (not queued): the run reads them back and they go when it ends.
    const stored = await storeUploads(deps.db, checked.data);
    try {
      const job_result = await deps.queue.enqueue(definition.name, stored.data, {
        user,
        dryrun: opts.dryrun,
        task_queue,
      });
      await linkUploads(deps.db, stored.ids, job_result);
      return { job_result };
    } catch (e) {
      await dropUploads(deps.db, stored.ids);
      throw e;
    }
  }
  if (later) {
    const spec = parseSchedule(schedule ?? {}, checked.row!.name);
    return {
      scheduled_job: await deps.scheduler.create(
        checked.row!,
        definition,
        spec,
        checked.data,
        user,
        opts.dryrun,
        task_queue,
      ),
    };
  }
  // Checked above: the cleaned data is queued as it is.
  return {
    job_result: await deps.queue.enqueue(definition.name, checked.data, {
      user,
      dryrun: opts.dryrun,
      task_queue,
    }),
  };
}

interface SubmitDeps {
  db: SqlRunner;
  authz: Authorization;
  reads: ReadService;
  jobs: Registry<JobDefinition>;
  queue: JobQueue;
  runner: JobRunner;
  scheduler: JobScheduler;
}

/**
 * Cancel a pending or running result: it is marked REVOKED at once; a running job's worker sees
 * that at its next heartbeat and aborts `ctx.signal` (the job stops cooperatively). Needs `run`
 * on jobs and to see the result.
 */
async function cancel(authz: Authorization, reads: ReadService, db: SqlRunner, id: string): Promise<void> {
  const user = currentUser();
  await authz.assert(user, 'run', 'extras.job');
  if (!(await reads.get(asUser(user), 'extras.jobresult', id))) throw new NotFoundError();
  const [done] = await db.query<{ n: number }>(
    sql`WITH c AS (UPDATE "extras_jobresult" SET "status" = 'REVOKED', "date_done" = CASE WHEN "status" = 'PENDING' THEN now() ELSE "date_done" END, "last_updated" = now()
        WHERE "id" = ${id}::uuid AND "status" IN ('PENDING', 'STARTED') RETURNING 1) SELECT count(*)::int AS n FROM c`,
  );
  if (done.n === 0) throw ValidationError.nonField('The run has already finished.');
}

/** `POST /api/extras/job-results/{id}/cancel/`: answers the result (status REVOKED). */
@ApiTags('extras')
@Controller('api/extras/job-results')
export class JobResultCancelApiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @InjectSql() private readonly db: SqlRunner,
  ) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending or running job result' })
  @ApiOkResponse({ description: 'The result, now REVOKED' })
  async cancel(@Param('id') id: string) {
    await cancel(this.authz, this.reads, this.db, id);
    return this.reads.get(asUser(currentUser()), 'extras.jobresult', id);
  }
}

/** Nautobot's job endpoints beyond the model's own: `run/` and `variables/`. */
@ApiTags('extras')
@Controller('api/extras/jobs')
export class JobRunApiController {
  private readonly deps: SubmitDeps;

  constructor(
    @Inject(AUTHORIZATION) authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    @Inject(JOB_QUEUE) queue: JobQueue,
    @Inject(JobRunner) runner: JobRunner,
    @Inject(JobScheduler) scheduler: JobScheduler,
    @InjectSql() db: SqlRunner,
  ) {
    this.deps = { authz, reads, jobs, queue, runner, scheduler, db };
  }

  @Post(':id/run')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Run a job: `{"data": {...}, "dryrun": false, "task_queue": "default", "schedule": {"name", "interval", "start_time", "crontab"}}`',
  })
  @ApiCreatedResponse({ description: '`{"scheduled_job": {...} | null, "job_result": {...} | null}`' })
  async run(
    @Param('id') id: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: Request & { files?: unknown },
  ) {
    // A multipart request (files or not) carries its JSON values as text fields.
    const request = req.files ? await this.multipart(id, body ?? {}, uploadedFiles(req)) : body;
    const out = await submit(
      this.deps,
      id,
      request?.data,
      request?.dryrun,
      request?.schedule,
      request?.task_queue,
    );
    const actor = asUser(currentUser());
    if ('scheduled_job' in out) {
      const [scheduled] = await this.reads.renderWritten(actor, 'extras.scheduledjob', [out.scheduled_job]);
      return { scheduled_job: scheduled, job_result: null };
    }
    const [jobResult] = await this.reads.renderWritten(actor, 'extras.jobresult', [out.job_result]);
    return { scheduled_job: null, job_result: jobResult };
  }

  /**
   * A multipart run request (a job with file variables): `data` (JSON, the other variables),
   * `dryrun`, `task_queue`, `schedule` (JSON) as fields, and one file part per file variable.
   */
  private async multipart(id: string, body: Record<string, unknown>, files: readonly UploadedFilePart[]) {
    const json = (field: string): unknown => {
      const raw = body[field];
      if (raw === undefined || raw === '') return undefined;
      try {
        return JSON.parse(String(raw)) as unknown;
      } catch {
        throw ValidationError.field(field, 'Enter valid JSON.');
      }
    };
    const { definition } = await jobOf(this.reads, this.jobs, currentUser(), id);
    const { uploads, unknown } = uploadsOf(definition, files);
    if (unknown.length)
      throw ValidationError.field(`data.${unknown[0]}`, 'The job has no file variable of this name.');
    const data = json('data') ?? {};
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw ValidationError.field('data', 'Enter an object.');
    return {
      data: { ...(data as Record<string, unknown>), ...uploads },
      dryrun:
        body.dryrun === undefined
          ? undefined
          : body.dryrun === 'true'
            ? true
            : body.dryrun === 'false'
              ? false
              : body.dryrun,
      schedule: json('schedule'),
      task_queue: body.task_queue,
    };
  }

  @Get(':id/variables')
  @ApiOperation({ summary: "A job's variables: name, type, label, required, default and constraints" })
  @ApiOkResponse({ description: 'The variables, in form order' })
  async variables(@Param('id') id: string) {
    const { definition } = await jobOf(this.reads, this.jobs, currentUser(), id);
    return describeVariables(definition);
  }
}

/** The UI's run form target and the live log of a result page (polled by plinth.js). */
@ApiExcludeController()
@Controller('extras')
export class JobRunUiController {
  private readonly deps: SubmitDeps;

  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    @Inject(JOB_QUEUE) queue: JobQueue,
    @Inject(JobRunner) runner: JobRunner,
    @Inject(JobScheduler) scheduler: JobScheduler,
    @InjectSql() private readonly db: SqlRunner,
    // Absent in the worker and CLI, which serve no pages.
    @Optional() @Inject(UI_PAGES) private readonly pages?: UiPages,
  ) {
    this.deps = { authz, reads, jobs, queue, runner, scheduler, db };
  }

  @Post('jobs/:id/run')
  async run(
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request & { files?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const { definition } = await jobOf(this.reads, this.jobs, currentUser(), id);
    const data: Record<string, unknown> = {};
    const { uploads } = uploadsOf(definition, uploadedFiles(req), 'var_');
    for (const [name, v] of Object.entries(definition.variables ?? {})) {
      if (v.type === 'file') {
        if (uploads[name]) data[name] = uploads[name];
        continue;
      }
      const raw = body[`var_${name}`];
      if (v.type === 'boolean') data[name] = raw === 'on' || raw === 'true';
      else if (v.type === 'multichoice' || v.type === 'multiobject')
        data[name] = raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
      else if (raw !== undefined && raw !== '') data[name] = raw;
    }
    const interval = typeof body.schedule_interval === 'string' ? body.schedule_interval : 'immediately';
    const schedule =
      interval === 'immediately'
        ? undefined
        : {
            name: body.schedule_name,
            interval,
            // datetime-local inputs carry no zone: the form says UTC.
            start_time:
              typeof body.schedule_start_time === 'string' && body.schedule_start_time
                ? `${body.schedule_start_time}Z`
                : undefined,
            crontab: body.schedule_crontab,
          };
    try {
      const taskQueue = typeof body.task_queue === 'string' && body.task_queue ? body.task_queue : undefined;
      const out = await submit(this.deps, id, data, body.dryrun === 'on', schedule, taskQueue);
      res.redirect(
        303,
        'scheduled_job' in out
          ? `/extras/scheduled-jobs/${out.scheduled_job}/`
          : `/extras/job-results/${out.job_result}/`,
      );
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const q = new URLSearchParams({
        run_errors: JSON.stringify(e.errors),
        // Files are not sent back (the user picks the file again).
        run_values: JSON.stringify(Object.fromEntries(Object.entries(data).filter(([, v]) => !isUpload(v)))),
      });
      res.redirect(303, `/extras/jobs/${id}/?${q.toString()}`);
    }
  }

  @Post('job-results/:id/cancel')
  async cancel(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await cancel(this.authz, this.reads, this.db, id);
    res.redirect(303, `/extras/job-results/${id}/`);
  }

  @Get('job-results/:id/log')
  async log(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.pages) throw new NotFoundError();
    const ctx = this.pages.context(req);
    const result = await this.reads.get(asUser(ctx.user), 'extras.jobresult', id);
    if (!result) throw new NotFoundError();
    res.type('html').send((await renderJobLog(ctx, result)).html);
  }
}
