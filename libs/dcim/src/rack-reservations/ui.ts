import {
  EMPTY_CELL,
  dataTable,
  objectLink,
  type ObjectContext,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { rackElevationBody } from '../ui/rack-ui';

/** "1-3, 7": a reservation's units as ranges (Nautobot's `unit_list`). */
export function unitList(units: readonly number[]): string {
  const sorted = [...new Set(units)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

/** Rack pages: the rack's reservations. */
export const rackReservationsPanel: TemplateExtension = {
  model: 'dcim.rack',
  async left_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (!(await ctx.can('view', 'dcim.rackreservation'))) return null;
    const reservations = await ctx.api.list(
      'dcim.rackreservation',
      { rack: String(ctx.object.id) },
      { depth: 1 },
    );
    return {
      title: `Reservations (${reservations.length})`,
      body: dataTable({
        columns: ['Units', 'User', 'Tenant', 'Description'],
        rows: reservations.map((r) => ({
          data: { units: unitList((r.units as number[] | null) ?? []) },
          cells: [
            objectLink(ctx, r, unitList((r.units as number[] | null) ?? [])),
            String((r.user as { display?: unknown } | null)?.display ?? ''),
            r.tenant ? objectLink(ctx, r.tenant) : EMPTY_CELL,
            String(r.description ?? ''),
          ],
        })),
        empty: 'No reservations.',
        className: 'rack-reservations',
      }),
    };
  },
};

/** Reservation pages: the rack's elevation, the reserved units marked (as Nautobot shows it). */
export const reservationElevation: TemplateExtension = {
  model: 'dcim.rackreservation',
  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    const [rack] = await ctx.api.list('dcim.rack', { id: [String(ctx.object.rack)] });
    if (!rack) return null;
    return { title: `Rack ${String(rack.display ?? rack.name)}`, body: await rackElevationBody(ctx, rack) };
  },
};

export const RACK_RESERVATION_UI = [rackReservationsPanel, reservationElevation];
