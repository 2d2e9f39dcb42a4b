export { Secret, SecretsGroup, SecretsGroupAssociation } from './entities';
export { secretModel, secretsGroupAssociationModel, secretsGroupModel } from './models';
export { environmentVariableProvider, textFileProvider } from './providers';
export { SecretsServiceImpl } from './service';
export { secretsGroupPage } from './ui';
