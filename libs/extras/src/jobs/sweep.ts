import { Inject, Injectable } from '@nestjs/common';
import {
  InjectModels,
  InjectRegistry,
  InjectSql,
  JOB_QUEUE,
  Jobs,
  sql,
  type JobDefinition,
  type JobQueue,
  type ModelLookup,
  type Registry,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { JobLogWriter } from './logs';

/** A running result whose heartbeat is older than this lost its worker (a killed process, a lost host). */
export const STALE_AFTER_S = 30;
/** Runs of an idempotent job, at most (the first and two retries). */
const MAX_ATTEMPTS = 3;

interface StaleResult {
  id: string;
  attempts: number;
  task_kwargs: Record<string, unknown> | null;
  task_queue: string;
  job_class_name: string | null;
}

/**
 * A system job: results left STARTED by a worker that died are failed, or queued again when
 * their job is idempotent (and its data was kept). Claimed with SKIP LOCKED, so any number of
 * workers may sweep at once.
 */
@Injectable()
export class JobResultSweep implements JobDefinition {
  readonly name = 'extras.job-result-sweep';
  readonly description = 'Fail (or retry, when idempotent) job runs whose worker stopped responding.';
  readonly every_ms = 10_000;

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectModels() private readonly models: ModelLookup,
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  async run(): Promise<unknown> {
    const stale = await this.db.query<StaleResult & Record<string, unknown>>(
      sql`WITH s AS (UPDATE "extras_jobresult" r SET "heartbeat" = now() WHERE r."id" IN (
            SELECT "id" FROM "extras_jobresult" WHERE "status" = 'STARTED' AND "heartbeat" < now() - (${STALE_AFTER_S}::int * interval '1 second')
            FOR UPDATE SKIP LOCKED) RETURNING r."id", r."attempts", r."task_kwargs", r."job_model_id", r."task_queue")
          SELECT s."id", s."attempts", s."task_kwargs", s."task_queue", j."job_class_name" FROM s LEFT JOIN "extras_job" j ON j."id" = s."job_model_id"`,
    );
    let retried = 0;
    for (const r of stale) {
      const job = this.jobs.items().find((j) => j.name === r.job_class_name);
      const logs = new JobLogWriter(this.db, this.models, r.id);
      if (job?.idempotent && r.task_kwargs !== null && r.attempts < MAX_ATTEMPTS) {
        logs.write(
          'warning',
          'The worker running this job stopped responding; the job is idempotent, so it runs again.',
        );
        await logs.flush();
        await this.db.query(
          sql`UPDATE "extras_jobresult" SET "status" = 'PENDING', "last_updated" = now() WHERE "id" = ${r.id}::uuid`,
        );
        await this.queue.requeue(job.name, r.id, r.task_kwargs, r.task_queue || undefined);
        retried++;
        continue;
      }
      logs.write('failure', 'The worker running this job stopped responding.');
      await logs.flush();
      await this.db.query(
        sql`UPDATE "extras_jobresult" SET "status" = 'FAILURE', "date_done" = now(), "last_updated" = now(), "traceback" = 'The worker running this job stopped responding.' WHERE "id" = ${r.id}::uuid AND "status" = 'STARTED'`,
      );
    }
    return { failed: stale.length - retried, retried };
  }
}
