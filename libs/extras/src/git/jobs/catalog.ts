import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  InjectRegistry,
  Jobs,
  sql,
  type JobDefinition,
  type Registry,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { WatchedDefinitions, watch } from '../../watched-definitions';
import { GIT_JOBS_CONTRIBUTOR, type GitJobSource } from './definitions';
import { GitJobSandbox } from './sandbox';

export interface StoredGitJob {
  job_class_name: string;
  source: GitJobSource;
}

async function stamp(db: SqlRunner): Promise<string> {
  const row = await db.one<{ s: string }>(sql`
    SELECT concat_ws('|', count(*), max("last_updated"), count(*) FILTER (WHERE "installed")) AS "s"
    FROM "extras_job" WHERE "git_job" IS NOT NULL`);
  return row?.s ?? '';
}

async function load(db: SqlRunner): Promise<StoredGitJob[]> {
  const rows = await db.query<{ job_class_name: string; git_job: GitJobSource }>(
    sql`SELECT "job_class_name", "git_job" FROM "extras_job" WHERE "git_job" IS NOT NULL AND "installed" ORDER BY "job_class_name"`,
  );
  return rows.map((r) => ({ job_class_name: r.job_class_name, source: r.git_job }));
}

/**
 * The installed jobs of Git repositories, as this process knows them: loaded from their
 * `extras.job` rows at start-up and kept current like custom fields (see WatchedDefinitions), so
 * a server or worker that did not run the sync knows the jobs too.
 */
export class GitJobDefinitions extends WatchedDefinitions<StoredGitJob> {
  private listener?: (jobs: readonly StoredGitJob[]) => void;

  constructor() {
    super(stamp, load);
  }

  /** Called with the jobs now and whenever they change. */
  listen(listener: (jobs: readonly StoredGitJob[]) => void): void {
    this.listener = listener;
    listener(this.all);
  }

  override async refresh(db: SqlRunner, forRequest = false): Promise<number> {
    const before = this.version;
    const version = await super.refresh(db, forRequest);
    if (version !== before) this.listener?.(this.all);
    return version;
  }
}

export const gitJobDefinitions = watch(new GitJobDefinitions());

/**
 * Puts the Git jobs into the app's Jobs registry, as definitions whose `run` hands the run to
 * the sandbox: the runner, the queue, the REST API and the UI treat them like plugin jobs
 * (variables, dry runs, time limits, cancel, results and logs), with the user's permissions
 * checked on their writes.
 */
@Injectable()
export class GitJobCatalog implements OnApplicationBootstrap {
  constructor(
    @InjectRegistry(Jobs) private readonly jobs: Registry<JobDefinition>,
    private readonly sandbox: GitJobSandbox,
  ) {}

  onApplicationBootstrap(): void {
    gitJobDefinitions.listen((stored) =>
      this.jobs.replace(
        GIT_JOBS_CONTRIBUTOR,
        stored.map((s) => this.definition(s)),
      ),
    );
  }

  private definition({ job_class_name, source }: StoredGitJob): JobDefinition {
    return {
      ...source.definition,
      variables: Object.fromEntries(source.definition.variables ?? []),
      name: job_class_name,
      grouping: source.definition.grouping ?? source.repository_name,
      check_permissions: true,
      run: (ctx, data) => this.sandbox.run(source, ctx, data),
    };
  }
}
