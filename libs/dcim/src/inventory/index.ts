export { InventoryItem } from './entity';
export { inventoryItemModel } from './model';
export { deviceInventoryTab, inventoryTree } from './device-tab';
