import {
  Field,
  virtualField,
  type FieldMeta,
  type ForeignKeyOptions,
  type ModelFeatureProvider,
} from '@plinth/plugin-sdk';
import { Role, Status, Tag } from './entities';

/**
 * A model's `status`: a foreign key to a Status whose content types include the model (as
 * Nautobot's StatusField). Accepts the status name, uuid, URL or `{"name": ...}`.
 */
export function StatusField(opts: ForeignKeyOptions = {}): (target: object, prop: string) => void {
  return Field.fk(() => Status, {
    on_delete: 'PROTECT',
    limit_choices_to: (label) => ({ content_types: label }),
    ...opts,
  });
}

/** A model's `role`: a Role whose content types include the model. */
export function RoleField(opts: ForeignKeyOptions = {}): (target: object, prop: string) => void {
  return Field.fk(() => Role, {
    on_delete: 'PROTECT',
    nullable: true,
    limit_choices_to: (label) => ({ content_types: label }),
    ...opts,
  });
}

export function tagsField(): FieldMeta {
  return virtualField({
    name: 'tags',
    kind: 'm2m',
    label: 'Tags',
    target: () => Tag,
    through: {
      table: 'extras_taggeditem',
      source: 'object_id',
      target: 'tag_id',
      discriminator: 'content_type',
    },
    limit_choices_to: (label) => ({ for_content_type: label }),
  });
}

/** Every model with the `tags` feature gets a `tags` many-to-many field. */
export const tagsFeature: ModelFeatureProvider = {
  feature: 'tags',
  fields: () => [tagsField()],
};
