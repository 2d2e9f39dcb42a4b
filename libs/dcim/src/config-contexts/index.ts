export * from './entities';
export { configContextModel, configContextSchemaModel } from './models';
export { configContextFeature, renderConfigContext } from './feature';
export { contextSourcesOf, type ContextSource } from './scoping';
export { deepMerge } from './merge';
export { dataProblem, schemaProblem } from './json-schema';
export { ConfigContextTab } from './ui';
export * from './datasource';
export { configContextsContent } from './git-content';
