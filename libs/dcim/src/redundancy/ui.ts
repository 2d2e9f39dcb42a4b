import {
  EMPTY_CELL,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type NavTab,
  type ObjectContext,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';

const isObject = (v: unknown): v is ApiObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Members of a device redundancy group, highest priority first (lowest number), with their status. */
async function deviceMembers(ctx: ObjectContext): Promise<UiPanel | null> {
  if (!(await ctx.can('view', 'dcim.device'))) return null;
  const id = String(ctx.object.id);
  const devices = await ctx.api.list(
    'dcim.device',
    { device_redundancy_group: id },
    { depth: 1, sort: ['device_redundancy_group_priority', 'name'] },
  );
  const list = ctx.url('dcim.device');
  return {
    title: 'Members',
    body: html`${dataTable({
      columns: ['Device', 'Priority', 'Status', 'Location', 'Role'],
      rows: devices.map((d) => [
        objectLink(ctx, d, d.display),
        d.device_redundancy_group_priority === null
          ? EMPTY_CELL
          : html`${d.device_redundancy_group_priority}`,
        colorBadge(ctx, d.status),
        objectLink(ctx, d.location),
        colorBadge(ctx, d.role),
      ]),
      empty: 'No devices are in this group.',
      className: 'redundancy-members',
    })}${list ? html`<p class="small mt-2 mb-0"><a href="${list}?device_redundancy_group=${id}">These devices in the device list</a></p>` : ''}`,
  };
}

/** Member interfaces of an interface redundancy group, by priority, with a button adding one. */
async function interfaceMembers(ctx: ObjectContext): Promise<UiPanel | null> {
  const label = 'dcim.interfaceredundancygroupassociation';
  if (!(await ctx.can('view', label))) return null;
  const id = String(ctx.object.id);
  const members = await ctx.api.list(
    label,
    { interface_redundancy_group: id },
    { depth: 2, sort: ['-priority'] },
  );
  const list = ctx.url(label);
  const back = `${ctx.url(ctx.model.label, id) ?? ctx.path}`;
  const add =
    list && (await ctx.can('add', label))
      ? html`<a
          class="btn btn-sm btn-success mt-2 add-member"
          href="${list}add/?interface_redundancy_group=${id}&return_url=${encodeURIComponent(back)}"
          >Add an interface</a
        >`
      : '';
  return {
    title: 'Members',
    body: html`${dataTable({
      columns: ['Device', 'Interface', 'Priority', ''],
      rows: members.map((m) => {
        const iface = isObject(m.interface) ? m.interface : null;
        return [
          iface ? objectLink(ctx, iface.device) : EMPTY_CELL,
          iface ? objectLink(ctx, iface, iface.name) : EMPTY_CELL,
          html`${m.priority}`,
          objectLink(ctx, m, 'Association'),
        ];
      }),
      empty: 'No interfaces are in this group.',
      className: 'redundancy-members',
    })}${add}`,
  };
}

export const redundancyPages: readonly TemplateExtension[] = [
  { model: 'dcim.deviceredundancygroup', full_width_page: deviceMembers },
  { model: 'dcim.interfaceredundancygroup', full_width_page: interfaceMembers },
];

/** Devices → Redundancy, as Nautobot's menu has them. */
export const redundancyNavigation: NavTab = {
  name: 'Devices',
  groups: [
    {
      name: 'Redundancy',
      weight: 250,
      items: [
        { model: 'dcim.deviceredundancygroup' },
        { model: 'dcim.interfaceredundancygroup' },
        {
          model: 'dcim.interfaceredundancygroupassociation',
          label: 'Interface Redundancy Group Associations',
        },
      ],
    },
  ],
};
