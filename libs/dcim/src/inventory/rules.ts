import { sql, type RuleContext } from '@plinth/plugin-sdk';
import { idsOf } from '../batch';
import { naturalize } from '../naturalize';

const items = sql.table('dcim.inventoryitem');

/** Keep the naturalised `_name` column in step with `name` (as device components do). */
export function naturalItemName(ctx: RuleContext): void {
  const name = ctx.record.name;
  ctx.record._name = typeof name === 'string' && name ? naturalize(name) : '';
}

const TOP_LEVEL_CLASH = 'A top-level inventory item with this name already exists on this device.';

/**
 * Inventory items form one tree per device: a parent is an item of the same device (cycles are
 * refused by the write path's tree check), names are unique among siblings, top level included
 * (the (device, parent, name) constraint does not see two NULL parents as clashing), and an
 * item with children stays on its device (its subtree would otherwise span two devices).
 * Checked for a whole write at once: one read of the parents, of the top-level names and of
 * the moved items' children, whatever the number of items (devices get hundreds at a time).
 */
export async function checkInventoryItems(ctxs: readonly RuleContext[]): Promise<void> {
  const tx = ctxs[0].tx;
  const ids = (list: readonly RuleContext[], key: string): string[] =>
    idsOf(
      list.map((c) => c.record),
      key,
    );

  const parented = ctxs.filter((c) => c.record.parent && (c.changed('parent') || c.changed('device')));
  if (parented.length) {
    const deviceOf = new Map<string, string>();
    for (const r of await tx.query(
      sql`SELECT id, device_id FROM ${items} WHERE id = ANY(${ids(parented, 'parent')}::uuid[])`,
    ))
      deviceOf.set(String(r.id), String(r.device_id));
    for (const c of parented) {
      const device = deviceOf.get(String(c.record.parent));
      if (device !== undefined && device !== String(c.record.device))
        c.error('parent', 'The parent inventory item must belong to the same device.');
    }
  }

  const topLevel = ctxs.filter(
    (c) => c.record.parent === null && (c.changed('name') || c.changed('parent') || c.changed('device')),
  );
  if (topLevel.length) {
    const key = (device: unknown, name: unknown) => `${String(device)}\n${String(name)}`;
    const holders = new Map<string, string[]>();
    for (const r of await tx.query(
      sql`SELECT id, device_id, name FROM ${items} WHERE parent_id IS NULL AND device_id = ANY(${ids(topLevel, 'device')}::uuid[]) AND name = ANY(${ids(topLevel, 'name')}::text[])`,
    )) {
      const k = key(r.device_id, r.name);
      holders.set(k, [...(holders.get(k) ?? []), String(r.id)]);
    }
    // Two items of one write taking the same name: the second is refused.
    const taken = new Set<string>();
    for (const c of topLevel) {
      const k = key(c.record.device, c.record.name);
      const others = (holders.get(k) ?? []).filter((id) => id !== String(c.record.id));
      if (others.length || taken.has(k)) c.error('name', TOP_LEVEL_CLASH);
      taken.add(k);
    }
  }

  const moved = ctxs.filter((c) => c.action === 'update' && c.changed('device'));
  if (moved.length) {
    const parents = new Set(
      (
        await tx.query(
          sql`SELECT DISTINCT parent_id FROM ${items} WHERE parent_id = ANY(${ids(moved, 'id')}::uuid[])`,
        )
      ).map((r) => String(r.parent_id)),
    );
    for (const c of moved)
      if (parents.has(String(c.record.id)))
        c.error(
          'device',
          'An inventory item with child items cannot move to another device; move its children first.',
        );
  }
}
