import { Entity, Index, Unique } from 'typeorm';
import { Field } from '@plinth/plugin-sdk';
import { Manufacturer } from '../entities/device-types';
import { ComponentModel } from '../entities/devices';
import { SoftwareVersionField } from '../software/assignment';
import type { SoftwareVersion } from '../software/entities';

/**
 * A part installed in or on a device that is not a port or bay (line cards, optics, fans, power
 * supplies), as Nautobot 2.x's InventoryItem: a tree of items per device (`parent`), with the
 * part's manufacturer, part ID, serial and asset tag. `discovered` marks items found by
 * automated discovery.
 */
@Entity('dcim_inventoryitem')
@Unique(['device_id', 'parent_id', 'name'])
@Index(['device_id', '_name'])
export class InventoryItem extends ComponentModel {
  @Field.fk(() => InventoryItem, {
    nullable: true,
    on_delete: 'CASCADE',
    related_name: 'children',
    label: 'Parent',
    help_text: 'The item this one is installed in (on the same device)',
  })
  parent!: InventoryItem | null;

  @Field.fk(() => Manufacturer, { nullable: true, on_delete: 'PROTECT', related_name: 'inventory_items' })
  manufacturer!: Manufacturer | null;

  @Field.char({
    max_length: 255,
    blank: true,
    search: true,
    label: 'Part ID',
    help_text: 'Manufacturer-assigned part identifier',
  })
  part_id!: string;

  @Field.char({ max_length: 255, blank: true, search: true, label: 'Serial number' })
  serial!: string;

  @Field.char({
    max_length: 100,
    nullable: true,
    unique: true,
    search: true,
    help_text: 'A unique tag used to identify this item',
  })
  asset_tag!: string | null;

  @Field.bool({ default: false, help_text: 'This item was automatically discovered' })
  discovered!: boolean;

  @SoftwareVersionField('inventory item', 'inventory_items')
  software_version!: SoftwareVersion | null;
}
