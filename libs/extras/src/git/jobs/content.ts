import { Injectable } from '@nestjs/common';
import {
  InjectSql,
  TASK_QUEUE_NAME,
  sql,
  taskQueuesOf,
  type DatasourceContent,
  type DatasourceContext,
  type GitRepositoryInfo,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { jobModel } from '../../jobs/models';
import { upsertJobRow } from '../../jobs/sync';
import { GIT_JOBS_CONTENT } from '../catalog';
import { gitJobDefinitions } from './catalog';
import { BadJobDefinition, checkDefinition, moduleBase, type GitJobSource } from './definitions';
import { GitJobSandbox } from './sandbox';

/**
 * The built-in `jobs` content (`extras.job`): after a sync, the modules of the checkout's
 * `jobs/` folder are loaded in the sandbox (never in this process) and each job they define
 * becomes an `extras.job` row (`<repo slug>.jobs.<module>.<name>`), added disabled; jobs gone from
 * the repository, and every job of a repository deleted or no longer providing jobs, are marked
 * installed=false (their results stay linked). A module that fails to load is reported and
 * skipped; the sync then ends as a failure, with the other modules' jobs loaded.
 */
@Injectable()
export class GitJobsContent implements DatasourceContent {
  readonly name = GIT_JOBS_CONTENT;
  readonly label = 'jobs';
  readonly content_types = ['extras.job'];

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    private readonly sandbox: GitJobSandbox,
  ) {}

  async callback(repo: GitRepositoryInfo, checkout: string | null, ctx: DatasourceContext): Promise<void> {
    const failed = (m: string) => (ctx.log_failure ? ctx.log_failure(m) : ctx.log(m));
    if (checkout === null) return this.uninstallAll(repo, ctx);
    if (!this.sandbox.enabled) {
      failed('Jobs were not loaded: jobs from Git repositories are turned off (PLINTH_GIT_JOBS).');
      return this.uninstallAll(repo, ctx);
    }
    let modules;
    try {
      modules = await this.sandbox.discover(checkout);
    } catch (e) {
      failed(`Jobs were not loaded: ${(e as Error).message}`);
      return;
    }
    const loaded: string[] = [];
    for (const mod of modules) {
      if (mod.error) {
        failed(`${mod.file} was not loaded: ${mod.error}`);
        continue;
      }
      try {
        const base = moduleBase(mod.file);
        const jobs = mod.jobs.map((raw) => checkDefinition(mod.file, raw));
        const names = new Set<string>();
        for (const j of jobs) {
          if (names.has(j.name)) throw new BadJobDefinition(`${mod.file}: two jobs are named ${j.name}.`);
          names.add(j.name);
        }
        for (const j of jobs) {
          const source: GitJobSource = {
            repository: repo.id,
            repository_name: repo.name,
            file: mod.file,
            job: j.name,
            commit: repo.current_head,
            definition: j.metadata,
          };
          const jobClassName = `${repo.slug}.jobs.${base}.${j.name}`;
          if (await this.upsert(jobClassName, `${repo.slug}.jobs.${base}`, source)) {
            loaded.push(jobClassName);
            ctx.log(`Job ${jobClassName} loaded from ${mod.file}.`);
          } else failed(`${mod.file}: the job name ${jobClassName} is taken by another job; not loaded.`);
        }
        if (!jobs.length) ctx.log(`${mod.file} defines no jobs.`);
      } catch (e) {
        if (!(e instanceof BadJobDefinition)) throw e;
        failed(`${mod.file} was not loaded: ${e.message}`);
      }
    }
    const gone = await this.db.query<{ job_class_name: string }>(
      sql`WITH g AS (UPDATE "extras_job" SET "installed" = false, "last_updated" = now()
          WHERE "installed" AND "git_job"->>'repository' = ${repo.id} AND NOT ("job_class_name" = ANY(${loaded}::text[]))
          RETURNING "job_class_name") SELECT * FROM g ORDER BY "job_class_name"`,
    );
    for (const g of gone)
      ctx.log(`Job ${g.job_class_name} is no longer in the repository: marked not installed.`);
    gitJobDefinitions.invalidate();
  }

  /** Insert or refresh the job's row; false when the name belongs to a job of other code. */
  private async upsert(jobClassName: string, moduleName: string, source: GitJobSource): Promise<boolean> {
    const d = source.definition;
    const queues = taskQueuesOf({
      name: jobClassName,
      task_queues: d.task_queues,
      run: () => Promise.resolve(),
    });
    if (!queues.every((q) => TASK_QUEUE_NAME.test(q))) return false;
    return upsertJobRow(this.db, {
      module_name: moduleName,
      job_class_name: jobClassName,
      label: d.label ?? source.job,
      grouping: d.grouping ?? source.repository_name,
      definition: d,
      task_queues: queues,
      git_job: source,
      // A name taken by another repository's (or a plugin's) job is not this repository's.
      only_if: sql`"extras_job"."git_job"->>'repository' = ${source.repository}`,
    });
  }

  /**
   * The repository is deleted or no longer provides jobs: its jobs are marked not installed
   * (through the write path, in the repository's own transaction), as plugin jobs whose code is
   * gone are; their rows and results stay, and a later sync providing them installs them again.
   */
  private async uninstallAll(repo: GitRepositoryInfo, ctx: DatasourceContext): Promise<void> {
    // `<slug>.jobs.<module>`: the slug is unique among repositories, and plugins' module names are their names.
    const mine = await ctx.objects.find(jobModel, {
      installed: true,
      module_name__isw: `${repo.slug}.jobs.`,
    });
    if (mine.length)
      await ctx.objects.update(
        jobModel,
        mine.map((r) => ({ id: String(r.id), installed: false })),
        { allow_read_only: true },
      );
    gitJobDefinitions.invalidate();
  }
}
