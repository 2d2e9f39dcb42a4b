import {
  EMPTY_CELL,
  choiceLabel,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type ObjectContext,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';

/**
 * A VLAN's page: the interfaces carrying it (untagged or tagged) and the prefixes assigned to it.
 */
export const vlanPanels: TemplateExtension = {
  model: 'ipam.vlan',
  async left_page(ctx: ObjectContext): Promise<UiPanel[]> {
    const id = String(ctx.object.id);
    const untagged = await ctx.api.list('dcim.interface', { untagged_vlan: id }, { depth: 1 });
    const tagged = await ctx.api.list('dcim.interface', { tagged_vlans: id }, { depth: 1 });
    const prefixes = await ctx.api.list('ipam.prefix', { vlan: id }, { depth: 1 });
    const interfaces = [
      ...untagged.map((i) => ({ i, how: 'Untagged' })),
      ...tagged.map((i) => ({ i, how: 'Tagged' })),
    ].sort(
      (a, b) =>
        String((a.i.device as ApiObject | null)?.display).localeCompare(
          String((b.i.device as ApiObject | null)?.display),
        ) || String(a.i.name).localeCompare(String(b.i.name), undefined, { numeric: true }),
    );
    return [
      {
        title: `Interfaces (${interfaces.length})`,
        body: dataTable({
          columns: ['Device', 'Interface', '802.1Q mode', 'Tagging', 'Description'],
          rows: interfaces.map(({ i, how }) => ({
            data: {
              interface: `${String((i.device as ApiObject | null)?.display)} ${String(i.name)}`,
              tagging: how,
            },
            cells: [
              objectLink(ctx, i.device),
              objectLink(ctx, i, i.name),
              choiceLabel(i.mode) || EMPTY_CELL,
              how === 'Tagged'
                ? html`<span class="badge text-bg-info">Tagged</span>`
                : html`<span class="badge text-bg-primary">Untagged</span>`,
              i.description ? String(i.description) : EMPTY_CELL,
            ],
          })),
          empty: 'No interface carries this VLAN.',
          className: 'vlan-interfaces',
        }),
      },
      {
        title: `Prefixes (${prefixes.length})`,
        body: dataTable({
          columns: ['Prefix', 'Type', 'Status', 'Namespace', 'Location'],
          rows: prefixes.map((p) => [
            objectLink(ctx, p),
            choiceLabel(p.type),
            colorBadge(ctx, p.status),
            objectLink(ctx, p.namespace),
            objectLink(ctx, p.location),
          ]),
          empty: 'No prefix is assigned to this VLAN.',
          className: 'vlan-prefixes',
        }),
      },
    ];
  },
};
