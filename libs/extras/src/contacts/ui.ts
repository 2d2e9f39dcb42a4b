import {
  EMPTY_CELL,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type NavTab,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { CONTACT_ASSOCIATION_MODEL } from './models';

const isObject = (v: unknown): v is ApiObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A remove button: a POST to the association's delete view, back to this tab afterwards. */
function removeButton(ctx: ObjectContext, association: ApiObject, back: string): Html {
  const url = ctx.url(CONTACT_ASSOCIATION_MODEL, String(association.id));
  if (!url) return '';
  return html`<form method="post" action="${url}delete/" class="d-inline">
    <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
    <input type="hidden" name="return_url" value="${back}" />
    <button type="submit" class="btn btn-sm btn-outline-danger contact-remove">Remove</button>
  </form>`;
}

/**
 * The Contacts tab of every model with the `contacts` feature: the contacts and teams associated
 * with the object (role, status, how to reach them), with buttons to associate another contact
 * or team (the association form, filled in for this object) and to remove an association.
 */
async function contactsTab(ctx: ObjectContext): Promise<SafeHtml> {
  if (!(await ctx.can('view', CONTACT_ASSOCIATION_MODEL)))
    return html`<div class="card mb-3">
      <div class="card-body text-muted">You do not have permission to view contact associations.</div>
    </div>`;
  const id = String(ctx.object.id);
  const back = `${ctx.url(ctx.model.label, id) ?? ctx.path}?tab=contacts`;
  const associations = await ctx.api.list(
    CONTACT_ASSOCIATION_MODEL,
    { associated_object_type: ctx.model.label, associated_object_id: id },
    { depth: 1 },
  );
  const canDelete = await ctx.can('delete', CONTACT_ASSOCIATION_MODEL);
  const rows = associations.map((a) => {
    const who = isObject(a.contact) ? a.contact : isObject(a.team) ? a.team : null;
    const email = who && typeof who.email === 'string' && who.email ? who.email : '';
    return {
      cells: [
        who ? objectLink(ctx, who, who.name) : EMPTY_CELL,
        isObject(a.contact) ? 'Contact' : 'Team',
        colorBadge(ctx, a.role),
        colorBadge(ctx, a.status),
        who && who.phone ? html`${who.phone}` : EMPTY_CELL,
        email ? html`<a href="mailto:${email}">${email}</a>` : EMPTY_CELL,
        canDelete ? removeButton(ctx, a, back) : '',
      ],
    };
  });
  const table = dataTable({
    columns: ['Name', 'Type', 'Role', 'Status', 'Phone', 'E-mail', ''],
    rows,
    empty: 'No contacts or teams are associated with this object.',
    className: 'contact-associations',
  });
  const list = ctx.url(CONTACT_ASSOCIATION_MODEL);
  const add = (await ctx.can('add', CONTACT_ASSOCIATION_MODEL)) && list;
  const addUrl = `${list}add/?associated_object_type=${encodeURIComponent(ctx.model.label)}&associated_object_id=${id}&return_url=${encodeURIComponent(back)}`;
  const buttons = add
    ? html`<div class="mt-2">
        <a class="btn btn-sm btn-success add-contact" href="${addUrl}">Add a contact or team</a>
      </div>`
    : '';
  return html`<div class="card mb-3">
    <div class="card-header">Contacts</div>
    <div class="card-body p-2">${table}${buttons}</div>
  </div>`;
}

/** The objects a contact or team is associated with, on its own page (Nautobot's Associations). */
async function associationsPanel(ctx: ObjectContext): Promise<UiPanel | null> {
  if (!(await ctx.can('view', CONTACT_ASSOCIATION_MODEL))) return null;
  const side = ctx.model.label === 'extras.contact' ? 'contact' : 'team';
  const associations = await ctx.api.list(
    CONTACT_ASSOCIATION_MODEL,
    { [side]: String(ctx.object.id) },
    { depth: 1 },
  );
  return {
    title: 'Associations',
    body: dataTable({
      columns: ['Object', 'Type', 'Role', 'Status'],
      rows: associations.map((a) => {
        const target = isObject(a.associated_object) ? a.associated_object : null;
        return [
          target ? objectLink(ctx, target) : html`${a.associated_object_id}`,
          html`${a.associated_object_type}`,
          colorBadge(ctx, a.role),
          colorBadge(ctx, a.status),
        ];
      }),
      empty: `This ${ctx.model.verbose_name} is not associated with any object.`,
      className: 'contact-associated-objects',
    }),
  };
}

export const contactPages: readonly TemplateExtension[] = [
  { model: ['extras.contact', 'extras.team'], full_width_page: associationsPanel },
  {
    model: '*',
    feature: 'contacts',
    detail_tabs: [{ key: 'contacts', label: 'Contacts', weight: 50, render: contactsTab }],
  },
];

/** Organization → Contacts, as in Nautobot's menu. */
export const contactsNavigation: NavTab = {
  name: 'Organization',
  groups: [
    {
      name: 'Contacts',
      weight: 400,
      items: [
        { model: 'extras.contact' },
        { model: 'extras.team' },
        { model: 'extras.contactassociation', label: 'Contact Associations' },
      ],
    },
  ],
};
