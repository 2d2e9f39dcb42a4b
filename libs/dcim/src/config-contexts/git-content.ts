import type { DatasourceContent, DatasourceContext, GitRepositoryInfo } from '@plinth/plugin-sdk';
import { loadConfigContextFolder, syncConfigContexts, type LoadedConfigContexts } from './datasource';

const NOTHING: LoadedConfigContexts = { schemas: [], contexts: [], problems: [] };

/**
 * Git repositories' `config contexts` content (Nautobot's layout: `config_contexts/`,
 * `config_context_schemas/`): each sync makes the repository's contexts and schemas match its
 * files, owned by the repository (read-only for users); a file that cannot be used is logged
 * and skipped, the others still load. Removing the content (or the repository) removes them.
 */
export const configContextsContent: DatasourceContent = {
  name: 'extras.configcontext',
  label: 'config contexts',
  content_types: ['extras.configcontext', 'extras.configcontextschema'],
  async callback(repository: GitRepositoryInfo, checkout: string | null, ctx: DatasourceContext) {
    const loaded = checkout ? await loadConfigContextFolder(checkout) : NOTHING;
    const summary = await syncConfigContexts(
      ctx.objects,
      { content_type: 'extras.gitrepository', object_id: repository.id },
      loaded,
    );
    for (const p of [...loaded.problems, ...summary.problems])
      ctx.log(`Config context ${p.file} not loaded: ${p.error}`);
    for (const [what, names] of [
      ['created', summary.created],
      ['updated', summary.updated],
      ['deleted', summary.deleted],
    ] as const)
      if (names.length) ctx.log(`Config contexts and schemas ${what}: ${names.join(', ')}.`);
  },
};
