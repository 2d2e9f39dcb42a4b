import {
  EMPTY_CELL,
  choiceLabel,
  choiceValue,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiContext,
} from '@plinth/plugin-sdk';
import { COMPONENT_KINDS, type ComponentKind } from '../components/kinds';
import { endLink, loadEndOwners } from './cable-ends';

/**
 * The device page's component tabs: interfaces (with LAG membership, 802.1Q mode and VLANs, IP
 * addresses, cable, cable peer and connected endpoint), and the other components. Every table is
 * read through the REST representation (depth 1), so the cable peer and connected endpoint are
 * the values dcim computes for the API; a tab costs a fixed number of queries.
 */

function byId(list: unknown): ApiObject[] {
  return Array.isArray(list) ? (list as ApiObject[]) : [];
}

function refId(v: unknown): string | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

function reachable(o: ApiObject): SafeHtml {
  if (!o.connected_endpoint) return html``;
  return o.connected_endpoint_reachable === false
    ? html`<span class="text-danger" title="Not reachable: a cable on the path is not connected">✘</span>`
    : html`<span class="text-success" title="Reachable">✔</span>`;
}

function text(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

function allLink(ctx: UiContext, label: string, deviceId: string, title: string): SafeHtml {
  const list = ctx.url(label);
  return list
    ? html`<p class="small mt-2 mb-0"><a href="${list}?device=${deviceId}">${title} in the list view</a></p>`
    : html``;
}

/** What a tab shows instead of a table the user may not read. */
function notAllowed(what: string): SafeHtml {
  return html`<div class="card mb-3">
    <div class="card-body text-muted">You do not have permission to view ${what}.</div>
  </div>`;
}

async function interfacesTab(ctx: ObjectContext): Promise<SafeHtml> {
  if (!(await ctx.can('view', 'dcim.interface'))) return notAllowed('interfaces');
  const deviceId = String(ctx.object.id);
  const interfaces = await ctx.api.list('dcim.interface', { device: deviceId }, { depth: 1 });
  const owners = await loadEndOwners(ctx, interfaces);
  const ips = interfaces.length
    ? await ctx.api.list('ipam.ipaddress', { interfaces: interfaces.map((i) => String(i.id)) })
    : [];
  const ipsOf = new Map<string, ApiObject[]>();
  for (const ip of ips)
    for (const i of byId(ip.interfaces)) {
      const id = refId(i);
      if (id) ipsOf.set(id, [...(ipsOf.get(id) ?? []), ip]);
    }
  const membersOf = new Map<string, ApiObject[]>();
  for (const i of interfaces) {
    const lag = refId(i.lag);
    if (lag) membersOf.set(lag, [...(membersOf.get(lag) ?? []), i]);
  }

  const rows = interfaces.map((i) => {
    const id = String(i.id);
    const members = membersOf.get(id) ?? [];
    const lag = i.lag
      ? html`<span class="lag-parent">${objectLink(ctx, i.lag, (i.lag as ApiObject).name)}</span>`
      : members.length
        ? html`<span class="lag-members" title="Members of this LAG"
            >${members.map((m, n) => html`${n ? ', ' : ''}${objectLink(ctx, m, m.name)}`)}</span
          >`
        : EMPTY_CELL;
    const tagged = byId(i.tagged_vlans);
    const mode = choiceValue(i.mode);
    const vlans = mode
      ? html`<span class="vlan-mode">${choiceLabel(i.mode)}</span>
          ${i.untagged_vlan ? html`<br /><small>Untagged: ${objectLink(ctx, i.untagged_vlan)}</small>` : ''}
          ${
            mode === 'tagged-all'
              ? html`<br /><small>Tagged: all</small>`
              : tagged.length
                ? html`<br /><small
                      >Tagged: ${tagged.map((v, n) => html`${n ? ', ' : ''}${objectLink(ctx, v)}`)}</small
                    >`
                : ''
          }`
      : EMPTY_CELL;
    const addresses = ipsOf.get(id) ?? [];
    return {
      data: { interface: String(i.name) },
      className: i.enabled === false ? 'text-muted' : undefined,
      cells: [
        html`${objectLink(ctx, i, i.name)}${i.mgmt_only ? html` <span class="badge text-bg-secondary">mgmt</span>` : ''}`,
        moduleCell(ctx, i),
        i.enabled === false
          ? html`<span class="badge text-bg-secondary">Disabled</span>`
          : colorBadge(ctx, i.status),
        choiceLabel(i.type),
        lag,
        vlans,
        addresses.length
          ? html`${addresses.map((a, n) => html`${n ? html`<br />` : ''}${objectLink(ctx, a)}`)}`
          : EMPTY_CELL,
        objectLink(ctx, i.cable),
        endLink(ctx, i.cable_peer, owners),
        html`${endLink(ctx, i.connected_endpoint, owners)} ${reachable(i)}`,
        text(i.description),
      ],
    };
  });
  return html`<div class="card mb-3">
    <div class="card-header fw-semibold">
      Interfaces <span class="badge text-bg-secondary">${interfaces.length}</span>
    </div>
    <div class="card-body p-2">
      ${dataTable({
        columns: [
          'Name',
          'Module',
          'Status',
          'Type',
          'LAG',
          '802.1Q mode',
          'IP addresses',
          'Cable',
          'Cable peer',
          'Connected endpoint',
          'Description',
        ],
        rows,
        empty: 'This device has no interfaces.',
        className: 'device-interfaces',
      })}
      ${allLink(ctx, 'dcim.interface', deviceId, 'All interfaces')}
    </div>
  </div>`;
}

/** The module a component sits on (its module type's model links to the module). */
function moduleCell(ctx: UiContext, o: ApiObject): Html {
  const module = o.module as ApiObject | null;
  return module ? objectLink(ctx, module) : EMPTY_CELL;
}

type Column = readonly [string, (o: ApiObject, ctx: UiContext) => Html];

/** Columns of a kind's table beyond name, label, type, cable and description. */
const EXTRA_COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  powerport: [
    ['Maximum draw (W)', (o) => text(o.maximum_draw)],
    ['Allocated draw (W)', (o) => text(o.allocated_draw)],
  ],
  poweroutlet: [
    ['Power port', (o, ctx) => objectLink(ctx, o.power_port, (o.power_port as ApiObject | null)?.name)],
    ['Feed leg', (o) => text(choiceLabel(o.feed_leg))],
  ],
  frontport: [
    [
      'Rear port',
      (o, ctx) =>
        html`${objectLink(ctx, o.rear_port, (o.rear_port as ApiObject | null)?.name)}:${String(o.rear_port_position ?? '')}`,
    ],
  ],
  rearport: [['Positions', (o) => text(o.positions)]],
  devicebay: [['Installed device', (o, ctx) => objectLink(ctx, o.installed_device)]],
};

/** "Console Server Ports". */
function titleOf(kind: ComponentKind): string {
  return kind.verbose_name_plural.replace(/\b\w/g, (c) => c.toUpperCase());
}

function componentTable(
  ctx: UiContext,
  kind: ComponentKind,
  objects: readonly ApiObject[],
  owners: Map<string, ApiObject>,
): SafeHtml {
  const extra = EXTRA_COLUMNS[kind.model] ?? [];
  const typed = kind.template_fields.includes('type');
  const modular = !kind.device_only;
  const columns = [
    'Name',
    ...(modular ? ['Module'] : []),
    'Label',
    ...(typed ? ['Type'] : []),
    ...extra.map(([title]) => title),
    ...(kind.cabled ? ['Cable', 'Cable peer'] : []),
    ...(kind.path_endpoint ? ['Connected endpoint'] : []),
    'Description',
  ];
  const rows = objects.map((o) => ({
    data: { component: String(o.name) },
    cells: [
      objectLink(ctx, o, o.name),
      ...(modular ? [moduleCell(ctx, o)] : []),
      text(o.label),
      ...(typed ? [text(choiceLabel(o.type))] : []),
      ...extra.map(([, cell]) => cell(o, ctx)),
      ...(kind.cabled ? [objectLink(ctx, o.cable), endLink(ctx, o.cable_peer, owners)] : []),
      ...(kind.path_endpoint ? [html`${endLink(ctx, o.connected_endpoint, owners)} ${reachable(o)}`] : []),
      text(o.description),
    ],
  }));
  return dataTable({ columns, rows, className: `device-components device-${kind.model}s` });
}

async function componentsTab(ctx: ObjectContext): Promise<SafeHtml> {
  const deviceId = String(ctx.object.id);
  const lists: { kind: ComponentKind; objects: ApiObject[] }[] = [];
  const hidden: string[] = [];
  for (const kind of COMPONENT_KINDS.filter((k) => !k.own_device_tab)) {
    if (await ctx.can('view', kind.label))
      lists.push({ kind, objects: await ctx.api.list(kind.label, { device: deviceId }, { depth: 1 }) });
    else hidden.push(kind.verbose_name_plural);
  }
  const owners = await loadEndOwners(
    ctx,
    lists.flatMap((l) => l.objects),
  );
  const shown = lists.filter((l) => l.objects.length > 0);
  const notes = hidden.length ? notAllowed(hidden.join(', ')) : html``;
  if (shown.length === 0)
    return html`${notes}
      <div class="card">
        <div class="card-body text-muted">This device has no components other than interfaces.</div>
      </div>`;
  return html`${notes}${shown.map(
    ({ kind, objects }) =>
      html`<div class="card mb-3" data-component-kind="${kind.label}">
        <div class="card-header fw-semibold">
          ${titleOf(kind)} <span class="badge text-bg-secondary">${objects.length}</span>
        </div>
        <div class="card-body p-2">
          ${componentTable(ctx, kind, objects, owners)}
          ${allLink(ctx, kind.label, deviceId, `All ${kind.verbose_name_plural}`)}
        </div>
      </div>`,
  )}`;
}

/** dcim's contribution to device pages: the Interfaces and Components tabs. */
export const deviceComponentTabs: TemplateExtension = {
  model: 'dcim.device',
  detail_tabs: [
    { key: 'interfaces', label: 'Interfaces', weight: 10, render: interfacesTab },
    { key: 'components', label: 'Components', weight: 20, render: componentsTab },
  ],
};
