import {
  sql,
  type BatchContext,
  type ModelBatchRule,
  type ModelRule,
  type Rec,
  type RuleContext,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { BatchErrors, WriteLookup } from '../batch';
import { tables } from '../tables';
import { checkLocationContentType, prefetchLocationTypes } from './locations';
import { isAncestorOrSelf } from './racks';

/** The device type (with its manufacturer's name) of each device of a write. */
const deviceTypes = new WriteLookup(
  (ids) =>
    sql`SELECT dt.id, dt.model, dt.u_height, dt.subdevice_role, dt.manufacturer_id, m.name AS manufacturer FROM ${tables.deviceType} dt JOIN ${tables.manufacturer} m ON m.id = dt.manufacturer_id WHERE dt.id = ANY(${ids}::uuid[])`,
);

/** The platform (with its manufacturer's name) of each device of a write. */
const platforms = new WriteLookup(
  (ids) =>
    sql`SELECT p.id, p.manufacturer_id, m.name FROM ${tables.platform} p JOIN ${tables.manufacturer} m ON m.id = p.manufacturer_id WHERE p.id = ANY(${ids}::uuid[])`,
);

/**
 * What the device rules look up, read for all devices of a write at once (a `prepareMany`
 * hook): their locations' types, device types and platforms.
 */
export async function prefetchDeviceLookups(ctxs: readonly RuleContext[]): Promise<void> {
  if (ctxs.length === 0) return;
  const tx = ctxs[0].tx;
  await prefetchLocationTypes(ctxs);
  await deviceTypes.prefetch(
    tx,
    ctxs.map((c) => c.record.device_type),
  );
  await platforms.prefetch(
    tx,
    ctxs.map((c) => c.record.platform),
  );
}

/** Rules of devices that look at one device at a time (Nautobot's Device.clean). */
export const deviceRules: ModelRule[] = [
  (ctx) => checkLocationContentType(ctx),
  async (ctx) => {
    const { record } = ctx;
    if (record.rack === null) {
      if (record.face) ctx.error('face', 'Cannot select a rack face without assigning a rack.');
      if (record.position !== null)
        ctx.error('position', 'Cannot select a rack position without assigning a rack.');
    }
    if (record.position !== null && !record.face) {
      ctx.error('face', 'Must specify rack face when defining rack position.');
    }
    const type =
      typeof record.device_type === 'string' ? await deviceTypes.get(ctx.tx, record.device_type) : null;
    if (!type) return;
    const typeName = `${String(type.manufacturer)} ${String(type.model)}`;
    if (record.position !== null && Number(type.u_height) === 0) {
      ctx.error('position', `A U0 device type (${typeName}) cannot be assigned to a rack position.`);
    }
    if (type.subdevice_role === 'child') {
      if (record.face)
        ctx.error(
          'face',
          'Child device types cannot be assigned to a rack face. This is an attribute of the parent device.',
        );
      if (record.position !== null)
        ctx.error(
          'position',
          'Child device types cannot be assigned to a rack position. This is an attribute of the parent device.',
        );
    }
    if (typeof record.platform === 'string' && (ctx.changed('platform') || ctx.changed('device_type'))) {
      const platform = await platforms.get(ctx.tx, record.platform);
      if (platform && platform.manufacturer_id !== type.manufacturer_id) {
        ctx.error(
          'platform',
          `The assigned platform is limited to ${String(platform.name)} device types, but this device's type belongs to ${String(type.manufacturer)}.`,
        );
      }
    }
  },
  async (ctx) => {
    const { record, before } = ctx;
    if (record.virtual_chassis !== null && record.vc_position === null) {
      ctx.error('vc_position', 'A device assigned to a virtual chassis must have its position defined.');
    }
    if (before?.virtual_chassis && record.virtual_chassis !== before.virtual_chassis) {
      const vc = await ctx.tx.one(
        sql`SELECT name FROM ${tables.virtualChassis} WHERE id = ${before.virtual_chassis}::uuid AND master_id = ${record.id}::uuid`,
      );
      if (vc) {
        ctx.error(
          'virtual_chassis',
          `The master device for the virtual chassis (${String(vc.name)}) may not be removed.`,
        );
      }
    }
  },
];

/**
 * A device's rack is at the device's location or below it: one lookup for every (rack,
 * location) pair of a write.
 */
export const rackInLocation: ModelBatchRule = async (ctxs) => {
  const racked = ctxs.filter(
    ({ record, changed }) => typeof record.rack === 'string' && (changed('rack') || changed('location')),
  );
  if (racked.length === 0) return;
  const key = (r: Rec) => `${String(r.rack)}|${String(r.location)}`;
  const pairs = [...new Map(racked.map(({ record }) => [key(record), record])).values()];
  const rows = await racked[0].tx.query<{
    n: number;
    name: string;
    ok: boolean;
    location_name: string | null;
  }>(
    sql`SELECT x.n, r.name, ${isAncestorOrSelf(sql`x.loc`, sql`r.location_id`)} AS ok,
               (SELECT name FROM ${tables.location} WHERE id = x.loc) AS location_name
          FROM unnest(${pairs.map((_, i) => i)}::int[], ${pairs.map((r) => r.rack)}::uuid[],
                      ${pairs.map((r) => r.location ?? null)}::uuid[]) AS x(n, rack, loc)
          JOIN ${tables.rack} r ON r.id = x.rack`,
  );
  const refused = new Map(rows.filter((r) => !r.ok).map((r) => [key(pairs[r.n]), r]));
  for (const ctx of racked) {
    const row = refused.get(key(ctx.record));
    if (row) {
      ctx.error(
        'rack',
        `Rack "${row.name}" does not belong to location "${String(row.location_name)}" and its descendants.`,
      );
    }
  }
};

/**
 * Rack unit collisions of the given devices, checked once they are written so that devices of
 * the same batch see each other: the units [position, position + height - 1] must lie in the
 * rack and overlap no other device on the same face (full-depth devices take both faces; 0U
 * devices take none). The racks are locked first, so concurrent writes into one rack are
 * checked one after the other.
 */
export async function rackSpaceErrors(
  db: SqlRunner,
  deviceIds: readonly string[],
): Promise<{ id: string; message: string }[]> {
  if (deviceIds.length === 0) return [];
  const ids = [...deviceIds];
  await db.query(
    sql`SELECT id FROM ${tables.rack} WHERE id IN (SELECT rack_id FROM ${tables.device} WHERE id = ANY(${ids}::uuid[])) ORDER BY id FOR UPDATE`,
  );
  const rows = await db.query(sql`WITH t AS (
        SELECT d.id, d.rack_id, d.position, d.face, dt.u_height AS h, dt.is_full_depth AS full_depth, dt.model, r.u_height AS rack_height, r.name AS rack_name
        FROM ${tables.device} d JOIN ${tables.deviceType} dt ON dt.id = d.device_type_id JOIN ${tables.rack} r ON r.id = d.rack_id
        WHERE d.id = ANY(${ids}::uuid[]) AND d.position IS NOT NULL AND dt.u_height > 0)
      SELECT t.id, t.position, t.h, t.model, t.rack_height, t.rack_name,
        (SELECT COALESCE(o.name, odt.model) FROM ${tables.device} o JOIN ${tables.deviceType} odt ON odt.id = o.device_type_id
          WHERE o.rack_id = t.rack_id AND o.id <> t.id AND o.position IS NOT NULL AND odt.u_height > 0
            AND o.position <= t.position + t.h - 1 AND o.position + odt.u_height - 1 >= t.position
            AND (t.full_depth OR odt.is_full_depth OR o.face = t.face)
          ORDER BY o.position LIMIT 1) AS occupant
      FROM t
      WHERE t.position + t.h - 1 > t.rack_height OR EXISTS (
        SELECT 1 FROM ${tables.device} o JOIN ${tables.deviceType} odt ON odt.id = o.device_type_id
        WHERE o.rack_id = t.rack_id AND o.id <> t.id AND o.position IS NOT NULL AND odt.u_height > 0
          AND o.position <= t.position + t.h - 1 AND o.position + odt.u_height - 1 >= t.position
          AND (t.full_depth OR odt.is_full_depth OR o.face = t.face))`);
  return rows.map((r) => {
    const what = `this device type: ${String(r.model)} (${Number(r.h)}U)`;
    return {
      id: String(r.id),
      message:
        r.occupant !== null
          ? `U${Number(r.position)} is already occupied by ${String(r.occupant)} and cannot accommodate ${what}.`
          : `U${Number(r.position)} does not have sufficient space in rack ${String(r.rack_name)} (${Number(r.rack_height)}U) to accommodate ${what}.`,
    };
  });
}

/**
 * Device names are unique per location and tenant, a missing tenant counting as one tenant (as
 * Nautobot's default DEVICE_UNIQUENESS), which no plain unique constraint can say. Checked
 * after writing, so duplicates within a batch are found too; a transaction-scoped advisory lock
 * per location and name makes concurrent writers of the same name check one after the other.
 */
async function duplicateNames(db: SqlRunner, ids: string[]): Promise<{ id: string; message: string }[]> {
  await db.query(sql`SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended('dcim.device.name:' || location_id || ':' || name, 0) AS k
      FROM ${tables.device} WHERE id = ANY(${ids}::uuid[]) ORDER BY k) keys`);
  const rows =
    await db.query(sql`SELECT d.id, d.name, l.name AS location, tn.name AS tenant FROM ${tables.device} d
      JOIN ${tables.location} l ON l.id = d.location_id LEFT JOIN ${tables.tenant} tn ON tn.id = d.tenant_id
      WHERE d.id = ANY(${ids}::uuid[]) AND d.name IS NOT NULL AND EXISTS (
        SELECT 1 FROM ${tables.device} o WHERE o.location_id = d.location_id AND o.tenant_id IS NOT DISTINCT FROM d.tenant_id
          AND o.name = d.name AND o.id <> d.id)`);
  return rows.map((r) => ({
    id: String(r.id),
    message:
      r.tenant === null
        ? `A device named ${String(r.name)} with no tenant already exists in location ${String(r.location)}.`
        : `A device named ${String(r.name)} of tenant ${String(r.tenant)} already exists in location ${String(r.location)}.`,
  }));
}

/** The checks of a written batch of devices that need to see the whole batch. */
export async function checkWrittenDevices(ctx: BatchContext): Promise<void> {
  const { records, before, tx } = ctx;
  const changed = (r: Rec, i: number, fields: string[]): boolean =>
    !before || fields.some((f) => before[i][f] !== r[f]);
  const errors = new BatchErrors();
  const named = records.filter((r, i) => r.name !== null && changed(r, i, ['name', 'location', 'tenant']));
  if (named.length) {
    for (const e of await duplicateNames(
      tx,
      named.map((r) => String(r.id)),
    ))
      errors.add(e.id, 'name', e.message);
  }
  const racked = records.filter(
    (r, i) => r.position !== null && changed(r, i, ['rack', 'position', 'face', 'device_type']),
  );
  if (racked.length) {
    for (const e of await rackSpaceErrors(
      tx,
      racked.map((r) => String(r.id)),
    ))
      errors.add(e.id, 'position', e.message);
  }
  errors.throwIfAny(records);
}
