import { Entity, Unique } from 'typeorm';
import { BaseModel, Field, choices } from '@plinth/plugin-sdk';
import { templateSyntaxError } from './sandbox';

/** Longest template (characters): it is compiled on the server's main thread when saved. */
export const MAX_TEMPLATE_LENGTH = 100_000;

/** A template field: too long or a syntax error is a 400 naming the field when the object is saved. */
export const templateField = (help_text: string, opts: { blank?: boolean } = {}) =>
  Field.text({
    help_text,
    blank: opts.blank,
    validate: (v) => {
      if (typeof v !== 'string') return undefined;
      if (v.length > MAX_TEMPLATE_LENGTH)
        return `Ensure this template has no more than ${MAX_TEMPLATE_LENGTH} characters.`;
      return templateSyntaxError(v) ?? undefined;
    },
  });

const contentTypeField = (help_text: string) =>
  Field.char({ max_length: 100, search: true, help_text, label: 'Content type' });

@Entity('extras_exporttemplate')
@Unique(['content_type', 'name'])
export class ExportTemplate extends BaseModel {
  @contentTypeField('Model whose lists this template renders: `dcim.device`.')
  content_type!: string;

  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @templateField('Nunjucks template. `queryset` is the list of objects as the REST API shows them (depth 1).')
  template_code!: string;

  @Field.char({
    max_length: 255,
    default: 'text/plain',
    help_text: 'MIME type of the rendered file (default text/plain).',
    validate: (v) =>
      typeof v === 'string' && !/^[a-z0-9][\w.+-]*\/[a-z0-9][\w.+-]*$/i.test(v)
        ? 'Enter a MIME type such as text/plain or application/json.'
        : undefined,
  })
  mime_type!: string;

  @Field.char({
    max_length: 15,
    blank: true,
    help_text: 'Extension of the downloaded file (without the dot).',
    validate: (v) =>
      typeof v === 'string' && !/^[A-Za-z0-9]*$/.test(v) ? 'Only letters and digits.' : undefined,
  })
  file_extension!: string;

  @Field.bool({ default: true, help_text: 'Download the file (rather than show it in the browser).' })
  as_attachment!: boolean;

  /** The Git repository that provides the template (Nautobot's owner): only its sync may change it. */
  @Field.char({ max_length: 100, nullable: true, read_only: true, label: 'Owner content type' })
  owner_content_type!: string | null;

  @Field.uuid({ nullable: true, read_only: true, label: 'Owner object ID' })
  owner_object_id!: string | null;
}

export const BUTTON_CLASSES = choices({
  default: 'Default',
  primary: 'Primary (blue)',
  secondary: 'Secondary (grey)',
  success: 'Success (green)',
  info: 'Info (aqua)',
  warning: 'Warning (orange)',
  danger: 'Danger (red)',
  link: 'None (link)',
});

@Entity('extras_customlink')
@Unique(['content_type', 'name'])
export class CustomLink extends BaseModel {
  @contentTypeField('Model whose detail pages show this link: `dcim.device`.')
  content_type!: string;

  @Field.char({ max_length: 100, search: true })
  name!: string;

  @templateField('Nunjucks template of the button text (`obj` is the object, as the REST API shows it).')
  text!: string;

  @templateField('Nunjucks template of the link URL (http, https or a path of this site).')
  target_url!: string;

  @Field.int({ default: 100, min_value: 0, max_value: 32767 })
  weight!: number;

  @Field.char({
    max_length: 50,
    blank: true,
    help_text: 'Links with the same group are shown as one dropdown button.',
  })
  group_name!: string;

  @Field.choice(BUTTON_CLASSES, { default: 'default', help_text: 'Colour of the button.' })
  button_class!: string;

  @Field.bool({ default: false, help_text: 'Open the link in a new window.' })
  new_window!: boolean;
}

@Entity('extras_computedfield')
@Unique(['content_type', 'key'])
export class ComputedField extends BaseModel {
  @contentTypeField('Model whose objects get this field: `dcim.device`.')
  content_type!: string;

  @Field.slug({
    max_length: 50,
    help_text: 'Name of the value under `computed_fields` (REST, GraphQL).',
  })
  key!: string;

  @Field.char({ max_length: 100, search: true })
  label!: string;

  @Field.char({ max_length: 200, blank: true })
  description!: string;

  @templateField('Nunjucks template; `obj` is the object (its field values, related objects as ids).')
  template!: string;

  @Field.char({
    max_length: 500,
    blank: true,
    help_text: 'Shown when the template fails to render.',
  })
  fallback_value!: string;

  @Field.int({ default: 100, min_value: 0, max_value: 32767 })
  weight!: number;

  @Field.bool({ default: false, help_text: 'Shown folded under "Advanced" in the detail page panel.' })
  advanced_ui!: boolean;
}
