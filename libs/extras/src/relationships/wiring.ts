// What the extras manifest contributes for relationships.
export { relationshipsFeature } from './feature';
export { relationshipGraphQLFields } from './graphql';
export { relationshipAssociationModel, relationshipModel } from './models';
export { relationshipsPanel } from './panel';
