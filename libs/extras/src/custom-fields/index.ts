export * from './definitions';
export * from './entities';
export { CUSTOM_FIELD_COLUMN, customFieldsFeature } from './feature';
export { customFieldChoiceModel, customFieldModel } from './models';
export { checkValue } from './values';
