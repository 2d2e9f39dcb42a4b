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
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { GIT_JOBS_CONTRIBUTOR } from '../git/jobs/definitions';

/** Keep the operator's value when the `<field>_override` flag is set, else take the code's. */
function keep(field: string) {
  return sql.raw(
    `"${field}" = CASE WHEN "extras_job"."${field}_override" THEN "extras_job"."${field}" ELSE EXCLUDED."${field}" END`,
  );
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
      await this.db.query(
        sql`INSERT INTO "extras_job" ("id", "created", "last_updated", "module_name", "job_class_name", "name", "name_override", "grouping", "grouping_override", "description", "description_override", "installed", "enabled", "supports_dryrun", "read_only", "is_job_hook_receiver", "has_sensitive_variables", "has_sensitive_variables_override", "approval_required", "approval_required_override", "hidden", "hidden_override", "soft_time_limit", "soft_time_limit_override", "time_limit", "time_limit_override", "task_queues", "task_queues_override")
            VALUES (gen_random_uuid(), now(), now(), ${plugin}, ${job.name}, ${job.label ?? job.name}, false, ${job.grouping ?? plugin}, false, ${job.description ?? ''}, false, true, false, ${!!job.dryrun}, false, ${!!job.job_hook_receiver}, ${!!job.has_sensitive_variables}, false, ${!!job.approval_required}, false, ${!!job.hidden}, false, ${job.soft_time_limit ?? 0}, false, ${job.time_limit ?? 0}, false, ${JSON.stringify(taskQueuesOf(job))}::jsonb, false)
            ON CONFLICT ("job_class_name") DO UPDATE SET "installed" = true, "module_name" = EXCLUDED."module_name", "supports_dryrun" = EXCLUDED."supports_dryrun", "is_job_hook_receiver" = EXCLUDED."is_job_hook_receiver",
              ${keep('name')}, ${keep('grouping')}, ${keep('description')}, ${keep('has_sensitive_variables')}, ${keep('approval_required')}, ${keep('hidden')}, ${keep('soft_time_limit')}, ${keep('time_limit')}, ${keep('task_queues')}`,
      );
    }
    const names = entries.map((e) => e.item.name);
    await this.db.query(
      sql`UPDATE "extras_job" SET "installed" = false WHERE "installed" AND "git_job" IS NULL AND NOT ("job_class_name" = ANY(${names}::text[]))`,
    );
  }
}
