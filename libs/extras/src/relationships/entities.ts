import { Entity, Index, Unique } from 'typeorm';
import { BaseModel, Field, choices } from '@plinth/plugin-sdk';

/** Nautobot's `RelationshipTypeChoices`. */
export const RELATIONSHIP_TYPES = choices([
  ['one-to-one', 'One to One'],
  ['symmetric-one-to-one', 'Symmetric One to One'],
  ['one-to-many', 'One to Many'],
  ['many-to-many', 'Many to Many'],
  ['symmetric-many-to-many', 'Symmetric Many to Many'],
]);

export type RelationshipType =
  'one-to-one' | 'symmetric-one-to-one' | 'one-to-many' | 'many-to-many' | 'symmetric-many-to-many';

/** Nautobot's `RelationshipRequiredSideChoices` (empty: neither side). */
export const REQUIRED_SIDES = choices([
  ['source', 'Source objects MUST implement this relationship'],
  ['destination', 'Destination objects MUST implement this relationship'],
]);

export type RequiredSide = '' | 'source' | 'destination';

const MODEL_LABEL_HELP = 'Model label (`dcim.device`) of a model with the relationships feature.';

/** A relationship between two object types (Nautobot's `extras.Relationship`). */
@Entity('extras_relationship')
export class Relationship extends BaseModel {
  @Field.char({ max_length: 100, search: true, help_text: 'Name of the relationship as displayed to users.' })
  label!: string;

  @Field.char({
    max_length: 100,
    unique: true,
    search: true,
    help_text:
      'Internal name (lower-case letters, digits and single underscores; cannot be changed). Used as `rel_<key>` in GraphQL and `cr_<key>__<side>` in filters.',
  })
  key!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.choice(RELATIONSHIP_TYPES, {
    default: 'many-to-many',
    help_text: 'Cardinality of this relationship (symmetric ones have no direction).',
  })
  type!: RelationshipType;

  @Field.char({ max_length: 100, help_text: MODEL_LABEL_HELP })
  source_type!: string;

  @Field.char({
    max_length: 50,
    blank: true,
    help_text: 'Label for related destination objects, as seen from the source object.',
  })
  source_label!: string;

  @Field.bool({ default: false, help_text: 'Hide this relationship on the source object.' })
  source_hidden!: boolean;

  @Field.json({
    nullable: true,
    help_text:
      'Filter (list-endpoint filter parameters, `{"status": ["active"]}`) source objects must match.',
  })
  source_filter!: Record<string, unknown> | null;

  @Field.char({ max_length: 100, help_text: MODEL_LABEL_HELP })
  destination_type!: string;

  @Field.char({
    max_length: 50,
    blank: true,
    help_text: 'Label for related source objects, as seen from the destination object.',
  })
  destination_label!: string;

  @Field.bool({ default: false, help_text: 'Hide this relationship on the destination object.' })
  destination_hidden!: boolean;

  @Field.json({
    nullable: true,
    help_text: 'Filter (list-endpoint filter parameters) destination objects must match.',
  })
  destination_filter!: Record<string, unknown> | null;

  @Field.choice(REQUIRED_SIDES, {
    default: '',
    blank: true,
    help_text: 'Objects of this side must be associated when created or updated (symmetric: either side).',
  })
  required_on!: RequiredSide;

  @Field.bool({
    default: false,
    help_text: 'Show this relationship only on the "Advanced" tab of detail pages.',
  })
  advanced_ui!: boolean;
}

/** One association of a relationship (Nautobot's `extras.RelationshipAssociation`). */
@Entity('extras_relationshipassociation')
@Unique(['relationship_id', 'source_id', 'destination_id'])
@Index(['source_type', 'source_id'])
@Index(['destination_type', 'destination_id'])
export class RelationshipAssociation extends BaseModel {
  @Field.fk(() => Relationship, { on_delete: 'CASCADE', related_name: 'associations' })
  relationship!: string;

  @Field.char({ max_length: 100, help_text: 'Model label of the source object.' })
  source_type!: string;

  @Field.uuid({ help_text: 'Id of the source object.' })
  source_id!: string;

  @Field.char({ max_length: 100, help_text: 'Model label of the destination object.' })
  destination_type!: string;

  @Field.uuid({ help_text: 'Id of the destination object.' })
  destination_id!: string;
}
