import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  defineModel,
  type GitRepositoryInfo,
  type RecordOf,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { content, gitRoot } from './catalog';
import { GitRepository } from './entities';
import { asOwner } from './ownership';

export const GIT_REPOSITORY = 'extras.gitrepository';

export function repositoryInfo(r: RecordOf<GitRepository> | Record<string, unknown>): GitRepositoryInfo {
  const rec = r as Record<string, unknown>;
  return {
    id: String(rec.id),
    name: String(rec.name),
    slug: String(rec.slug),
    remote_url: String(rec.remote_url),
    branch: String(rec.branch),
    current_head: String(rec.current_head ?? ''),
    provided_contents: [...((rec.provided_contents as string[] | undefined) ?? [])],
  };
}

/** Ask each named content handler to remove what it made for the repository (same transaction). */
async function cleanUp(
  repo: GitRepositoryInfo,
  names: readonly string[],
  tx: TransactionContext,
): Promise<void> {
  for (const name of names) {
    const handler = content(name);
    if (!handler) continue;
    await asOwner({ object_type: GIT_REPOSITORY, id: repo.id }, () =>
      handler.callback(repo, null, { objects: tx.objects, log: () => undefined }),
    );
  }
}

export const gitRepositoryModel = defineModel({
  entity: GitRepository,
  app_label: 'extras',
  model: 'gitrepository',
  verbose_name: 'Git repository',
  verbose_name_plural: 'Git repositories',
  api_path: 'git-repositories',
  features: ['custom_validators', 'changelog', 'graphql', 'notes', 'webhooks'],
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: ['name', 'remote_url', 'branch', 'secrets_group', 'provided_contents', 'current_head'],
  hooks: {
    // Contents no longer provided are removed at once (not at the next sync).
    async afterUpdate(ctx) {
      for (const [i, r] of ctx.records.entries()) {
        const before = ctx.before?.[i];
        const dropped = (before?.provided_contents ?? []).filter((c) => !r.provided_contents.includes(c));
        if (dropped.length) await cleanUp(repositoryInfo(r), dropped, ctx.tx);
      }
    },
    async beforeDelete(ctx) {
      for (const r of ctx.records) {
        await cleanUp(repositoryInfo(r), r.provided_contents, ctx.tx);
        if (gitRoot.path)
          await fs.rm(path.join(gitRoot.path, String(r.id)), { recursive: true, force: true });
      }
    },
  },
});
