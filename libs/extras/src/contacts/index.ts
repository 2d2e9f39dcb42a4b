export * from './entities';
export { CONTACT_ASSOCIATION_MODEL, contactAssociationModel, contactModel, teamModel } from './models';
export { contactGraphQLFields, contactsFeature } from './feature';
export { contactPages, contactsNavigation } from './ui';
