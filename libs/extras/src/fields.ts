import { tagsField, type ModelFeatureProvider } from '@plinth/plugin-sdk';

// StatusField, RoleField and tagsField are the SDK's: plugins and core domains use the same ones.
export { RoleField, StatusField, tagsField } from '@plinth/plugin-sdk';

/** Every model with the `tags` feature gets a `tags` many-to-many field. */
export const tagsFeature: ModelFeatureProvider = {
  feature: 'tags',
  fields: () => [tagsField()],
};
