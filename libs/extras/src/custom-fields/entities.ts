import { Entity, Unique } from 'typeorm';
import { BaseModel, Field, choices } from '@plinth/plugin-sdk';

/** Nautobot's custom field types (`CustomFieldTypeChoices`). */
export const CUSTOM_FIELD_TYPES = choices([
  ['text', 'Text'],
  ['integer', 'Integer'],
  ['boolean', 'Boolean (true/false)'],
  ['date', 'Date'],
  ['url', 'URL'],
  ['json', 'JSON'],
  ['markdown', 'Markdown'],
  ['select', 'Selection'],
  ['multi-select', 'Multiple selection'],
]);

export type CustomFieldType =
  'text' | 'integer' | 'boolean' | 'date' | 'url' | 'json' | 'markdown' | 'select' | 'multi-select';

/** How `cf_<key>` filters match (Nautobot's `CustomFieldFilterLogicChoices`). */
export const FILTER_LOGIC = choices([
  ['disabled', 'Disabled'],
  ['loose', 'Loose'],
  ['exact', 'Exact'],
]);

export type FilterLogic = 'disabled' | 'loose' | 'exact';

@Entity('extras_customfield')
export class CustomField extends BaseModel {
  @Field.array({
    item: 'string',
    content_types: 'custom_fields',
    help_text: 'The object type(s) to which this field applies.',
  })
  content_types!: string[];

  @Field.choice(CUSTOM_FIELD_TYPES, {
    default: 'text',
    help_text: 'The type of value(s) allowed for this field.',
  })
  type!: CustomFieldType;

  @Field.char({ max_length: 50, search: true, help_text: 'Name of the field as displayed to users.' })
  label!: string;

  @Field.char({
    max_length: 50,
    unique: true,
    search: true,
    help_text:
      'Internal field name (lower-case letters, digits and underscores; cannot be changed). Used as `cf_<key>` in filters, CSV and GraphQL.',
  })
  key!: string;

  @Field.char({
    max_length: 255,
    blank: true,
    search: true,
    help_text: 'Human-readable grouping that this custom field belongs to.',
  })
  grouping!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.bool({ default: false, help_text: 'Objects of these types must have a value for this field.' })
  required!: boolean;

  @Field.choice(FILTER_LOGIC, {
    default: 'loose',
    help_text: 'Loose matches any instance of a given string; exact matches the entire field.',
  })
  filter_logic!: FilterLogic;

  @Field.json({
    nullable: true,
    help_text: 'Default value for the field (must be a JSON value). Leave empty for none.',
  })
  default!: unknown;

  @Field.int({
    default: 100,
    min_value: 0,
    max_value: 32767,
    help_text: 'Fields with higher weights appear lower.',
  })
  weight!: number;

  @Field.int({
    nullable: true,
    big: true,
    help_text: 'Minimum allowed value (integer fields).',
  })
  validation_minimum!: number | null;

  @Field.int({
    nullable: true,
    big: true,
    help_text: 'Maximum allowed value (integer fields).',
  })
  validation_maximum!: number | null;

  @Field.char({
    max_length: 500,
    blank: true,
    help_text:
      'Regular expression to enforce on text, URL and markdown values (anchor it with ^ and $ to match the whole value).',
  })
  validation_regex!: string;

  @Field.bool({ default: false, help_text: 'Show this field only on the "Advanced" tab of detail pages.' })
  advanced_ui!: boolean;
}

@Entity('extras_customfieldchoice')
@Unique(['custom_field_id', 'value'])
export class CustomFieldChoice extends BaseModel {
  @Field.fk(() => CustomField, { on_delete: 'CASCADE', related_name: 'custom_field_choices' })
  custom_field!: string;

  @Field.char({ max_length: 100, search: true })
  value!: string;

  @Field.int({
    default: 100,
    min_value: 0,
    max_value: 32767,
    help_text: 'Higher weights appear later in the list.',
  })
  weight!: number;
}
