import { sql, type ModelBatchRule, type ModelRule, type Rec, type RuleContext } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { NONCONNECTABLE_INTERFACE_TYPES } from '../component-choices';
import { checkMappedPositions } from './device-types';
import { poeRule } from './poe';

interface Peer {
  id: string;
  name: string;
  type: string;
  device: string;
  device_name: string;
  vc: string | null;
}

/**
 * Interfaces that another interface points at (LAG, parent, bridge) must sit on the same device
 * or, when the devices are virtual chassis members, on the same virtual chassis.
 */
function samePlacement(ctx: RuleContext, field: string, what: string, own: Rec, peer: Peer): void {
  if (peer.device === ctx.record.device) return;
  const vc = own.virtual_chassis_id as string | null;
  if (vc === null) {
    ctx.error(
      field,
      `The selected ${what} (${peer.name}) belongs to a different device (${peer.device_name}).`,
    );
  } else if (peer.vc !== vc) {
    ctx.error(
      field,
      `The selected ${what} (${peer.name}) belongs to ${peer.device_name}, which is not part of virtual chassis ${String(own.vc_name)}.`,
    );
  }
}

/** Interfaces: LAG, parent and bridge relations; cables only on connectable types (Nautobot's Interface.clean). */
export const interfaceRules: ModelRule[] = [
  poeRule,
  async (ctx) => {
    const { record } = ctx;
    const type = String(record.type);
    if (record.cable !== null && NONCONNECTABLE_INTERFACE_TYPES.includes(type)) {
      ctx.error(
        'type',
        `${type} interfaces cannot be connected to a cable. Disconnect the interface or choose a suitable type.`,
      );
    }
    if (ctx.action === 'update' && ctx.changed('type') && ctx.before?.type === 'lag') {
      const members = await ctx.tx.one(
        sql`SELECT 1 FROM ${tables.interface} WHERE lag_id = ${record.id}::uuid LIMIT 1`,
      );
      if (members) ctx.error('type', 'The type of a LAG interface with member interfaces cannot be changed.');
    }
    const refs = ['lag', 'parent_interface', 'bridge'].filter((f) => typeof record[f] === 'string');
    const relevant = ['lag', 'parent_interface', 'bridge', 'device', 'type'].some((f) => ctx.changed(f));
    if (refs.length === 0 || !relevant) return;
    const rows = await ctx.tx
      .query(sql`SELECT i.id, i.name, i.type, i.device_id AS device, d.name AS device_name, d.virtual_chassis_id AS vc
        FROM ${tables.interface} i JOIN ${tables.device} d ON d.id = i.device_id WHERE i.id = ANY(${refs.map((f) => String(record[f]))}::uuid[])`);
    const peers = new Map(rows.map((r) => [String(r.id), r as unknown as Peer]));
    const own = (await ctx.tx.one(
      sql`SELECT d.virtual_chassis_id, vc.name AS vc_name FROM ${tables.device} d LEFT JOIN ${tables.virtualChassis} vc ON vc.id = d.virtual_chassis_id WHERE d.id = ${record.device}::uuid`,
    )) ?? { virtual_chassis_id: null };

    const lag = typeof record.lag === 'string' ? peers.get(record.lag) : undefined;
    if (lag) {
      if (lag.id === record.id) ctx.error('lag', 'A LAG interface cannot be its own parent.');
      else {
        if (lag.type !== 'lag')
          ctx.error('lag', `The selected LAG interface (${lag.name}) is not of type LAG.`);
        samePlacement(ctx, 'lag', 'LAG interface', own, lag);
      }
      if (type === 'virtual') ctx.error('lag', 'Virtual interfaces cannot have a parent LAG interface.');
    }
    const parent =
      typeof record.parent_interface === 'string' ? peers.get(record.parent_interface) : undefined;
    if (parent) {
      if (parent.id === record.id) ctx.error('parent_interface', 'An interface cannot be its own parent.');
      else {
        if (type !== 'virtual')
          ctx.error('parent_interface', 'Only virtual interfaces may be assigned to a parent interface.');
        if (parent.type === 'virtual')
          ctx.error('parent_interface', 'Virtual interfaces may not be parents of other interfaces.');
        samePlacement(ctx, 'parent_interface', 'parent interface', own, parent);
      }
    }
    const bridge = typeof record.bridge === 'string' ? peers.get(record.bridge) : undefined;
    if (bridge) {
      if (bridge.id === record.id) ctx.error('bridge', 'An interface cannot be bridged to itself.');
      else samePlacement(ctx, 'bridge', 'bridge interface', own, bridge);
    }
  },
];

/**
 * `field` points at a component (`rear_port`) of the same device: one read of the components the
 * objects of a write name. Returns each checked object's component row.
 */
async function sameDevice(
  ctxs: readonly RuleContext[],
  field: string,
  label: string,
  what: string,
): Promise<Map<RuleContext, Rec>> {
  const found = new Map<RuleContext, Rec>();
  const pointing = ctxs.filter((ctx) => typeof ctx.record[field] === 'string');
  if (pointing.length === 0) return found;
  const ids = [...new Set(pointing.map((ctx) => String(ctx.record[field])))];
  const rows = await pointing[0].tx.query(
    sql`SELECT * FROM ${sql.table(label)} WHERE id = ANY(${ids}::uuid[])`,
  );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  for (const ctx of pointing) {
    const row = byId.get(String(ctx.record[field]));
    if (!row) continue;
    if (row.device_id !== ctx.record.device) {
      ctx.error(field, `The ${what} (${String(row.name)}) must belong to the same device.`);
    }
    found.set(ctx, row);
  }
  return found;
}

export const powerOutletBatchRules: ModelBatchRule[] = [
  async (ctxs) => {
    await sameDevice(ctxs, 'power_port', 'dcim.powerport', 'power port');
  },
];

export const frontPortBatchRules: ModelBatchRule[] = [
  async (ctxs) => {
    for (const [ctx, rear] of await sameDevice(ctxs, 'rear_port', 'dcim.rearport', 'rear port')) {
      const position = Number(ctx.record.rear_port_position);
      if (position > Number(rear.positions)) {
        ctx.error(
          'rear_port_position',
          `Invalid rear port position (${position}): Rear port ${String(rear.name)} has only ${Number(rear.positions)} positions.`,
        );
      }
    }
  },
];

export const rearPortRules: ModelRule[] = [
  (ctx) =>
    checkMappedPositions(
      ctx,
      sql`SELECT max(rear_port_position) AS top FROM ${tables.frontPort} WHERE rear_port_id = ${ctx.record.id}::uuid`,
    ),
];

/** Device bays: only on parent devices; hold one child device of the same location (Nautobot's DeviceBay.clean). */
export const deviceBayRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (ctx.changed('device')) {
      const parent = await ctx.tx.one(
        sql`SELECT dt.model, dt.subdevice_role FROM ${tables.device} d JOIN ${tables.deviceType} dt ON dt.id = d.device_type_id WHERE d.id = ${record.device}::uuid`,
      );
      if (parent && parent.subdevice_role !== 'parent') {
        ctx.error('device', `This type of device (${String(parent.model)}) does not support device bays.`);
      }
    }
    const installed = record.installed_device;
    if (typeof installed !== 'string' || !(ctx.changed('installed_device') || ctx.changed('device'))) return;
    if (installed === record.device) {
      ctx.error('installed_device', 'Cannot install a device into itself.');
      return;
    }
    const row = await ctx.tx
      .one(sql`SELECT c.name, c.location_id, dt.model, dt.subdevice_role, p.location_id AS parent_location,
          (SELECT b.name || ' of ' || COALESCE(bd.name, 'an unnamed device') FROM ${tables.deviceBay} b JOIN ${tables.device} bd ON bd.id = b.device_id
            WHERE b.installed_device_id = c.id AND b.id <> ${record.id}::uuid LIMIT 1) AS elsewhere
        FROM ${tables.device} c JOIN ${tables.deviceType} dt ON dt.id = c.device_type_id, ${tables.device} p
        WHERE c.id = ${installed}::uuid AND p.id = ${record.device}::uuid`);
    if (!row) return;
    const name = row.name === null ? 'the device' : `"${String(row.name)}"`;
    if (row.subdevice_role !== 'child') {
      ctx.error(
        'installed_device',
        `Cannot install device ${name}; device type "${String(row.model)}" has no subdevice role defined as "child".`,
      );
    } else if (row.location_id !== row.parent_location) {
      ctx.error(
        'installed_device',
        `Cannot install device ${name}: it is not in the parent device's location.`,
      );
    } else if (row.elsewhere !== null) {
      ctx.error('installed_device', `Device ${name} is already installed in bay ${String(row.elsewhere)}.`);
    }
  },
];
