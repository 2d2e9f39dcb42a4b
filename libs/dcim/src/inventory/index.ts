export { InventoryItem } from './entity';
export { InventoryItemTemplate } from './template-entity';
export { inventoryItemModel, inventoryItemTemplateModel } from './model';
export { deviceInventoryTab, inventoryTree } from './device-tab';
