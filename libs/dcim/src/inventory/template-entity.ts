import { Entity, Unique } from 'typeorm';
import { BaseModel, Field } from '@plinth/plugin-sdk';
import { DeviceType, Manufacturer } from '../entities/device-types';

/**
 * An inventory item every device of a type starts with (NetBox's InventoryItemTemplate; the
 * device-type library's `inventory-items`). Flat, as the library writes them: the items a
 * device gets from its type are top-level items.
 */
@Entity('dcim_inventoryitemtemplate')
@Unique(['device_type_id', 'name'])
export class InventoryItemTemplate extends BaseModel {
  // Device types only (as NetBox): a module's inventory is not modelled.
  @Field.fk(() => DeviceType, { on_delete: 'CASCADE' })
  device_type!: DeviceType;

  @Field.char({ max_length: 64, search: true })
  name!: string;

  @Field.char({ max_length: 64, blank: true, search: true, help_text: 'Physical label' })
  label!: string;

  @Field.char({ max_length: 200, blank: true })
  description!: string;

  @Field.fk(() => Manufacturer, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'inventory_item_templates',
  })
  manufacturer!: Manufacturer | null;

  @Field.char({
    max_length: 255,
    blank: true,
    label: 'Part ID',
    help_text: 'Manufacturer-assigned part identifier',
  })
  part_id!: string;
}
