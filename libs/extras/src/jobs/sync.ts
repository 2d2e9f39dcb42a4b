import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  InjectRegistry,
  InjectSql,
  Jobs,
  TASK_QUEUE_NAME,
  isClass,
  isSystemJob,
  sql,
  taskQueuesOf,
  type JobDefinition,
  type Registry,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { GIT_JOBS_CONTRIBUTOR } from '../git/jobs/definitions';

/** Keep the operator's value when the `<field>_override` flag is set, else take the code's. */
function keep(field: string) {
  return sql.raw(
    `"${field}" = CASE WHEN "extras_job"."${field}_override" THEN "extras_job"."${field}" ELSE EXCLUDED."${field}" END`,
  );
}

/** What an `extras.job` row takes from a job's code. */
export interface JobRowSource {
  module_name: string;
  job_class_name: string;
  label: string;
  grouping: string;
  definition: Pick<
    JobDefinition,
    | 'description'
    | 'dryrun'
    | 'job_hook_receiver'
    | 'has_sensitive_variables'
    | 'approval_required'
    | 'hidden'
    | 'soft_time_limit'
    | 'time_limit'
  >;
  task_queues: readonly string[];
  /** A Git repository's job: what its sync discovered (null for plugin and core jobs). */
  git_job?: unknown;
  /** Refresh an existing row only when this holds (a Git job updates its own repository's rows). */
  only_if?: Sql;
}

/**
 * Insert a job's row (new jobs are disabled, as in Nautobot) or refresh it: installed again, its
 * metadata following the code unless overridden. False when `only_if` kept an existing row.
 */
export async function upsertJobRow(db: SqlRunner, row: JobRowSource): Promise<boolean> {
  const d = row.definition;
  // A Git job's row changes with each sync; plugin jobs' rows are refreshed at every start.
  const touched = row.git_job ? sql`"last_updated" = now(), ` : sql``;
  const rows = await db.query(
    sql`INSERT INTO "extras_job" ("id", "created", "last_updated", "module_name", "job_class_name", "name", "name_override", "grouping", "grouping_override", "description", "description_override", "installed", "enabled", "supports_dryrun", "read_only", "is_job_hook_receiver", "has_sensitive_variables", "has_sensitive_variables_override", "approval_required", "approval_required_override", "hidden", "hidden_override", "soft_time_limit", "soft_time_limit_override", "time_limit", "time_limit_override", "task_queues", "task_queues_override", "git_job")
        VALUES (gen_random_uuid(), now(), now(), ${row.module_name}, ${row.job_class_name}, ${row.label}, false, ${row.grouping}, false, ${d.description ?? ''}, false, true, false, ${!!d.dryrun}, false, ${!!d.job_hook_receiver}, ${!!d.has_sensitive_variables}, false, ${!!d.approval_required}, false, ${!!d.hidden}, false, ${d.soft_time_limit ?? 0}, false, ${d.time_limit ?? 0}, false, ${JSON.stringify(row.task_queues)}::jsonb, false, ${row.git_job === undefined || row.git_job === null ? null : JSON.stringify(row.git_job)}::jsonb)
        ON CONFLICT ("job_class_name") DO UPDATE SET "installed" = true, ${touched}"module_name" = EXCLUDED."module_name", "supports_dryrun" = EXCLUDED."supports_dryrun", "is_job_hook_receiver" = EXCLUDED."is_job_hook_receiver", "git_job" = EXCLUDED."git_job",
          ${keep('name')}, ${keep('grouping')}, ${keep('description')}, ${keep('has_sensitive_variables')}, ${keep('approval_required')}, ${keep('hidden')}, ${keep('soft_time_limit')}, ${keep('time_limit')}, ${keep('task_queues')}
        WHERE ${row.only_if ?? sql`true`}
        RETURNING "id"`,
  );
  return rows.length > 0;
}

/**
 * `extras.job` rows follow the registered user jobs at every start (server, worker, CLI): new
 * jobs are added (disabled, as in Nautobot), metadata follows the code unless overridden, and a
 * job whose code is gone stays listed with installed=false (its results keep their link).
 */
@Injectable()
export class JobSync implements OnApplicationBootstrap {
  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Jobs of Git repositories (GitJobCatalog) have rows of their own, kept by their syncs.
    const entries = this.jobs
      .entries()
      .filter((e) => !isClass(e.item) && !isSystemJob(e.item) && e.plugin !== GIT_JOBS_CONTRIBUTOR);
    for (const { item: job, plugin } of entries) {
      for (const q of taskQueuesOf(job))
        if (!TASK_QUEUE_NAME.test(q))
          throw new Error(`The job ${job.name} (plugin ${plugin}) names an invalid task queue "${q}".`);
      await upsertJobRow(this.db, {
        module_name: plugin,
        job_class_name: job.name,
        label: job.label ?? job.name,
        grouping: job.grouping ?? plugin,
        definition: job,
        task_queues: taskQueuesOf(job),
      });
    }
    const names = entries.map((e) => e.item.name);
    await this.db.query(
      sql`UPDATE "extras_job" SET "installed" = false WHERE "installed" AND "git_job" IS NULL AND NOT ("job_class_name" = ANY(${names}::text[]))`,
    );
  }
}
