import { html, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';

/** The repository page: a Sync button for users who may change repositories (to the run's result page). */
export const gitRepositoryPage: TemplateExtension = {
  model: 'extras.gitrepository',
  async full_width_page(ctx: ObjectContext) {
    if (!(await ctx.can('change', 'extras.gitrepository'))) return null;
    return {
      title: 'Sync',
      body: html`<form method="post" action="/extras/git-repositories/${String(ctx.object.id)}/sync/">
        <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
        <p class="text-muted small mb-2">
          Fetches the branch, loads the provided contents and records the commit as the current head; the
          sync's log is on its job result.
        </p>
        <button type="submit" class="btn btn-sm btn-primary git-sync">Sync</button>
      </form>`,
    };
  },
};
