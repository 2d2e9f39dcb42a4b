import { sql, type ComputedField, type Rec, type Sql } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { FEED_LEGS } from '../choices';

/** One phase leg of a power port fed by a three-phase feed. */
export interface PowerLeg {
  name: string;
  allocated: number;
  maximum: number;
  outlet_count: number;
}

/** What a power port draws, in VA (Nautobot's `PowerPort.get_power_draw()`). */
export interface PowerDraw {
  allocated: number;
  maximum: number;
  outlet_count: number;
  legs: PowerLeg[];
}

interface OutletRow {
  port_id: string;
  feed_leg: string;
  outlet_count: number;
  allocated: number;
  maximum: number;
}

/**
 * Per power port of the page: its outlets grouped by feed leg, with the draw of the power ports
 * cabled to them, and whether the port itself is cabled to a three-phase power feed. Two queries
 * per page, whatever its size.
 */
async function loadDraws(records: Rec[], query: (q: Sql) => Promise<Rec[]>): Promise<Map<string, PowerDraw>> {
  const ids = records.map((r) => String(r.id));
  const out = new Map<string, PowerDraw>();
  if (ids.length === 0) return out;
  const outlets =
    (await query(sql`SELECT o.power_port_id AS port_id, o.feed_leg, count(*)::int AS outlet_count,
      COALESCE(sum(q.allocated_draw), 0)::int AS allocated, COALESCE(sum(q.maximum_draw), 0)::int AS maximum
    FROM ${tables.powerOutlet} o
    LEFT JOIN ${tables.cable} c ON c.id = o.cable_id
    LEFT JOIN ${tables.powerPort} q ON q.id = CASE
      WHEN c.termination_a_type = 'dcim.poweroutlet' AND c.termination_a_id = o.id AND c.termination_b_type = 'dcim.powerport' THEN c.termination_b_id
      WHEN c.termination_b_type = 'dcim.poweroutlet' AND c.termination_b_id = o.id AND c.termination_a_type = 'dcim.powerport' THEN c.termination_a_id END
    WHERE o.power_port_id = ANY(${ids}::uuid[])
    GROUP BY o.power_port_id, o.feed_leg`)) as unknown as OutletRow[];
  const threePhase = new Set(
    (
      await query(sql`SELECT p.id FROM ${tables.powerPort} p JOIN ${tables.cable} c ON c.id = p.cable_id
        JOIN ${tables.powerFeed} f ON f.id = CASE WHEN c.termination_a_type = 'dcim.powerfeed' THEN c.termination_a_id
                                                  WHEN c.termination_b_type = 'dcim.powerfeed' THEN c.termination_b_id END
        WHERE p.id = ANY(${ids}::uuid[]) AND f.phase = 'three-phase'`)
    ).map((r) => String(r.id)),
  );
  const byPort = new Map<string, OutletRow[]>();
  for (const row of outlets)
    byPort.set(String(row.port_id), [...(byPort.get(String(row.port_id)) ?? []), row]);
  for (const r of records) {
    const id = String(r.id);
    const rows = byPort.get(id) ?? [];
    const outlet_count = rows.reduce((n, x) => n + Number(x.outlet_count), 0);
    // Set by hand on the port: those numbers; otherwise the sum of what its outlets feed.
    if (r.allocated_draw !== null || r.maximum_draw !== null) {
      out.set(id, {
        allocated: Number(r.allocated_draw ?? 0),
        maximum: Number(r.maximum_draw ?? 0),
        outlet_count,
        legs: [],
      });
      continue;
    }
    const sum = (xs: OutletRow[], f: 'allocated' | 'maximum') => xs.reduce((n, x) => n + Number(x[f]), 0);
    out.set(id, {
      allocated: sum(rows, 'allocated'),
      maximum: sum(rows, 'maximum'),
      outlet_count,
      legs: threePhase.has(id)
        ? FEED_LEGS.map((leg) => {
            const on = rows.filter((x) => x.feed_leg === leg.value);
            return {
              name: leg.label,
              allocated: sum(on, 'allocated'),
              maximum: sum(on, 'maximum'),
              outlet_count: on.reduce((n, x) => n + Number(x.outlet_count), 0),
            };
          })
        : [],
    });
  }
  return out;
}

/**
 * `power_draw` of a power port: allocated and maximum draw (VA) and outlet count, from its own
 * numbers when either is set, else summed over the power ports cabled to its outlets; per feed
 * leg when it is cabled to a three-phase feed (Nautobot's `get_power_draw()`, which its REST API
 * does not expose; Plinth shows it as a read-only field).
 */
export const powerDrawField: ComputedField = {
  name: 'power_draw',
  type: 'json',
  help_text:
    'Allocated and maximum draw (VA) and outlet count: the port’s own values, or the sum over the power ports cabled to its outlets (per feed leg for three-phase feeds)',
  load: (records, ctx) => loadDraws(records, (q) => ctx.query(q)),
};
