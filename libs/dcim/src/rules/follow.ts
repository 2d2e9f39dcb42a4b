import { sql, type BatchContext } from '@plinth/plugin-sdk';
import { tables } from '../tables';

/** Fields that changed between the stored and the written state of record `i`. */
function moved(ctx: BatchContext, fields: string[]): string[] {
  return ctx.records
    .filter((r, i) => ctx.before && fields.some((f) => ctx.before![i][f] !== r[f]))
    .map((r) => String(r.id));
}

/** A rack moved to another location takes its devices along (as Nautobot's Rack.save). */
export async function devicesFollowRack(ctx: BatchContext): Promise<void> {
  const racks = moved(ctx, ['location']);
  if (racks.length === 0) return;
  const rows = await ctx.tx.query(
    sql`SELECT d.id, r.location_id FROM ${tables.device} d JOIN ${tables.rack} r ON r.id = d.rack_id WHERE d.rack_id = ANY(${racks}::uuid[]) AND d.location_id <> r.location_id`,
  );
  if (rows.length) {
    await ctx.tx.objects.update(
      'dcim.device',
      rows.map((r) => ({ id: String(r.id), location: r.location_id })),
    );
  }
}

/** Devices installed in a parent's bays follow its location and rack (as Nautobot's Device.save). */
export async function childrenFollowParent(ctx: BatchContext): Promise<void> {
  const parents = moved(ctx, ['location', 'rack']);
  if (parents.length === 0) return;
  const rows = await ctx.tx
    .query(sql`SELECT c.id, p.location_id, p.rack_id FROM ${tables.deviceBay} b JOIN ${tables.device} p ON p.id = b.device_id JOIN ${tables.device} c ON c.id = b.installed_device_id
      WHERE b.device_id = ANY(${parents}::uuid[]) AND (c.location_id <> p.location_id OR c.rack_id IS DISTINCT FROM p.rack_id)`);
  if (rows.length) {
    await ctx.tx.objects.update(
      'dcim.device',
      rows.map((r) => ({ id: String(r.id), location: r.location_id, rack: r.rack_id })),
    );
  }
}
