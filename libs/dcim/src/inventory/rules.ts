import { sql, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { naturalize } from '../naturalize';

const items = sql.table('dcim.inventoryitem');

/** Keep the naturalised `_name` column in step with `name` (as device components do). */
export function naturalItemName(ctx: RuleContext): void {
  const name = ctx.record.name;
  ctx.record._name = typeof name === 'string' && name ? naturalize(name) : '';
}

/**
 * Inventory items form one tree per device: a parent is an item of the same device (cycles are
 * refused by the write path's tree check), names are unique among siblings, top level included
 * (the (device, parent, name) constraint does not see two NULL parents as clashing), and an
 * item with children stays on its device (its subtree would otherwise span two devices).
 */
export const inventoryItemRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (record.parent && (ctx.changed('parent') || ctx.changed('device'))) {
      const parent = await ctx.tx.one(sql`SELECT device_id FROM ${items} WHERE id = ${record.parent}::uuid`);
      if (parent && String(parent.device_id) !== String(record.device))
        ctx.error('parent', 'The parent inventory item must belong to the same device.');
    }
    if (record.parent === null && (ctx.changed('name') || ctx.changed('parent') || ctx.changed('device'))) {
      const clash = await ctx.tx.one(
        sql`SELECT 1 FROM ${items} WHERE device_id = ${record.device}::uuid AND parent_id IS NULL AND name = ${record.name} AND id <> ${record.id}::uuid LIMIT 1`,
      );
      if (clash)
        ctx.error('name', 'A top-level inventory item with this name already exists on this device.');
    }
    if (ctx.action === 'update' && ctx.changed('device')) {
      const child = await ctx.tx.one(
        sql`SELECT 1 FROM ${items} WHERE parent_id = ${record.id}::uuid LIMIT 1`,
      );
      if (child)
        ctx.error(
          'device',
          'An inventory item with child items cannot move to another device; move its children first.',
        );
    }
  },
];
