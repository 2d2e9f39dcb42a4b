import { PRIMARY_FEATURES, defineModel, sql, treeFilter } from '@plinth/plugin-sdk';
import { deviceTypeFilter } from '../filters';
import { softwareVersionFilter } from '../software/filters';
import { tables } from '../tables';
import { InventoryItem } from './entity';
import { InventoryItemTemplate } from './template-entity';
import { checkInventoryItems, naturalItemName } from './rules';

export const inventoryItemModel = defineModel({
  entity: InventoryItem,
  app_label: 'dcim',
  model: 'inventoryitem',
  verbose_name: 'inventory item',
  features: PRIMARY_FEATURES,
  tree_parent: 'parent',
  natural_key: ['device', 'parent', 'name'],
  ordering: ['device_id', '_name'],
  related_object: 'device',
  search_fields: ['device'],
  display: {
    sql: (t) =>
      sql`COALESCE((SELECT d.name FROM ${tables.device} d WHERE d.id = ${t}."device_id"), '') || ' ' || ${t}."name"`,
  },
  batch_rules: [checkInventoryItems],
  hooks: { prepare: naturalItemName },
  filters: {
    location: treeFilter('Location of the device (name or ID, including child locations)', 'device.location'),
    software_version: softwareVersionFilter,
  },
  // Name first: tree lists indent their first column by depth.
  list_fields: [
    'name',
    'device',
    'parent',
    'label',
    'manufacturer',
    'part_id',
    'serial',
    'asset_tag',
    'discovered',
  ],
});

/** As the component templates: change-logged, in GraphQL, no tags or custom fields. */
export const inventoryItemTemplateModel = defineModel({
  entity: InventoryItemTemplate,
  app_label: 'dcim',
  model: 'inventoryitemtemplate',
  verbose_name: 'inventory item template',
  features: ['custom_validators', 'changelog', 'graphql'],
  natural_key: ['device_type', 'name'],
  ordering: ['device_type', 'name'],
  related_object: 'device_type',
  filters: { device_type: deviceTypeFilter },
  list_fields: ['name', 'device_type', 'label', 'manufacturer', 'part_id', 'description'],
});
