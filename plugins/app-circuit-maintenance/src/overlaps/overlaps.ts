import { CoreModels, sql, type ComputedField, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { ACTIVE_STATUSES } from '../choices';
import type { CircuitMaintenance } from '../entities';

const MAINTENANCE = 'circuit_maintenance.circuitmaintenance';
const IMPACT = 'circuit_maintenance.circuitimpact';
const TERMINATION = 'circuits.circuittermination';

/**
 * A reason to look twice at a maintenance:
 * - `circuit`: another maintenance affects one of its circuits at an overlapping time;
 * - `location`: a maintenance (this one or another) affects, at an overlapping time, another
 *   circuit terminating at a location where one of this maintenance's circuits terminates: the
 *   location loses its redundancy.
 */
export interface OverlapWarning {
  kind: 'circuit' | 'location';
  /** The other maintenance (for `location`, possibly this one: it takes both circuits down). */
  other: { id: string; name: string; start_time: string; end_time: string };
  /** This maintenance's circuit (cid). */
  circuit: string;
  /** For `location`: the other circuit and the shared location (a pair within one maintenance is listed once). */
  other_circuit?: string;
  location?: string;
}

interface Row extends Record<string, unknown> {
  maintenance: string;
  kind: 'circuit' | 'location';
  other_id: string;
  other_name: string;
  other_start: Date;
  other_end: Date;
  cid: string;
  other_cid: string | null;
  location: string | null;
}

/**
 * Overlap warnings of the given maintenances, in two queries whatever their number. Cancelled and
 * completed maintenances and `NO-IMPACT` circuits are left out. `visible` narrows the other
 * maintenances to the reader's view scope (a condition over alias `t`; null: all; false: none).
 */
export async function overlapWarnings(
  db: SqlRunner,
  ids: readonly string[],
  visible: Sql | null | false = null,
): Promise<Map<string, OverlapWarning[]>> {
  const out = new Map<string, OverlapWarning[]>(ids.map((id) => [id, []]));
  if (ids.length === 0 || visible === false) return out;
  const m = sql.table(MAINTENANCE);
  const i = sql.table(IMPACT);
  const active = [...ACTIVE_STATUSES];
  const otherVisible = visible ? sql`AND m2.id IN (SELECT t.id FROM ${m} t WHERE ${visible})` : sql``;
  const common = sql`m1.id = ANY(${[...ids]}::uuid[])
    AND m1.status = ANY(${active}::text[]) AND m2.status = ANY(${active}::text[])
    AND m1.start_time < m2.end_time AND m2.start_time < m1.end_time
    AND i1.impact <> 'NO-IMPACT' AND i2.impact <> 'NO-IMPACT' ${otherVisible}`;
  const sameCircuit = await db.query<Row>(sql`
    SELECT DISTINCT m1.id AS maintenance, 'circuit' AS kind, m2.id AS other_id, m2.name AS other_name,
      m2.start_time AS other_start, m2.end_time AS other_end, c.cid AS cid, NULL AS other_cid, NULL AS location
    FROM ${i} i1
    JOIN ${i} i2 ON i2.circuit_id = i1.circuit_id AND i2.maintenance_id <> i1.maintenance_id
    JOIN ${m} m1 ON m1.id = i1.maintenance_id
    JOIN ${m} m2 ON m2.id = i2.maintenance_id
    JOIN ${sql.table(CoreModels.circuit)} c ON c.id = i1.circuit_id
    WHERE ${common}
    ORDER BY other_start, other_name, cid`);
  const sameLocation = await db.query<Row>(sql`
    SELECT DISTINCT m1.id AS maintenance, 'location' AS kind, m2.id AS other_id, m2.name AS other_name,
      m2.start_time AS other_start, m2.end_time AS other_end, c1.cid AS cid, c2.cid AS other_cid, l.name AS location
    FROM ${i} i1
    JOIN ${m} m1 ON m1.id = i1.maintenance_id
    JOIN ${sql.table(TERMINATION)} t1 ON t1.circuit_id = i1.circuit_id AND t1.location_id IS NOT NULL
    JOIN ${sql.table(TERMINATION)} t2 ON t2.location_id = t1.location_id AND t2.circuit_id <> t1.circuit_id
    JOIN ${i} i2 ON i2.circuit_id = t2.circuit_id
    JOIN ${m} m2 ON m2.id = i2.maintenance_id
    JOIN ${sql.table(CoreModels.circuit)} c1 ON c1.id = i1.circuit_id
    JOIN ${sql.table(CoreModels.circuit)} c2 ON c2.id = i2.circuit_id
    JOIN ${sql.table(CoreModels.location)} l ON l.id = t1.location_id
    WHERE ${common} AND (m2.id <> m1.id OR c1.cid < c2.cid)
    ORDER BY other_start, other_name, cid, other_cid`);
  for (const r of [...sameCircuit, ...sameLocation]) {
    out.get(r.maintenance)?.push({
      kind: r.kind,
      other: {
        id: r.other_id,
        name: r.other_name,
        start_time: new Date(r.other_start).toISOString(),
        end_time: new Date(r.other_end).toISOString(),
      },
      circuit: r.cid,
      ...(r.kind === 'location' ? { other_circuit: r.other_cid ?? '', location: r.location ?? '' } : {}),
    });
  }
  return out;
}

/** A warning as one sentence (UI panels). */
export function describeOverlap(w: OverlapWarning, self: string): string {
  if (w.kind === 'circuit')
    return `Circuit ${w.circuit} is also in maintenance ${w.other.name} at an overlapping time.`;
  const by = w.other.name === self ? 'this maintenance' : `maintenance ${w.other.name}`;
  return `Redundancy at ${w.location}: circuit ${w.circuit} and circuit ${w.other_circuit ?? ''} (${by}) terminate there and are down at overlapping times.`;
}

/** `overlaps` on every maintenance (REST, GraphQL, UI): its overlap warnings. */
export const overlapsComputedField: ComputedField<CircuitMaintenance> = {
  name: 'overlaps',
  label: 'Overlap warnings',
  type: 'json',
  help_text:
    'Other maintenances on the same circuits, or on circuits terminating at the same location, at overlapping times',
  async load(records, ctx) {
    const visible = ctx.visible ? await ctx.visible(MAINTENANCE) : null;
    return overlapWarnings(
      ctx,
      records.map((r) => String(r.id)),
      visible,
    );
  },
};
