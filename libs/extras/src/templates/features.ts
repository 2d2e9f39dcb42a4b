import type { ModelFeatureProvider } from '@plinth/plugin-sdk';
import { computedFieldsSource } from './computed-fields';

/** Models with `export_templates` are the content types an export template may render. */
export const exportTemplatesFeature: ModelFeatureProvider = { feature: 'export_templates' };

/** Models with `custom_links` show custom links on their detail pages. */
export const customLinksFeature: ModelFeatureProvider = { feature: 'custom_links' };

/** Models with `computed_fields` get the `computed_fields` value (REST include, GraphQL, UI panel). */
export const computedFieldsFeature: ModelFeatureProvider = {
  feature: 'computed_fields',
  sources: (model) => [computedFieldsSource(model)],
};
