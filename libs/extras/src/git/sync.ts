import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  CORE_CONFIG,
  DatasourceContents,
  InjectRegistry,
  InjectSecrets,
  isClass,
  NotFoundError,
  Registry,
  type DatasourceContent,
  type JobContext,
  type JobDefinition,
  type SecretsService,
} from '@plinth/plugin-sdk';
import * as path from 'node:path';
import { content, gitJobsAllowed, loadContents } from './catalog';
import { GitCli, redact, type GitCredentials } from './git-cli';
import { GIT_REPOSITORY, repositoryInfo } from './models';
import { asOwner } from './ownership';
import { RemotePolicy, type RemotePolicySettings } from './remote';

export const SYNC_JOB = 'extras.sync_git_repository';

/** Nautobot's HTTP(S) credentials of a secrets group: a token (with an optional username), or username and password. */
async function credentialsOf(
  secrets: SecretsService,
  groupId: string | null,
): Promise<GitCredentials | null> {
  if (!groupId) return null;
  const group = await secrets.group(groupId);
  const HTTP = 'HTTP(S)';
  if (group.has(HTTP, 'token')) {
    const token = await group.get(HTTP, 'token');
    return group.has(HTTP, 'username')
      ? { username: await group.get(HTTP, 'username'), password: token }
      : { username: token, password: '' };
  }
  if (group.has(HTTP, 'username') || group.has(HTTP, 'password'))
    return { username: await group.get(HTTP, 'username'), password: await group.get(HTTP, 'password') };
  return null;
}

/**
 * The sync of one repository (`data.repository`: its id), queued by `POST
 * /api/extras/git-repositories/<id>/sync/` and the UI's Sync button: fetch the branch into
 * `<PLINTH_GIT_ROOT>/<id>`, run each provided content handler on the checkout, then record the
 * commit as `current_head`. A failure (refused remote, credentials, git) is logged without any
 * secret value and fails the job; the previous checkout and contents stay as they were.
 */
@Injectable()
export class GitRepositorySyncJob implements JobDefinition, OnApplicationBootstrap {
  readonly name = SYNC_JOB;
  readonly label = 'Sync Git repository';
  readonly grouping = 'Data Sources';
  readonly description = 'Sync a Git repository and load the contents it provides.';
  // Run from the repository's Sync button or API (which check the user may change repositories).
  readonly hidden = true;
  readonly variables = { repository: { type: 'object' as const, model: GIT_REPOSITORY } };
  private readonly git = new GitCli();
  private readonly policy: RemotePolicy;
  private readonly root: string;

  constructor(
    @Inject(CORE_CONFIG) config: { git: RemotePolicySettings & { root: string; jobs: boolean } },
    @InjectSecrets() private readonly secrets: SecretsService,
    @InjectRegistry(DatasourceContents) private readonly registry: Registry<DatasourceContent>,
    private readonly moduleRef: ModuleRef,
  ) {
    this.policy = new RemotePolicy(config.git);
    this.root = config.git.root;
    gitJobsAllowed.value = config.git.jobs;
  }

  // Handlers contributed as classes (with injected services) are taken as their instances
  // (whichever module's bootstrap hook runs first): a class's `name` is the class's own name.
  onApplicationBootstrap(): void {
    const items = this.registry
      .items()
      .map((c) => (isClass(c) ? this.moduleRef.get<DatasourceContent>(c, { strict: false }) : c));
    loadContents(items, this.root);
  }

  async run(ctx: JobContext, data: Record<string, unknown>): Promise<unknown> {
    const id = String(data.repository ?? '');
    const record = await ctx.objects.get(GIT_REPOSITORY, id);
    if (!record) throw new NotFoundError(`No Git repository ${id}.`);
    const repo = repositoryInfo(record);
    ctx.log(`Syncing ${repo.name} from ${repo.remote_url} (branch ${repo.branch}).`);
    const secrets: string[] = [];
    let head: string;
    try {
      const remote = await this.policy.check(repo.remote_url);
      const group = record.secrets_group as { id?: string } | string | null;
      const credentials = await credentialsOf(
        this.secrets,
        typeof group === 'string' ? group : (group?.id ?? null),
      );
      if (credentials) secrets.push(credentials.username, credentials.password);
      head = await this.git.sync(path.join(this.root, repo.id), remote, repo.branch, credentials);
    } catch (e) {
      const message = redact((e as Error).message, secrets);
      ctx.log(`Sync of ${repo.name} failed: ${message}`);
      throw new Error(`Sync of ${repo.name} failed: ${message}`, { cause: e });
    }
    ctx.log(`Checked out ${head}.`);
    repo.current_head = head;
    const checkout = path.join(this.root, repo.id);
    // Parts of a content that could not be loaded: the rest is loaded, the sync ends as a failure.
    const failures: string[] = [];
    for (const name of repo.provided_contents) {
      const handler = content(name);
      if (!handler) {
        ctx.log(`No content handler "${name}" is installed; skipped.`);
        continue;
      }
      ctx.log(`Loading ${handler.label}.`);
      await asOwner({ object_type: GIT_REPOSITORY, id: repo.id }, () =>
        handler.callback(repo, checkout, {
          objects: ctx.objects,
          log: (m) => ctx.log(m),
          log_failure: (m) => {
            failures.push(m);
            ctx.log_failure(m);
          },
        }),
      );
    }
    // Recorded last: the current head is the commit whose contents are loaded.
    await ctx.objects.update(GIT_REPOSITORY, [{ id: repo.id, current_head: head }], {
      allow_read_only: true,
    });
    if (failures.length)
      throw new Error(
        `Sync of ${repo.name} finished with ${failures.length} error(s) (see the log); the rest of its contents were loaded.`,
      );
    ctx.log(`Sync of ${repo.name} finished.`);
    return { repository: repo.id, current_head: head };
  }
}
