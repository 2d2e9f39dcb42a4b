import { sql, type BatchContext, type Rec } from '@plinth/plugin-sdk';
import { idsOf } from '../batch';

/**
 * A new device gets its type's inventory item templates as top-level inventory items, through
 * the write path (validated, change-logged), in one batch for all devices of the write.
 */
export async function instantiateInventoryItems(ctx: BatchContext): Promise<void> {
  const { records, tx } = ctx;
  const types = idsOf(records, 'device_type');
  if (types.length === 0) return;
  const templates = await tx.query(
    sql`SELECT device_type_id, name, label, description, manufacturer_id, part_id FROM ${sql.table('dcim.inventoryitemtemplate')} WHERE device_type_id = ANY(${types}::uuid[]) ORDER BY name`,
  );
  if (templates.length === 0) return;
  const items: Rec[] = [];
  for (const device of records)
    for (const t of templates)
      if (String(t.device_type_id) === String(device.device_type))
        items.push({
          device: device.id,
          name: t.name,
          label: t.label,
          description: t.description,
          manufacturer: t.manufacturer_id,
          part_id: t.part_id,
        });
  if (items.length) await tx.objects.create('dcim.inventoryitem', items);
}
