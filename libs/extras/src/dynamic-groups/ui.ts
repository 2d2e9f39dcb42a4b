import {
  dataTable,
  html,
  objectLink,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';

/** Members shown on the group's tab; the whole list is the content type's list, filtered. */
const MEMBERS_SHOWN = 100;

async function membersTab(ctx: ObjectContext): Promise<SafeHtml> {
  const contentType = String(ctx.object.content_type);
  const id = String(ctx.object.id);
  const list = ctx.url(contentType);
  if (!list || !(await ctx.can('view', contentType)))
    return html`<div class="card mb-3">
      <div class="card-body text-muted">You do not have permission to view ${contentType} objects.</div>
    </div>`;
  const members = await ctx.api.list(contentType, { dynamic_groups: id }, { limit: MEMBERS_SHOWN + 1 });
  const shown = members.slice(0, MEMBERS_SHOWN);
  const table = dataTable({
    columns: ['Member', 'Type'],
    rows: shown.map((m) => ({ cells: [objectLink(ctx, m, m.display), html`${contentType}`] })),
    className: 'dynamic-group-members',
  });
  const more =
    members.length > MEMBERS_SHOWN
      ? html`The first ${MEMBERS_SHOWN} members. `
      : html`${shown.length} member${shown.length === 1 ? '' : 's'}. `;
  return html`<div class="card mb-3">
    <div class="card-header">Members</div>
    <div class="card-body p-2">
      ${shown.length ? table : html`<p class="text-muted mb-0">No members.</p>`}
      <p class="small mt-2 mb-0">
        ${more}<a href="${list}?dynamic_groups=${id}">All members in the list view</a> (add more filters
        there).
      </p>
    </div>
  </div>`;
}

/** The groups an object belongs to, on the detail page of every model with the feature. */
async function groupsPanel(ctx: ObjectContext): Promise<UiPanel | null> {
  if (!ctx.model.has('dynamic_groups') || !(await ctx.can('view', 'extras.dynamicgroup'))) return null;
  const groups = await ctx.api.list('extras.dynamicgroup', { member_id: String(ctx.object.id) });
  return {
    title: 'Dynamic Groups',
    body: groups.length
      ? html`<ul class="list-unstyled mb-0 dynamic-groups">
          ${groups.map((g) => html`<li>${objectLink(ctx, g, g.display)}</li>`)}
        </ul>`
      : html`<span class="text-muted">Not a member of any group.</span>`,
  };
}

export const dynamicGroupPages: readonly TemplateExtension[] = [
  {
    model: 'extras.dynamicgroup',
    detail_tabs: [{ key: 'members', label: 'Members', weight: 10, render: membersTab }],
  },
  { model: '*', right_page: groupsPanel },
];
