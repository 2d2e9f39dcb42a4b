import {
  EMPTY_CELL,
  choiceLabel,
  colorBadge,
  dataTable,
  html,
  objectLink,
  utilizationBar,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiContext,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { endLink, loadEndOwners } from '../ui/cable-ends';
import type { PowerDraw } from './draw';

/**
 * Power utilization on the pages Nautobot shows it: a feed's draw is the `power_draw` of the
 * power port at the end of its path, against the feed's available power (a third of it per leg
 * of a three-phase feed). Every number comes from the REST representation (`available_power`,
 * `connected_endpoint`, `power_draw`), so the pages show what the API answers.
 */

function refId(v: unknown): string | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

function drawOf(port: ApiObject | undefined): PowerDraw | null {
  const d = port?.power_draw as PowerDraw | null | undefined;
  return d && typeof d.allocated === 'number' ? d : null;
}

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** A utilization bar of `allocated` VA against `available` VA; a dash without a feed to measure against. */
export function powerBar(allocated: number, available: number): SafeHtml {
  return available > 0
    ? utilizationBar(percent(allocated, available), `${allocated} VA of ${available} VA`)
    : EMPTY_CELL;
}

/** The power ports at the ends of these feeds' paths, with their `power_draw`, by port id (one read). */
async function endpointPorts(ctx: UiContext, feeds: readonly ApiObject[]): Promise<Map<string, ApiObject>> {
  const ids = feeds
    .filter((f) => (f.connected_endpoint as ApiObject | null)?.object_type === 'dcim.powerport')
    .map((f) => refId(f.connected_endpoint))
    .filter((id): id is string => id !== null);
  if (ids.length === 0) return new Map();
  const ports = await ctx.api.list('dcim.powerport', { id: ids }, { depth: 1 });
  return new Map(ports.map((p) => [String(p.id), p]));
}

/** A table of feeds with what they feed and their utilization (panel and rack pages). */
async function feedsTable(
  ctx: UiContext,
  feeds: ApiObject[],
  first: 'panel' | 'rack',
  className: string,
): Promise<SafeHtml> {
  const ports = await endpointPorts(ctx, feeds);
  const owners = await loadEndOwners(ctx, feeds, ['connected_endpoint']);
  // The rack page's column is narrow: panel, feed, type, what it feeds and the bar (as Nautobot's).
  const wide = first === 'rack';
  return dataTable({
    columns: [
      wide ? 'Rack' : 'Power panel',
      'Feed',
      ...(wide ? ['Status'] : []),
      'Type',
      ...(wide ? ['Phase', 'Available'] : []),
      'Connected to',
      'Utilization',
    ],
    rows: feeds.map((f) => {
      const draw = drawOf(ports.get(refId(f.connected_endpoint) ?? ''));
      const available = Number(f.available_power ?? 0);
      return {
        data: { feed: String(f.name) },
        cells: [
          objectLink(ctx, wide ? f.rack : f.power_panel),
          objectLink(ctx, f, f.name),
          ...(wide ? [colorBadge(ctx, f.status)] : []),
          choiceLabel(f.type),
          ...(wide ? [choiceLabel(f.phase), `${available} VA`] : []),
          endLink(ctx, f.connected_endpoint, owners),
          draw ? powerBar(draw.allocated, available) : EMPTY_CELL,
        ],
      };
    }),
    empty: 'No power feeds.',
    className,
  });
}

/** Power panel pages: the panel's feeds with their utilization. */
export const powerPanelFeeds: TemplateExtension = {
  model: 'dcim.powerpanel',
  async full_width_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (!(await ctx.can('view', 'dcim.powerfeed'))) return null;
    const feeds = await ctx.api.list('dcim.powerfeed', { power_panel: String(ctx.object.id) }, { depth: 1 });
    return {
      title: `Power Feeds (${feeds.length})`,
      body: await feedsTable(ctx, feeds, 'rack', 'power-panel-feeds'),
    };
  },
};

/** Rack pages: the feeds into the rack with their utilization. */
export const rackPowerFeeds: TemplateExtension = {
  model: 'dcim.rack',
  async left_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (!(await ctx.can('view', 'dcim.powerfeed'))) return null;
    const feeds = await ctx.api.list('dcim.powerfeed', { rack: String(ctx.object.id) }, { depth: 1 });
    return {
      title: `Power Feeds (${feeds.length})`,
      body: await feedsTable(ctx, feeds, 'panel', 'rack-power-feeds'),
    };
  },
};

function utilizationRows(draw: PowerDraw, available: number, name: Html): Html[][] {
  const legAvailable = Math.round(available / 3);
  return [
    [
      name,
      String(draw.outlet_count),
      `${draw.allocated} VA`,
      available > 0 ? `${available} VA` : EMPTY_CELL,
      powerBar(draw.allocated, available),
    ],
    ...draw.legs.map((leg) => [
      html`<span class="ps-3">Leg ${leg.name}</span>`,
      String(leg.outlet_count),
      `${leg.allocated} VA`,
      available > 0 ? `${legAvailable} VA` : EMPTY_CELL,
      powerBar(leg.allocated, legAvailable),
    ]),
  ];
}

/** Power feed pages: what the connected power port draws against the feed's available power. */
export const powerFeedUtilization: TemplateExtension = {
  model: 'dcim.powerfeed',
  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    const [feed] = await ctx.api.list('dcim.powerfeed', { id: [String(ctx.object.id)] }, { depth: 1 });
    if (!feed) return null;
    const port = (await endpointPorts(ctx, [feed])).get(refId(feed.connected_endpoint) ?? '');
    const draw = drawOf(port);
    const available = Number(feed.available_power ?? 0);
    const owners = await loadEndOwners(ctx, [feed], ['connected_endpoint']);
    return {
      title: 'Power Utilization',
      body: draw
        ? html`<p class="mb-2">Connected to ${endLink(ctx, feed.connected_endpoint, owners)}</p>
            ${dataTable({
              columns: ['Input', 'Outlets', 'Allocated', 'Available', 'Utilization'],
              rows: utilizationRows(draw, available, objectLink(ctx, port, port?.name)),
              className: 'power-feed-utilization',
            })}`
        : html`<p class="text-muted mb-0 power-feed-utilization">
            Not connected to a power port: nothing draws from this feed.
          </p>`,
    };
  },
};

/** Device pages: each power port's draw against the feed at the end of its path (Nautobot's Power Utilization). */
export const devicePowerUtilization: TemplateExtension = {
  model: 'dcim.device',
  async left_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (!(await ctx.can('view', 'dcim.powerport'))) return null;
    const ports = await ctx.api.list('dcim.powerport', { device: String(ctx.object.id) }, { depth: 1 });
    if (ports.length === 0) return null;
    const feedIds = ports
      .filter((p) => (p.connected_endpoint as ApiObject | null)?.object_type === 'dcim.powerfeed')
      .map((p) => refId(p.connected_endpoint)!);
    const feeds = feedIds.length ? await ctx.api.list('dcim.powerfeed', { id: feedIds }) : [];
    const available = new Map(feeds.map((f) => [String(f.id), Number(f.available_power ?? 0)]));
    const rows = ports.flatMap((p) => {
      const draw = drawOf(p);
      if (!draw) return [];
      return utilizationRows(
        draw,
        available.get(refId(p.connected_endpoint) ?? '') ?? 0,
        objectLink(ctx, p, p.name),
      );
    });
    return {
      title: 'Power Utilization',
      body: dataTable({
        columns: ['Input', 'Outlets', 'Allocated', 'Available', 'Utilization'],
        rows,
        className: 'device-power-utilization',
      }),
    };
  },
};

export const POWER_UI = [powerPanelFeeds, rackPowerFeeds, powerFeedUtilization, devicePowerUtilization];
