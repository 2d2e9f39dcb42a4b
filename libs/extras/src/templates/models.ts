import {
  ORGANIZATIONAL_FEATURES,
  ValidationError,
  defineModel,
  type ModelFeature,
  type ModelRule,
} from '@plinth/plugin-sdk';
import { currentOwner, ownedRefusal } from '../git/ownership';
import { ComputedField, CustomLink, ExportTemplate } from './entities';

/** `content_type` must name an installed model with the feature (`export_templates`, ...). */
export function contentTypeRule(feature: ModelFeature): ModelRule<{ content_type: string }> {
  return (ctx) => {
    if (!ctx.changed('content_type')) return;
    const model = ctx.tx.models.get(String(ctx.record.content_type ?? ''));
    if (!model || !model.has(feature))
      ctx.error(
        'content_type',
        `"${String(ctx.record.content_type)}" is not a model with ${feature.replace('_', ' ')}.`,
      );
  };
}

// Templates are configuration: change-logged and permissioned, but not themselves taggable,
// exportable through templates, or linkable.
// Definitions of user-authored content: no templates of templates, and (as in Nautobot) no
// custom fields on them (their tables have no custom-field column).
const TEMPLATE_OBJECT_FEATURES = ORGANIZATIONAL_FEATURES.filter(
  (f) => !['export_templates', 'custom_links', 'computed_fields', 'custom_fields'].includes(f),
);

export const exportTemplateModel = defineModel({
  entity: ExportTemplate,
  app_label: 'extras',
  model: 'exporttemplate',
  verbose_name: 'export template',
  api_path: 'export-templates',
  features: TEMPLATE_OBJECT_FEATURES,
  natural_key: ['content_type', 'name'],
  ordering: ['content_type', 'name'],
  rules: [
    contentTypeRule('export_templates'),
    (ctx) => {
      const why = ctx.before ? ownedRefusal(ctx.before) : null;
      if (why) ctx.error('__all__', why);
    },
  ],
  hooks: {
    // A Git repository's sync makes the templates it provides its own.
    prepare(ctx) {
      const owner = currentOwner();
      if (ctx.action !== 'create' || !owner) return;
      ctx.record.owner_content_type = owner.object_type;
      ctx.record.owner_object_id = owner.id;
    },
    beforeDelete(ctx) {
      for (const r of ctx.records) {
        const why = ownedRefusal(r);
        if (why) return Promise.reject(ValidationError.field('__all__', why));
      }
      return Promise.resolve();
    },
  },
  list_fields: [
    'name',
    'content_type',
    'description',
    'mime_type',
    'file_extension',
    'as_attachment',
    'owner_object_id',
  ],
});

export const customLinkModel = defineModel({
  entity: CustomLink,
  app_label: 'extras',
  model: 'customlink',
  verbose_name: 'custom link',
  api_path: 'custom-links',
  features: TEMPLATE_OBJECT_FEATURES,
  natural_key: ['content_type', 'name'],
  ordering: ['content_type', 'group_name', 'weight', 'name'],
  rules: [contentTypeRule('custom_links')],
  list_fields: ['name', 'content_type', 'group_name', 'weight', 'button_class', 'new_window'],
});

export const computedFieldModel = defineModel({
  entity: ComputedField,
  app_label: 'extras',
  model: 'computedfield',
  verbose_name: 'computed field',
  api_path: 'computed-fields',
  features: TEMPLATE_OBJECT_FEATURES,
  natural_key: ['content_type', 'key'],
  ordering: ['content_type', 'weight', 'key'],
  display: (r) => String(r.label),
  rules: [contentTypeRule('computed_fields')],
  list_fields: ['label', 'key', 'content_type', 'weight', 'fallback_value', 'advanced_ui'],
});
