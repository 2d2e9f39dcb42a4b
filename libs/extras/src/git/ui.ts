import { html, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';

/** The repository page: a Sync button for users who may change repositories. */
export const gitRepositoryPage: TemplateExtension = {
  model: 'extras.gitrepository',
  async full_width_page(ctx: ObjectContext) {
    const queued = ctx.query.sync?.[0] === 'queued';
    const maySync = await ctx.can('change', 'extras.gitrepository');
    if (!maySync && !queued) return null;
    const form = html`<form method="post" action="/extras/git-repositories/${String(ctx.object.id)}/sync/">
      <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
      <p class="text-muted small mb-2">
        Fetches the branch, loads the provided contents and records the commit as the current head.
      </p>
      <button type="submit" class="btn btn-sm btn-primary git-sync">Sync</button>
    </form>`;
    return {
      title: 'Sync',
      body: html`${
        queued
          ? html`<div class="alert alert-info git-sync-queued">
              Sync queued; reload to see the current head.
            </div>`
          : ''
      }
      ${maySync ? form : ''}`,
    };
  },
};
