import { Entity, Unique } from 'typeorm';
import { Field } from '@plinth/plugin-sdk';
import { ComponentTemplateModel, Manufacturer } from '../entities/device-types';

/**
 * An inventory item every device of a type starts with (NetBox's InventoryItemTemplate; the
 * device-type library's `inventory-items`). Flat, as the library writes them: the items a
 * device gets from its type are top-level items.
 */
@Entity('dcim_inventoryitemtemplate')
@Unique(['device_type_id', 'name'])
export class InventoryItemTemplate extends ComponentTemplateModel {
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
