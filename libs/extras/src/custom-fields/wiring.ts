// What the extras manifest contributes for custom fields.
export { customFieldsFeature } from './feature';
export { customFieldGraphQLFields } from './graphql';
export { customFieldChoiceModel, customFieldModel } from './models';
