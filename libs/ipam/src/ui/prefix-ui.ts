import { Injectable } from '@nestjs/common';
import {
  InjectSql,
  availableRow,
  EMPTY_CELL,
  choiceLabel,
  choiceValue,
  colorBadge,
  dataTable,
  html,
  objectLink,
  utilizationBar,
  type ApiObject,
  type DetailTab,
  type Html,
  type ListContext,
  type ObjectContext,
  type SafeHtml,
  type TableColumn,
  type TableRow,
  type SqlRunner,
  type TemplateExtension,
  type UiContext,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { freeAddressRanges, freePrefixes, type ParentPrefix } from '../available/space';
import type { Utilization } from '../computed';
import { addressText, parseInet, parseNetwork } from '../ip';

/**
 * Prefix pages: the utilization bar (the `utilization` ipam computes for the API, in the list too),
 * the child prefixes with the free blocks between them, and the addresses with the free ranges
 * between them. Free space comes from the allocation code (`available-prefixes`/`-ips`), so the
 * pages show exactly what the API would hand out.
 */

/** Child prefixes and addresses shown on a prefix page (a full REST page). */
const SHOWN = 1000;
/** Free blocks / ranges listed between them. */
const FREE_SHOWN = 100;

function isUtilization(v: unknown): v is Utilization {
  return typeof v === 'object' && v !== null && typeof (v as Utilization).percent === 'number';
}

/** The bar of a prefix as the API shows it (with its `utilization`); the empty dash without. */
export function prefixUtilization(p: ApiObject): Html {
  const u = p.utilization;
  if (!isUtilization(u)) return EMPTY_CELL;
  const what = choiceValue(p.type) === 'container' ? 'addresses in child prefixes' : 'addresses used';
  return utilizationBar(u.percent, `${u.numerator} of ${u.denominator} ${what}`);
}

/** The prefixes list's Utilization column: the bar of each row, from the row itself (no query). */
export const prefixUtilizationColumn: TableColumn = {
  model: 'ipam.prefix',
  name: 'utilization_bar',
  label: 'Utilization',
  default: true,
  render(objects: readonly ApiObject[], _ctx: ListContext) {
    return new Map(objects.map((p) => [String(p.id), prefixUtilization(p)]));
  },
};

function parentOf(record: Record<string, unknown>): ParentPrefix {
  return {
    id: String(record.id),
    prefix: String(record.prefix),
    namespace_id: String(record.namespace),
    type: String(record.type),
  };
}

function addLink(ctx: UiContext, label: string, params: Record<string, string>, text: string): Html {
  const list = ctx.url(label);
  if (!list) return text;
  return html`<a href="${list}add/?${new URLSearchParams(params).toString()}">${text}</a>`;
}

function interfacesOf(ctx: UiContext, ip: ApiObject): Html {
  const list = (ip.interfaces as ApiObject[] | undefined) ?? [];
  return list.length ? html`${list.map((i, n) => html`${n ? ', ' : ''}${objectLink(ctx, i)}`)}` : EMPTY_CELL;
}

/** Row order: by first address; at the same address a shorter mask (the parent) first. */
function byAddress(a: { first: bigint; length: number }, b: { first: bigint; length: number }): number {
  return a.first < b.first ? -1 : a.first > b.first ? 1 : a.length - b.length;
}

/** A tab's table in a card, under a warning when the list was cut short. */
function tableCard(notice: string | null, table: SafeHtml): SafeHtml {
  return html`<div class="card">
    <div class="card-body p-2">
      ${notice ? html`<div class="alert alert-warning">${notice}</div>` : ''}${table}
    </div>
  </div>`;
}

@Injectable()
export class PrefixPages implements TemplateExtension {
  readonly model = 'ipam.prefix';
  readonly detail_tabs: readonly DetailTab[];

  constructor(@InjectSql() private readonly db: SqlRunner) {
    this.detail_tabs = [
      { key: 'prefixes', label: 'Child Prefixes', weight: 10, render: (ctx) => this.childPrefixes(ctx) },
      { key: 'addresses', label: 'IP Addresses', weight: 20, render: (ctx) => this.addresses(ctx) },
    ];
  }

  /** The utilization bar, at the top of the right column. */
  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    const [p] = await ctx.api.list('ipam.prefix', { id: String(ctx.object.id) });
    if (!p || !isUtilization(p.utilization)) return null;
    const u = p.utilization;
    const container = choiceValue(p.type) === 'container';
    return {
      title: 'Utilization',
      body: html`<div class="prefix-utilization">
        ${prefixUtilization(p)}
        <p class="small text-muted mt-2 mb-0">
          ${u.numerator.toLocaleString('en')} of ${u.denominator.toLocaleString('en')}
          ${container ? 'addresses covered by child prefixes' : 'addresses in use'}
        </p>
      </div>`,
    };
  }

  /** Every prefix inside this one (indented by nesting), with the free blocks between its children. */
  private async childPrefixes(ctx: ObjectContext): Promise<SafeHtml> {
    const parent = parentOf(ctx.object);
    const children = await ctx.api.list(
      'ipam.prefix',
      { namespace: parent.namespace_id, within: parent.prefix },
      { depth: 1, limit: SHOWN },
    );
    const free = await freePrefixes(this.db, parent, FREE_SHOWN);
    const rows: (TableRow & { first: bigint; length: number })[] = [];
    // Nesting depth below this prefix: how many listed prefixes contain each one.
    const open: bigint[] = [];
    for (const c of children) {
      const net = parseNetwork(String(c.prefix));
      while (open.length && open[open.length - 1] < net.first) open.pop();
      const depth = open.length;
      open.push(net.last);
      rows.push({
        first: net.first,
        length: net.length,
        data: { prefix: String(c.prefix), depth },
        cells: [
          html`<span style="padding-left:${depth * 1.25}rem">${objectLink(ctx, c)}</span>`,
          choiceLabel(c.type),
          colorBadge(ctx, c.status),
          objectLink(ctx, c.vlan),
          objectLink(ctx, c.location),
          prefixUtilization(c),
          c.description ? String(c.description) : EMPTY_CELL,
        ],
      });
    }
    for (const block of free) {
      const net = parseNetwork(block);
      rows.push({
        first: net.first,
        length: net.length,
        ...availableRow(
          addLink(ctx, 'ipam.prefix', { prefix: block, namespace: parent.namespace_id }, block),
          'Available',
          7,
          { prefix: block },
        ),
      });
    }
    rows.sort(byAddress);
    return tableCard(
      children.length === SHOWN ? `Only the first ${SHOWN} child prefixes are shown.` : null,
      dataTable({
        columns: ['Prefix', 'Type', 'Status', 'VLAN', 'Location', 'Utilization', 'Description'],
        rows,
        empty: 'No child prefixes, and no free space.',
        className: 'prefix-children',
      }),
    );
  }

  /** The addresses inside this prefix, with the free ranges between them. */
  private async addresses(ctx: ObjectContext): Promise<SafeHtml> {
    const parent = parentOf(ctx.object);
    const ips = await ctx.api.list(
      'ipam.ipaddress',
      { namespace: parent.namespace_id, prefix: parent.prefix },
      { depth: 1, limit: SHOWN },
    );
    const { net, gaps } = await freeAddressRanges(this.db, parent, FREE_SHOWN);
    const truncated = ips.length === SHOWN;
    const lastShown = truncated ? parseInet(String(ips[ips.length - 1].address)).value : null;
    const rows: (TableRow & { first: bigint; length: number })[] = ips.map((ip) => {
      const host = parseInet(String(ip.address)).value;
      return {
        first: host,
        length: net.bits,
        data: { address: String(ip.address) },
        cells: [
          objectLink(ctx, ip),
          colorBadge(ctx, ip.status),
          colorBadge(ctx, ip.role),
          choiceLabel(ip.type),
          ip.dns_name ? String(ip.dns_name) : EMPTY_CELL,
          interfacesOf(ctx, ip),
          ip.description ? String(ip.description) : EMPTY_CELL,
        ],
      };
    });
    for (const g of gaps) {
      // Past the last address shown, the next addresses are not on the page: stop there.
      if (lastShown !== null && g.first > lastShown) break;
      const first = `${addressText(net.version, g.first)}/${net.length}`;
      const last = `${addressText(net.version, g.last)}/${net.length}`;
      const size = g.last - g.first + 1n;
      rows.push({
        first: g.first,
        length: net.bits,
        ...availableRow(
          html`${addLink(ctx, 'ipam.ipaddress', { address: first, namespace: parent.namespace_id }, first)}${
            size > 1n ? html` – ${last}` : ''
          }`,
          `${size.toLocaleString('en')} free`,
          7,
          { address: first },
        ),
      });
    }
    rows.sort(byAddress);
    return tableCard(
      truncated ? `Only the first ${SHOWN} addresses are shown.` : null,
      dataTable({
        columns: ['Address', 'Status', 'Role', 'Type', 'DNS name', 'Interfaces', 'Description'],
        rows,
        empty: 'No addresses, and no free space.',
        className: 'prefix-addresses',
      }),
    );
  }
}
