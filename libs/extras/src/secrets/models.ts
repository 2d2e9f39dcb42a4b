import { defineModel, type ModelFeature } from '@plinth/plugin-sdk';
import { parameterErrors, provider } from './catalog';
import { Secret, SecretsGroup, SecretsGroupAssociation } from './entities';

// Configuration: change-logged, permissioned, in GraphQL and CSV. No export templates, custom
// links or computed fields of them (templates never see anything of secrets beyond the API's
// fields), and no webhooks (a secret's parameters are sent nowhere).
const SECRET_FEATURES: ModelFeature[] = ['custom_validators', 'changelog', 'graphql', 'notes'];

export const secretModel = defineModel({
  entity: Secret,
  app_label: 'extras',
  model: 'secret',
  features: SECRET_FEATURES,
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: ['name', 'provider', 'description'],
  rules: [
    (ctx) => {
      if (!ctx.changed('provider') && !ctx.changed('parameters')) return;
      const p = provider(String(ctx.record.provider));
      if (!p) return; // the choice check reports an unknown provider
      for (const [field, message] of Object.entries(parameterErrors(p, ctx.record.parameters)))
        ctx.error(field, message);
    },
  ],
});

export const secretsGroupModel = defineModel({
  entity: SecretsGroup,
  app_label: 'extras',
  model: 'secretsgroup',
  verbose_name: 'secrets group',
  api_path: 'secrets-groups',
  features: SECRET_FEATURES,
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: ['name', 'description'],
});

export const secretsGroupAssociationModel = defineModel({
  entity: SecretsGroupAssociation,
  app_label: 'extras',
  model: 'secretsgroupassociation',
  verbose_name: 'secrets group association',
  api_path: 'secrets-groups-associations',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['secrets_group', 'access_type', 'secret_type'],
  display: (r) => `${String(r.access_type)} ${String(r.secret_type)}`,
  list_fields: ['secrets_group', 'access_type', 'secret_type', 'secret'],
});
