import { tagsField, type ModelFeatureProvider } from '@plinth/plugin-sdk';

// StatusField, RoleField and tagsField are the SDK's: plugins and core domains use the same ones.
export { RoleField, StatusField, tagsField } from '@plinth/plugin-sdk';

/** Every model with the `tags` feature gets a `tags` many-to-many field (and is a tag content type). */
export const tagsFeature: ModelFeatureProvider = {
  feature: 'tags',
  fields: () => [tagsField()],
};

/** Models with `statuses` are the content types a Status may list (its `content_types` choices). */
export const statusesFeature: ModelFeatureProvider = { feature: 'statuses' };

/** Models with `roles` are the content types a Role may list. */
export const rolesFeature: ModelFeatureProvider = { feature: 'roles' };

/** Models with `webhooks` are the content types a webhook may list (their changes can be sent). */
export const webhooksFeature: ModelFeatureProvider = { feature: 'webhooks' };
