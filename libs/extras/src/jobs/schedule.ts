import { Inject, Injectable } from '@nestjs/common';
import { parseExpression } from 'cron-parser';
import {
  InjectObjects,
  InjectSql,
  JOB_QUEUE,
  ValidationError,
  sql,
  type AuthUser,
  type FieldErrors,
  type JobDefinition,
  type JobQueue,
  type ObjectsService,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import type { JobRow } from './runner';
import { JobRunner } from './runner';

const PERIOD_MS: Record<string, number> = { hourly: 3600_000, daily: 86400_000, weekly: 7 * 86400_000 };
const INTERVALS = ['immediately', 'future', 'hourly', 'daily', 'weekly', 'custom'] as const;
type Interval = (typeof INTERVALS)[number];

export interface ScheduleSpec {
  name: string;
  interval: Interval;
  start_time: Date;
  crontab: string;
}

/**
 * When a schedule fires next, strictly after `after` (null: never again). Intervals count from
 * `start_time`; `custom` is a crontab in UTC, not before `start_time`.
 */
export function nextRun(
  s: Pick<ScheduleSpec, 'interval' | 'start_time' | 'crontab'>,
  after: Date | null,
): Date | null {
  const start = s.start_time.getTime();
  if (s.interval === 'immediately' || s.interval === 'future') return after ? null : s.start_time;
  if (s.interval === 'custom') {
    const from = Math.max(after?.getTime() ?? 0, start - 1);
    return parseExpression(s.crontab, { currentDate: new Date(from), tz: 'UTC' })
      .next()
      .toDate();
  }
  const period = PERIOD_MS[s.interval];
  if (!after || after.getTime() < start) return s.start_time;
  return new Date(start + (Math.floor((after.getTime() - start) / period) + 1) * period);
}

/** `schedule` of a run request checked (400 naming `schedule.<field>`). */
export function parseSchedule(input: unknown, jobName: string, now = new Date()): ScheduleSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw ValidationError.field('schedule', 'Enter an object with name, interval, start_time and crontab.');
  const raw = input as Record<string, unknown>;
  const errors: FieldErrors = {};
  const interval = (raw.interval ?? 'immediately') as Interval;
  if (!INTERVALS.includes(interval)) errors['schedule.interval'] = [`Choose one of ${INTERVALS.join(', ')}.`];
  const name = raw.name === undefined || raw.name === '' ? `${jobName} ${now.toISOString()}` : raw.name;
  if (typeof name !== 'string' || name.length > 200)
    errors['schedule.name'] = ['Enter a name of at most 200 characters.'];
  let start = now;
  if (raw.start_time !== undefined && raw.start_time !== null && raw.start_time !== '') {
    const d = typeof raw.start_time === 'string' ? new Date(raw.start_time) : null;
    if (!d || Number.isNaN(d.getTime()))
      errors['schedule.start_time'] = ['Enter a date and time (ISO 8601).'];
    else start = d;
  } else if (interval === 'future') errors['schedule.start_time'] = ['A future run needs a start time.'];
  if (interval === 'future' && start.getTime() <= now.getTime() && !errors['schedule.start_time'])
    errors['schedule.start_time'] = ['Enter a time in the future.'];
  const crontab = typeof raw.crontab === 'string' ? raw.crontab.trim() : '';
  if (interval === 'custom') {
    if (!crontab) errors['schedule.crontab'] = ['A custom interval needs a crontab expression.'];
    else if (crontab.split(/\s+/).length !== 5)
      errors['schedule.crontab'] = ['Enter five fields: minute hour day-of-month month day-of-week.'];
    else {
      try {
        parseExpression(crontab, { tz: 'UTC' });
      } catch (e) {
        errors['schedule.crontab'] = [`Not a valid crontab: ${(e as Error).message}`];
      }
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { name: name as string, interval, start_time: start, crontab: interval === 'custom' ? crontab : '' };
}

interface DueSchedule {
  id: string;
  task: string;
  interval: Interval;
  start_time: Date;
  crontab: string;
  kwargs: Record<string, unknown> | null;
  dryrun: boolean;
  user_id: string | null;
  next_run: Date;
  task_queue: string;
}

/**
 * Scheduled jobs: created from run requests, fired by a system job on every worker. A due
 * schedule is claimed with `FOR UPDATE SKIP LOCKED` and moved to its next time in the claiming
 * transaction, so one of N workers fires it, once (PostgreSQL and PGlite alike).
 */
@Injectable()
export class JobScheduler implements JobDefinition {
  readonly name = 'extras.job-scheduler';
  readonly description = 'Queue the runs of scheduled jobs that are due (and approved).';
  readonly every_ms = 5000;

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectObjects() private readonly objects: ObjectsService,
    @Inject(JobRunner) private readonly runner: JobRunner,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  /** Store a schedule (or an approval request) for a checked submission; returns its id. */
  async create(
    job: JobRow,
    definition: JobDefinition,
    spec: ScheduleSpec,
    data: Record<string, unknown>,
    user: AuthUser | null,
    dryrun: boolean,
    taskQueue: string,
  ): Promise<string> {
    if (job.has_sensitive_variables)
      throw ValidationError.nonField(
        'A job with sensitive variables cannot be scheduled or wait for approval: its data would be stored.',
      );
    const next = nextRun(spec, null);
    const [row] = await this.db.query<{ id: string }>(
      sql`INSERT INTO "extras_scheduledjob" ("id", "created", "last_updated", "name", "job_model_id", "task", "interval", "start_time", "crontab", "next_run", "total_run_count", "kwargs", "dryrun", "user_id", "approval_required", "enabled", "task_queue")
          VALUES (gen_random_uuid(), now(), now(), ${spec.name}, ${job.id}::uuid, ${definition.name}, ${spec.interval}, ${spec.start_time.toISOString()}::timestamptz, ${spec.crontab}, ${next ? next.toISOString() : null}::timestamptz, 0, ${JSON.stringify(data)}::jsonb, ${dryrun}, ${user?.id ?? null}::uuid, ${job.approval_required}, true, ${taskQueue})
          RETURNING "id"`,
    );
    return row.id;
  }

  /** The scheduler's tick: fire every due, approved schedule once; returns the results queued. */
  async run(): Promise<string[]> {
    const queued: string[] = [];
    for (;;) {
      const claimed = await this.objects.transaction(async (tx) => {
        const [due] = await tx.query<DueSchedule & Record<string, unknown>>(
          sql`SELECT "id", "task", "interval", "start_time", "crontab", "kwargs", "dryrun", "user_id", "next_run", "task_queue" FROM "extras_scheduledjob"
              WHERE "enabled" AND "next_run" <= now() AND (NOT "approval_required" OR "approved_at" IS NOT NULL)
              ORDER BY "next_run" LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!due) return null;
        const next = nextRun(
          { interval: due.interval, start_time: new Date(due.start_time), crontab: due.crontab },
          new Date(Math.max(Date.now(), new Date(due.next_run).getTime())),
        );
        await tx.query(
          sql`UPDATE "extras_scheduledjob" SET "last_run_at" = now(), "total_run_count" = "total_run_count" + 1, "next_run" = ${next ? next.toISOString() : null}::timestamptz,
              "enabled" = ${next !== null}, "last_updated" = now() WHERE "id" = ${due.id}::uuid`,
        );
        return due;
      });
      if (!claimed) return queued;
      const user = await this.runner.userById(claimed.user_id);
      queued.push(
        await this.queue.enqueue(claimed.task, claimed.kwargs ?? {}, {
          user,
          dryrun: claimed.dryrun,
          scheduled_job: claimed.id,
          task_queue: claimed.task_queue || undefined,
        }),
      );
    }
  }
}
