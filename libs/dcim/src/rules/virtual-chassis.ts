import { ProtectedError, sql, type BatchContext, type ModelRule } from '@plinth/plugin-sdk';
import { tables } from '../tables';

/** The master of a virtual chassis is one of its members (Nautobot's VirtualChassis.clean). */
export const virtualChassisRules: ModelRule[] = [
  async (ctx) => {
    const master = ctx.record.master;
    if (typeof master !== 'string' || !ctx.changed('master')) return;
    const row = await ctx.tx.one(
      sql`SELECT d.name, d.virtual_chassis_id, vc.name AS vc_name FROM ${tables.device} d LEFT JOIN ${tables.virtualChassis} vc ON vc.id = d.virtual_chassis_id WHERE d.id = ${master}::uuid`,
    );
    if (!row) return;
    const name = String(row.name ?? master);
    if (ctx.action === 'create') {
      // A new chassis takes its master in as its first member (see assignMaster).
      if (row.virtual_chassis_id !== null) {
        ctx.error(
          'master',
          `The selected master (${name}) is already a member of virtual chassis ${String(row.vc_name)}.`,
        );
      }
    } else if (row.virtual_chassis_id !== ctx.record.id) {
      ctx.error('master', `The selected master (${name}) is not assigned to this virtual chassis.`);
    }
  },
];

/** A new virtual chassis' master becomes its member (position 1 unless it has one), as Nautobot's signal does. */
export async function assignMaster(ctx: BatchContext): Promise<void> {
  const changes = ctx.records
    .filter((r) => typeof r.master === 'string')
    .map((r) => ({ id: String(r.master), virtual_chassis: r.id }));
  if (changes.length === 0) return;
  const positions = await ctx.tx.query(
    sql`SELECT id, vc_position FROM ${tables.device} WHERE id = ANY(${changes.map((c) => String(c.id))}::uuid[])`,
  );
  const current = new Map(positions.map((p) => [String(p.id), p.vc_position]));
  await ctx.tx.objects.update(
    'dcim.device',
    changes.map((c) => ({ ...c, vc_position: current.get(String(c.id)) ?? 1 })),
  );
}

/**
 * Before a virtual chassis goes: refuse when members form a cross-chassis LAG (it would be left
 * spanning devices), then release the members (no chassis, no position), change-logged.
 */
export async function releaseMembers(ctx: BatchContext): Promise<void> {
  const ids = ctx.records.map((r) => String(r.id));
  const crossLag = await ctx.tx
    .query(sql`SELECT i.id, i.name, d.name AS device FROM ${tables.interface} i JOIN ${tables.device} d ON d.id = i.device_id JOIN ${tables.interface} l ON l.id = i.lag_id
      WHERE d.virtual_chassis_id = ANY(${ids}::uuid[]) AND l.device_id <> i.device_id LIMIT 20`);
  if (crossLag.length) {
    throw new ProtectedError(
      'Unable to delete the virtual chassis: member interfaces form a cross-chassis LAG.',
      crossLag.map((r) => ({
        object_type: 'dcim.interface',
        id: String(r.id),
        display: `${String(r.device ?? '')} ${String(r.name)}`.trim(),
      })),
    );
  }
  const withMaster = ctx.records.filter((r) => r.master !== null).map((r) => ({ id: r.id, master: null }));
  if (withMaster.length) await ctx.tx.objects.update('dcim.virtualchassis', withMaster);
  const members = await ctx.tx.query(
    sql`SELECT id FROM ${tables.device} WHERE virtual_chassis_id = ANY(${ids}::uuid[])`,
  );
  if (members.length) {
    await ctx.tx.objects.update(
      'dcim.device',
      members.map((m) => ({ id: String(m.id), virtual_chassis: null, vc_position: null, vc_priority: null })),
    );
  }
}
