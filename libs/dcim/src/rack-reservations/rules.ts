import { sql, type BatchContext, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { BatchErrors } from '../batch';
import { tables } from '../tables';

/** Units are kept sorted and without repeats (the elevation and the overlap check read them so). */
export function prepareRackReservation(ctx: RuleContext): void {
  const units = ctx.record.units;
  if (Array.isArray(units) && units.every((u) => typeof u === 'number'))
    ctx.record.units = [...new Set(units as number[])].sort((a, b) => a - b);
}

/** Units exist in the rack (Nautobot's RackReservation.clean, first half). */
export const rackReservationRules: ModelRule[] = [
  async (ctx) => {
    const units = (ctx.record.units as number[] | null) ?? [];
    if (units.length === 0) {
      ctx.error('units', 'This field is required.');
      return;
    }
    if (!(ctx.changed('units') || ctx.changed('rack')) || typeof ctx.record.rack !== 'string') return;
    // Locks the rack: two reservations of it are checked one after the other.
    const rack = await ctx.tx.one(
      sql`SELECT u_height FROM ${tables.rack} WHERE id = ${ctx.record.rack}::uuid FOR UPDATE`,
    );
    if (!rack) return;
    const height = Number(rack.u_height);
    const invalid = units.filter((u) => !Number.isInteger(u) || u < 1 || u > height);
    if (invalid.length) ctx.error('units', `Invalid unit(s) for ${height}U rack: ${invalid.join(', ')}`);
  },
];

/**
 * No unit is reserved twice in one rack (Nautobot's RackReservation.clean, second half). Checked
 * once the batch is written, so two new reservations of one batch are held against each other.
 */
export async function checkReservedUnits(ctx: BatchContext): Promise<void> {
  const { records, before } = ctx;
  const touched = records.filter(
    (r, i) => !before || before[i].rack !== r.rack || String(before[i].units) !== String(r.units),
  );
  if (touched.length === 0) return;
  const ids = touched.map((r) => String(r.id));
  const rows = await ctx.tx.query(
    sql`SELECT r.id, array_agg(DISTINCT u ORDER BY u) AS units
      FROM ${tables.rackReservation} r CROSS JOIN LATERAL unnest(r.units) u
      WHERE r.id = ANY(${ids}::uuid[]) AND EXISTS (
        SELECT 1 FROM ${tables.rackReservation} o WHERE o.rack_id = r.rack_id AND o.id <> r.id AND u = ANY(o.units))
      GROUP BY r.id`,
  );
  const errors = new BatchErrors();
  for (const row of rows) {
    const units = (row.units as number[]).join(', ');
    errors.add(String(row.id), 'units', `The following units have already been reserved: ${units}`);
  }
  errors.throwIfAny(records);
}
