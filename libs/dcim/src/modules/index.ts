export { Module, ModuleBay, ModuleBayTemplate, ModuleType } from './entities';
export { moduleBayModel, moduleBayTemplateModel, moduleModel, moduleTypeModel } from './models';
export { placementsOf, renderModuleName, type Placement } from './placement';
