import { Injectable } from '@nestjs/common';
import {
  EMPTY_CELL,
  InjectSql,
  sql,
  colorBadge,
  dataTable,
  html,
  objectLink,
  type ApiObject,
  type ObjectContext,
  type SqlRunner,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { countLink, countsBelowLocations, locationCountColumn } from './location-counts';

/** Devices listed on a location page (the rest are one click away, in the filtered list). */
const DEVICES_SHOWN = 50;

/** The locations list: racks and devices at each location and below (ipam adds prefixes). */
export const LocationRackCount = locationCountColumn({
  name: 'rack_count',
  label: 'Racks',
  model: 'dcim.rack',
  column: 'location_id',
});
export const LocationDeviceCount = locationCountColumn({
  name: 'device_count',
  label: 'Devices',
  model: 'dcim.device',
  column: 'location_id',
});

/**
 * A location's page: its child locations (with their rack and device counts), its racks and its
 * devices (its descendants' included, as the `location` filter selects them).
 */
@Injectable()
export class LocationPanels implements TemplateExtension {
  readonly model = 'dcim.location';

  constructor(@InjectSql() private readonly db: SqlRunner) {}

  async left_page(ctx: ObjectContext): Promise<UiPanel[]> {
    const id = String(ctx.object.id);
    const children = await ctx.api.list('dcim.location', { parent: id }, { depth: 1 });
    const racks = await ctx.api.list('dcim.rack', { location: id }, { depth: 1 });
    const devices = await ctx.api.list('dcim.device', { location: id }, { depth: 1, limit: DEVICES_SHOWN });
    const childIds = children.map((c) => String(c.id));
    const rackCounts = await countsBelowLocations(this.db, 'dcim.rack', 'location_id', childIds);
    const deviceCounts = await countsBelowLocations(this.db, 'dcim.device', 'location_id', childIds);
    const devicesPerRack = await this.devicesPerRack(racks.map((r) => String(r.id)));
    const total = await countsBelowLocations(this.db, 'dcim.device', 'location_id', [id]);
    const deviceTotal = total.get(id) ?? 0;

    const panels: UiPanel[] = [];
    panels.push({
      title: `Child Locations (${children.length})`,
      body: dataTable({
        columns: ['Name', 'Type', 'Status', 'Racks', 'Devices'],
        rows: children.map((c) => ({
          data: { location: String(c.name) },
          cells: [
            objectLink(ctx, c, c.name),
            objectLink(ctx, c.location_type),
            colorBadge(ctx, c.status),
            countLink(ctx, 'dcim.rack', String(c.id), rackCounts.get(String(c.id)) ?? 0),
            countLink(ctx, 'dcim.device', String(c.id), deviceCounts.get(String(c.id)) ?? 0),
          ],
        })),
        empty: 'No child locations.',
        className: 'location-children',
      }),
    });
    panels.push({
      title: `Racks (${racks.length})`,
      body: dataTable({
        columns: ['Name', 'Location', 'Group', 'Status', 'Role', 'Height (U)', 'Devices'],
        rows: racks.map((r) => ({
          data: { rack: String(r.name) },
          cells: [
            objectLink(ctx, r, r.name),
            (r.location as ApiObject | null)?.id === id ? EMPTY_CELL : objectLink(ctx, r.location),
            objectLink(ctx, r.rack_group),
            colorBadge(ctx, r.status),
            colorBadge(ctx, r.role),
            String(r.u_height ?? ''),
            this.rackDevicesLink(ctx, String(r.id), devicesPerRack.get(String(r.id)) ?? 0),
          ],
        })),
        empty: 'No racks.',
        className: 'location-racks',
      }),
    });
    const list = ctx.url('dcim.device');
    panels.push({
      title: `Devices (${deviceTotal})`,
      body: html`${dataTable({
        columns: ['Name', 'Status', 'Role', 'Type', 'Rack', 'Position'],
        rows: devices.map((d) => ({
          data: { device: String(d.name ?? d.display) },
          cells: [
            objectLink(ctx, d),
            colorBadge(ctx, d.status),
            colorBadge(ctx, d.role),
            objectLink(ctx, d.device_type),
            objectLink(ctx, d.rack),
            d.position === null || d.position === undefined ? EMPTY_CELL : `U${String(d.position)}`,
          ],
        })),
        empty: 'No devices.',
        className: 'location-devices',
      })}
      ${
        deviceTotal > devices.length && list
          ? html`<p class="small mt-2 mb-0">
              Showing ${devices.length} of ${deviceTotal}:
              <a href="${list}?location=${id}">all devices at this location</a>
            </p>`
          : ''
      }`,
    });
    return panels;
  }

  private rackDevicesLink(ctx: ObjectContext, rackId: string, n: number) {
    const list = ctx.url('dcim.device');
    return list ? html`<a href="${list}?rack=${rackId}">${n}</a>` : html`${n}`;
  }

  private async devicesPerRack(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; n: number }>(
      sql`SELECT rack_id::text AS id, count(*)::int AS n FROM ${tables.device} WHERE rack_id = ANY(${ids}::uuid[]) GROUP BY rack_id`,
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }
}
