export * from './entities';
export { relationshipDefinitions, type RelationshipDef, type Side } from './definitions';
export { relationshipAssociationModel, relationshipModel } from './models';
export { relationshipsFeature } from './feature';
