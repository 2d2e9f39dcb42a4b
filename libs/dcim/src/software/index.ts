export * from './choices';
export * from './entities';
export * from './assignment';
export { deviceSoftwareFilters, deviceTypeSoftwareFilters, softwareVersionFilter } from './filters';
export { deviceSoftwareRules } from './rules';
export { SOFTWARE_MODELS, softwareImageFileModel, softwareVersionModel } from './models';
