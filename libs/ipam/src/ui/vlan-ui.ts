import { Injectable } from '@nestjs/common';
import {
  InjectSql,
  EMPTY_CELL,
  availableRow,
  choiceLabel,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type ObjectContext,
  type TableRow,
  type SqlRunner,
  type TemplateExtension,
  type UiContext,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { freeVids } from '../available/space';
import { prefixUtilization } from './prefix-ui';

/** Runs of consecutive numbers: [1, 2, 3, 7] -> [[1, 3], [7, 7]]. */
export function runs(numbers: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of numbers) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

function addVlanLink(ctx: UiContext, groupId: string, vid: number, text: string) {
  const list = ctx.url('ipam.vlan');
  return list ? html`<a href="${list}add/?vid=${vid}&amp;vlan_group=${groupId}">${text}</a>` : html`${text}`;
}

/**
 * A VLAN group's page: its VLANs in VID order with the free VLAN IDs between them (the ones the
 * `available-vlans` endpoint hands out), each free run linked to a prefilled add form.
 */
@Injectable()
export class VlanGroupPanels implements TemplateExtension {
  readonly model = 'ipam.vlangroup';

  constructor(@InjectSql() private readonly db: SqlRunner) {}

  async left_page(ctx: ObjectContext): Promise<UiPanel> {
    const groupId = String(ctx.object.id);
    const vlans = await ctx.api.list('ipam.vlan', { vlan_group: groupId }, { depth: 1, sort: ['vid'] });
    const free = runs(await freeVids(this.db, groupId));
    const rows: (TableRow & { vid: number })[] = vlans.map((v) => ({
      vid: Number(v.vid),
      data: { vid: Number(v.vid) },
      cells: [
        String(v.vid),
        objectLink(ctx, v, v.name),
        colorBadge(ctx, v.status),
        colorBadge(ctx, v.role),
        objectLink(ctx, v.location),
        objectLink(ctx, v.tenant),
        v.description ? String(v.description) : EMPTY_CELL,
      ],
    }));
    for (const [first, last] of free)
      rows.push({
        vid: first,
        ...availableRow(
          addVlanLink(ctx, groupId, first, first === last ? String(first) : `${first}–${last}`),
          `${last - first + 1} available`,
          7,
        ),
      });
    rows.sort((a, b) => a.vid - b.vid);
    return {
      title: `VLANs (${vlans.length})`,
      body: dataTable({
        columns: ['VID', 'Name', 'Status', 'Role', 'Location', 'Tenant', 'Description'],
        rows,
        className: 'vlan-group-vlans',
      }),
    };
  }
}

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
          columns: ['Prefix', 'Type', 'Status', 'Namespace', 'Location', 'Utilization'],
          rows: prefixes.map((p) => [
            objectLink(ctx, p),
            choiceLabel(p.type),
            colorBadge(ctx, p.status),
            objectLink(ctx, p.namespace),
            objectLink(ctx, p.location),
            prefixUtilization(p),
          ]),
          empty: 'No prefix is assigned to this VLAN.',
          className: 'vlan-prefixes',
        }),
      },
    ];
  },
};
