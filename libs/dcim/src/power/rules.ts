import { sql, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { checkLocationContentType } from '../rules/locations';
import { groupAbove } from '../rules/racks';

/** Power panels: permitted at their location, in a rack group of that location or above (Nautobot's PowerPanel.clean). */
export const powerPanelRules: ModelRule[] = [
  (ctx) => checkLocationContentType(ctx),
  groupAbove(
    'rack_group',
    'rack_group',
    (group, location) =>
      `Rack group "${group}" belongs to a location ("${location}") that does not contain this power panel's location.`,
  ),
];

/**
 * The power a feed can deliver, in VA, as Nautobot caches it on save: volts × amperes ×
 * maximum utilization, × √3 (1.732) for three-phase feeds, rounded.
 */
export function availablePower(feed: Readonly<Record<string, unknown>>): number {
  const kva = Math.abs(Number(feed.voltage)) * Number(feed.amperage) * (Number(feed.max_utilization) / 100);
  const va = feed.phase === 'three-phase' ? kva * 1.732 : kva;
  return Number.isFinite(va) ? Math.round(va) : 0;
}

export function preparePowerFeed(ctx: RuleContext): void {
  ctx.record.available_power = availablePower(ctx.record);
}

/** Power feeds: the rack is at the panel's location or below it; AC voltage is positive (Nautobot's PowerFeed.clean). */
export const powerFeedRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (typeof record.rack === 'string' && (ctx.changed('rack') || ctx.changed('power_panel'))) {
      const row = await ctx.tx.one(
        // The rack's location or one above it (a panel in the building feeds racks in its rooms,
        // as NetBox's same-site rule allows).
        sql`WITH RECURSIVE up AS (
            SELECT l.id, l.parent_id FROM ${tables.location} l
              WHERE l.id = (SELECT location_id FROM ${tables.rack} WHERE id = ${record.rack}::uuid)
            UNION ALL SELECT l.id, l.parent_id FROM ${tables.location} l JOIN up ON l.id = up.parent_id)
          SELECT r.name AS rack, rl.name AS rack_location, p.name AS panel, pl.name AS panel_location,
                 p.location_id IN (SELECT id FROM up) AS ok
          FROM ${tables.rack} r JOIN ${tables.location} rl ON rl.id = r.location_id, ${tables.powerPanel} p JOIN ${tables.location} pl ON pl.id = p.location_id
          WHERE r.id = ${record.rack}::uuid AND p.id = ${record.power_panel}::uuid`,
      );
      if (row && !row.ok) {
        ctx.error(
          'rack',
          `Rack ${String(row.rack)} (${String(row.rack_location)}) and power panel ${String(row.panel)} (${String(row.panel_location)}) are in different locations.`,
        );
      }
    }
    if (Number(record.voltage) < 0 && record.supply === 'ac') {
      ctx.error('voltage', 'Voltage cannot be negative for AC supply.');
    }
  },
];
