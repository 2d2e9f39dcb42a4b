import { html, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';

const ASSOCIATION = 'extras.secretsgroupassociation';

/** A group's page: its secrets by access and secret type, and a link adding one to this group. */
export const secretsGroupPage: TemplateExtension = {
  model: 'extras.secretsgroup',
  async full_width_page(ctx: ObjectContext) {
    if (!(await ctx.can('view', ASSOCIATION))) return null;
    const id = String(ctx.object.id);
    const rows = await ctx.api.list(ASSOCIATION, { secrets_group: id }, { depth: 1 });
    const mayAdd = await ctx.can('add', ASSOCIATION);
    const secretOf = (r: Record<string, unknown>) => (r.secret ?? {}) as { id?: string; display?: string };
    const table = rows.length
      ? html`<table class="table table-sm mb-0 secrets-group-secrets">
          <thead>
            <tr>
              <th>Access type</th>
              <th>Secret type</th>
              <th>Secret</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td>${String((r.access_type as { label?: string })?.label ?? r.access_type)}</td>
                  <td>${String((r.secret_type as { label?: string })?.label ?? r.secret_type)}</td>
                  <td>
                    <a href="${ctx.url('extras.secret', String(secretOf(r).id)) ?? '#'}"
                      >${secretOf(r).display ?? ''}</a
                    >
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
      : html`<p class="text-muted mb-0">No secrets yet.</p>`;
    const add = mayAdd
      ? html`<a class="btn btn-sm btn-success mt-2" href="${ctx.url(ASSOCIATION)}add/?secrets_group=${id}"
          >Add a secret</a
        >`
      : '';
    return { title: 'Secrets', body: html`${table}${add}` };
  },
};
