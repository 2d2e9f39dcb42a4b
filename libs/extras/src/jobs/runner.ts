import * as os from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  CoreModels,
  InjectModels,
  InjectObjects,
  InjectPluginSettings,
  InjectSql,
  InjectRegistry,
  Jobs,
  NotFoundError,
  READS,
  ValidationError,
  readPluginSettings,
  sql,
  taskQueuesOf,
  toAuthUser,
  type AuthUser,
  type JobContext,
  type JobDefinition,
  type Registry,
  type JobRunRecorder,
  type JobSubmitOptions,
  type ModelLookup,
  type ObjectsService,
  type PluginSettingsMap,
  type ReadService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { dropUploads, withJobFiles } from './files';
import { JobLogWriter } from './logs';
import { validateJobData } from './variables';

/** Thrown inside a dry run's transaction to roll it back, carrying what the job returned. */
class DryRunRollback extends Error {
  constructor(readonly value: unknown) {
    super('dry run rolled back');
  }
}

class TimeLimitExceeded extends Error {}

/** What a job returned, as JSON (a value JSON cannot carry is stored as its text). */
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value ?? null);
  } catch {
    return JSON.stringify(String(value));
  }
}

const WORKER = `${os.hostname()}:${process.pid}`;

/**
 * How often a running result's worker stamps its heartbeat (and notices a cancel). The sweep
 * fails (or, for idempotent jobs, re-queues) results silent for STALE_AFTER_S.
 */
export const HEARTBEAT_MS = 1000;

export interface JobRow {
  id: string;
  enabled: boolean;
  installed: boolean;
  name: string;
  has_sensitive_variables: boolean;
  approval_required: boolean;
}

interface ClaimedResult {
  user_id: string | null;
  dryrun: boolean;
}

/**
 * The one recorder of user-job runs (SDK `JobRecorders`): a pending JobResult when a run is
 * submitted, then the run itself with its status, log lines and result.
 */
@Injectable()
export class JobRunner implements JobRunRecorder {
  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectObjects() private readonly objects: ObjectsService,
    @InjectModels() private readonly models: ModelLookup,
    @Inject(READS) private readonly reads: ReadService,
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @InjectPluginSettings() private readonly settings: PluginSettingsMap,
  ) {}

  definition(name: string): JobDefinition {
    const job = this.jobs.items().find((j) => j.name === name);
    if (!job) throw new NotFoundError(`No job named ${name}.`);
    return job;
  }

  /**
   * A user surface's submission checked: the job is installed and enabled, dry runs only where
   * supported, data validated against the variables (400 naming `data.<variable>`).
   */
  async validate(
    name: string,
    data: Record<string, unknown>,
    opts: JobSubmitOptions,
  ): Promise<{ row: JobRow | undefined; data: Record<string, unknown> }> {
    const job = this.definition(name);
    const [row] = await this.db.query<JobRow & Record<string, unknown>>(
      sql`SELECT "id", "enabled", "installed", "name", "has_sensitive_variables", "approval_required" FROM "extras_job" WHERE "job_class_name" = ${name}`,
    );
    if (!opts.checked) return { row, data };
    if (!row?.installed) throw new NotFoundError(`The job ${name} is not installed.`);
    if (!row.enabled)
      throw ValidationError.nonField(
        `The job ${row.name} is not enabled: an administrator must enable it first.`,
      );
    if (opts.dryrun && !job.dryrun)
      throw ValidationError.field('dryrun', 'This job does not support dry runs.');
    if (job.job_hook_receiver)
      throw ValidationError.nonField(
        'This job runs from job hooks (it receives object changes), not by hand.',
      );
    return { row, data: await validateJobData(job, data, opts.user ?? null, this.reads) };
  }

  async pending(
    name: string,
    data: Record<string, unknown>,
    opts: JobSubmitOptions,
  ): Promise<{ job_result_id: string; data: Record<string, unknown> }> {
    const job = this.definition(name);
    const checked = await this.validate(name, data, opts);
    const row = checked.row;
    data = checked.data;
    const user = opts.user ?? null;
    const sensitive = row?.has_sensitive_variables ?? !!job.has_sensitive_variables;
    const [created] = await this.db.query<{ id: string }>(
      sql`INSERT INTO "extras_jobresult" ("id", "created", "last_updated", "job_model_id", "name", "status", "user_id", "date_created", "traceback", "task_kwargs", "dryrun", "worker", "scheduled_job_id", "task_queue")
          VALUES (gen_random_uuid(), now(), now(), ${row?.id ?? null}::uuid, ${row?.name ?? job.label ?? name}, 'PENDING', ${user?.id ?? null}::uuid, now(), '', ${sensitive ? null : JSON.stringify(data)}::jsonb, ${!!opts.dryrun}, '', ${opts.scheduled_job ?? null}::uuid, ${opts.task_queue ?? taskQueuesOf(job)[0]})
          RETURNING "id"`,
    );
    return { job_result_id: created.id, data };
  }

  /** The job row's task queues (an operator may override the code's), else the code's. */
  async taskQueues(name: string): Promise<readonly string[]> {
    const job = this.definition(name);
    const [row] = await this.db.query<{ task_queues: unknown }>(
      sql`SELECT "task_queues" FROM "extras_job" WHERE "job_class_name" = ${name}`,
    );
    const queues = Array.isArray(row?.task_queues) ? row.task_queues.map(String) : [];
    return queues.length ? queues : taskQueuesOf(job);
  }

  /** The user a scheduled run acts as. */
  userById(id: string | null): Promise<AuthUser | null> {
    return this.user(id);
  }

  private async user(id: string | null): Promise<AuthUser | null> {
    if (!id) return null;
    const [u] = await this.db.query<AuthUser & Record<string, unknown>>(
      sql`SELECT "id", "username", "is_superuser", "is_active", "is_staff" FROM ${sql.table(CoreModels.user)} WHERE "id" = ${id}::uuid`,
    );
    return u ? toAuthUser(u) : null;
  }

  async execute(name: string, resultId: string, data: Record<string, unknown>): Promise<unknown> {
    // Claimed once: a run whose result is no longer pending (already run, revoked) is skipped.
    const [claimed] = await this.db.query<ClaimedResult & Record<string, unknown>>(
      sql`WITH c AS (UPDATE "extras_jobresult" SET "status" = 'STARTED', "date_started" = now(), "last_updated" = now(), "worker" = ${WORKER}, "heartbeat" = now(), "attempts" = "attempts" + 1
          WHERE "id" = ${resultId}::uuid AND "status" = 'PENDING' RETURNING "user_id", "dryrun") SELECT * FROM c`,
    );
    if (!claimed) return null;
    const job = this.definition(name);
    // File variables: the stored uploads, read back for the job and removed when the run ends.
    let uploads: string[] = [];
    const [limits] = await this.db.query<{ soft_time_limit: number; time_limit: number }>(
      sql`SELECT "soft_time_limit", "time_limit" FROM "extras_job" WHERE "job_class_name" = ${name}`,
    );
    const softLimit = limits?.soft_time_limit || job.soft_time_limit || 0;
    const hardLimit = limits?.time_limit || job.time_limit || 0;
    const user = await this.user(claimed.user_id);
    const logs = new JobLogWriter(this.db, this.models, resultId);
    const abort = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    if (softLimit > 0)
      timers.push(setTimeout(() => abort.abort(new Error('soft time limit exceeded')), softLimit * 1000));
    // The heartbeat also carries cancels: once the row is no longer STARTED, the run is aborted.
    let beating = false;
    const beat = setInterval(() => {
      if (beating) return;
      beating = true;
      void this.db
        .query(
          sql`WITH b AS (UPDATE "extras_jobresult" SET "heartbeat" = now() WHERE "id" = ${resultId}::uuid AND "status" = 'STARTED' RETURNING 1) SELECT count(*)::int AS n FROM b`,
        )
        .then((rows) => {
          if ((rows[0] as { n: number }).n === 0 && !abort.signal.aborted)
            abort.abort(new Error('cancelled'));
        })
        .catch(() => undefined)
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    beat.unref();
    const dryrun = claimed.dryrun;
    const writeOpts = {
      user,
      source: 'job' as const,
      request_id: resultId,
      trusted: !job.check_permissions,
    };
    const context = (objects: JobContext['objects'], db: SqlRunner): JobContext => ({
      objects,
      db,
      log: (m) => logs.write('info', m),
      log_debug: (m, o) => logs.write('debug', m, o),
      log_info: (m, o) => logs.write('info', m, o),
      log_success: (m, o) => logs.write('success', m, o),
      log_warning: (m, o) => logs.write('warning', m, o),
      log_failure: (m, o) => logs.write('failure', m, o),
      user,
      dryrun,
      job_result_id: resultId,
      signal: abort.signal,
      models: this.models,
      get: (token) => this.moduleRef.get(token, { strict: false }),
      settings: (handle) => readPluginSettings(handle, this.settings),
    });
    const run = async (): Promise<unknown> => {
      const files = await withJobFiles(this.db, data);
      uploads = files.ids;
      data = files.data;
      if (!job.transaction && !dryrun) return job.run(context(this.objects.as(writeOpts), this.db), data);
      try {
        return await this.objects.transaction(async (tx) => {
          const value = await job.run(context(tx.objects, tx), data);
          if (dryrun) throw new DryRunRollback(value);
          return value;
        }, writeOpts);
      } catch (e) {
        if (e instanceof DryRunRollback) return e.value;
        throw e;
      }
    };
    const hard =
      hardLimit > 0
        ? new Promise<never>((_, reject) => {
            timers.push(
              setTimeout(() => {
                abort.abort(new Error('time limit exceeded'));
                reject(new TimeLimitExceeded(`The job exceeded its time limit of ${hardLimit} s.`));
              }, hardLimit * 1000),
            );
          })
        : null;
    let status = 'SUCCESS';
    let value: unknown = null;
    let traceback = '';
    try {
      value = await (hard ? Promise.race([run(), hard]) : run());
      if (dryrun) logs.write('info', 'Dry run: the changes were rolled back.');
    } catch (e) {
      status = 'FAILURE';
      traceback = e instanceof Error ? (e.stack ?? e.message) : String(e);
      logs.write('failure', e instanceof Error ? e.message : String(e));
    } finally {
      for (const t of timers) clearTimeout(t);
      clearInterval(beat);
      await dropUploads(this.db, uploads).catch(() => undefined);
    }
    if (abort.signal.reason instanceof Error && abort.signal.reason.message === 'cancelled')
      logs.write('warning', 'The run was cancelled.');
    await logs.flush();
    // A cancelled (REVOKED) or swept result keeps its status.
    const [final] = await this.db.query<{ status: string }>(
      sql`WITH f AS (UPDATE "extras_jobresult" SET "status" = CASE WHEN "status" = 'STARTED' THEN ${status} ELSE "status" END, "date_done" = now(), "last_updated" = now(), "result" = ${jsonOf(value)}::jsonb, "traceback" = ${traceback}
          WHERE "id" = ${resultId}::uuid RETURNING "status") SELECT * FROM f`,
    );
    if (final?.status === 'FAILURE') throw new Error(traceback.split('\n')[0] || 'The run failed.');
    return value;
  }
}
