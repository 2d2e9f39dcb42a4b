export * from './entities';
export {
  dynamicGroupMembershipModel,
  dynamicGroupModel,
  dynamicGroupsFeature,
  staticGroupAssociationModel,
} from './models';
export { DynamicGroupMembersController } from './members.controller';
export { dynamicGroupPages } from './ui';
