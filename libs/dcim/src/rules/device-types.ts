import { sql, type BatchContext, type ModelRule, type RuleContext, type Sql } from '@plinth/plugin-sdk';
import { BatchErrors } from '../batch';
import { tables } from '../tables';
import { rackSpaceErrors } from './devices';

/** Device types (Nautobot's DeviceType.clean). */
export const deviceTypeRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (record.subdevice_role === 'child' && Number(record.u_height) !== 0) {
      ctx.error('u_height', 'Child device types must be 0U.');
    }
    // NetBox's WeightMixin.clean: a weight means nothing without its unit.
    if (record.weight !== null && record.weight !== undefined && !record.weight_unit) {
      ctx.error('weight_unit', 'Must specify a unit when setting a weight');
    }
    if (ctx.action !== 'update') return;
    if (ctx.changed('subdevice_role') && record.subdevice_role !== 'parent') {
      const bays = await ctx.tx.one(
        sql`SELECT 1 FROM ${tables.deviceBayTemplate} WHERE device_type_id = ${record.id}::uuid LIMIT 1`,
      );
      if (bays) {
        ctx.error(
          'subdevice_role',
          'Must delete all device bay templates associated with this device before declassifying it as a parent device.',
        );
      }
    }
    if (ctx.changed('u_height') && Number(record.u_height) === 0) {
      const racked = await ctx.tx.one(
        sql`SELECT count(*) AS n FROM ${tables.device} WHERE device_type_id = ${record.id}::uuid AND position IS NOT NULL`,
      );
      const n = Number(racked?.n ?? 0);
      if (n > 0)
        ctx.error('u_height', `Unable to set 0U height: Found ${n} instances already mounted within racks.`);
    }
  },
];

/**
 * A taller (or now full-depth) device type must still fit every racked device of the type: the
 * devices are checked as they stand once the type is written, as Nautobot checks them.
 */
export async function checkRackedDevicesOfTypes(ctx: BatchContext): Promise<void> {
  const { records, before, tx } = ctx;
  const grown = records.filter(
    (r, i) =>
      before &&
      (Number(r.u_height) > Number(before[i].u_height) || (r.is_full_depth && !before[i].is_full_depth)),
  );
  if (grown.length === 0) return;
  const devices = await tx.query(
    sql`SELECT id, device_type_id FROM ${tables.device} WHERE device_type_id = ANY(${grown.map((r) => String(r.id))}::uuid[]) AND position IS NOT NULL`,
  );
  const typeOf = new Map(devices.map((d) => [String(d.id), String(d.device_type_id)]));
  const errors = new BatchErrors();
  for (const e of await rackSpaceErrors(tx, [...typeOf.keys()])) {
    errors.add(typeOf.get(e.id)!, 'u_height', `A device of this type no longer fits its rack: ${e.message}`);
  }
  errors.throwIfAny(records);
}

/** A template's related template (`rear_port_template`) belongs to the same device type (or module type). */
async function sameDeviceType(ctx: RuleContext, field: string, label: string, what: string): Promise<void> {
  const ref = ctx.record[field];
  if (typeof ref !== 'string') return;
  const row = await ctx.tx.one(
    sql`SELECT device_type_id, module_type_id, name FROM ${sql.table(label)} WHERE id = ${ref}::uuid`,
  );
  if (!row) return;
  if (row.device_type_id !== (ctx.record.device_type ?? null)) {
    ctx.error(field, `The ${what} (${String(row.name)}) must belong to the same device type.`);
  } else if (row.module_type_id !== (ctx.record.module_type ?? null)) {
    ctx.error(field, `The ${what} (${String(row.name)}) must belong to the same module type.`);
  }
}

export const powerOutletTemplateRules: ModelRule[] = [
  (ctx) => sameDeviceType(ctx, 'power_port_template', 'dcim.powerporttemplate', 'power port template'),
];

export const frontPortTemplateRules: ModelRule[] = [
  async (ctx) => {
    await sameDeviceType(ctx, 'rear_port_template', 'dcim.rearporttemplate', 'rear port template');
    const rear = await ctx.tx.one(
      sql`SELECT name, positions FROM ${tables.rearPortTemplate} WHERE id = ${ctx.record.rear_port_template}::uuid`,
    );
    const position = Number(ctx.record.rear_port_position);
    if (rear && position > Number(rear.positions)) {
      ctx.error(
        'rear_port_position',
        `Invalid rear port position (${position}); rear port ${String(rear.name)} has only ${Number(rear.positions)} positions.`,
      );
    }
  },
];

export const rearPortTemplateRules: ModelRule[] = [
  (ctx) =>
    checkMappedPositions(
      ctx,
      sql`SELECT max(rear_port_position) AS top FROM ${tables.frontPortTemplate} WHERE rear_port_template_id = ${ctx.record.id}::uuid`,
    ),
];

/** A rear port (template) keeps at least as many positions as its front ports use. */
export async function checkMappedPositions(ctx: RuleContext, maxMapped: Sql): Promise<void> {
  if (ctx.action !== 'update' || !ctx.changed('positions')) return;
  const row = await ctx.tx.one(maxMapped);
  const top = row?.top === null || row?.top === undefined ? 0 : Number(row.top);
  if (top > Number(ctx.record.positions)) {
    ctx.error(
      'positions',
      `The number of positions cannot be less than the highest position mapped by a front port (${top}).`,
    );
  }
}

export const deviceBayTemplateRules: ModelRule[] = [
  async (ctx) => {
    const row = await ctx.tx.one(
      sql`SELECT model, subdevice_role FROM ${tables.deviceType} WHERE id = ${ctx.record.device_type}::uuid`,
    );
    if (row && row.subdevice_role !== 'parent') {
      ctx.error(
        'device_type',
        `Subdevice role of device type (${String(row.model)}) must be set to "parent" to allow device bays.`,
      );
    }
  },
];
