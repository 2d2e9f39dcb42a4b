import { templateField } from '../templates/entities';
import { templateSyntaxError } from '../templates/sandbox';
import { Entity, Index } from 'typeorm';
import { BaseModel, Field, choices } from '@plinth/plugin-sdk';
import { checkAdditionalHeaders } from './headers';
import { checkPayloadUrl } from './ssrf';

export const WEBHOOK_HTTP_METHODS = choices([
  ['GET', 'GET'],
  ['POST', 'POST'],
  ['PUT', 'PUT'],
  ['PATCH', 'PATCH'],
  ['DELETE', 'DELETE'],
]);

/** Nautobot's webhook: which changes of which object types are sent where, and how. */
@Entity('extras_webhook')
export class Webhook extends BaseModel {
  @Field.char({ max_length: 150, unique: true, search: true })
  name!: string;

  @Field.array({
    item: 'string',
    content_types: 'webhooks',
    help_text: 'The object types whose changes are sent.',
    validate: (v) => (Array.isArray(v) && v.length === 0 ? 'Select at least one content type.' : undefined),
  })
  content_types!: string[];

  @Field.bool({ default: false, help_text: 'Send when a matching object is created.' })
  type_create!: boolean;

  @Field.bool({ default: false, help_text: 'Send when a matching object is updated.' })
  type_update!: boolean;

  @Field.bool({ default: false, help_text: 'Send when a matching object is deleted.' })
  type_delete!: boolean;

  @Field.char({
    max_length: 500,
    label: 'URL',
    help_text:
      'http:// or https:// URL the payload is sent to. Loopback, link-local and private addresses are refused unless PLINTH_WEBHOOK_ALLOWED_HOSTS lists them.',
    validate: (v) => checkPayloadUrl(String(v)),
  })
  payload_url!: string;

  @Field.bool({ default: true })
  enabled!: boolean;

  @Field.choice(WEBHOOK_HTTP_METHODS, { default: 'POST', max_length: 30, label: 'HTTP method' })
  http_method!: string;

  @Field.char({
    max_length: 100,
    default: 'application/json',
    label: 'HTTP content type',
    help_text: 'The Content-Type header of requests.',
    validate: (v) =>
      /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w-]+=[\w.-]+)*$/.test(String(v))
        ? undefined
        : 'Enter a media type such as application/json.',
  })
  http_content_type!: string;

  @Field.text({
    blank: true,
    help_text:
      "Extra request headers, one `Name: Value` per line; a template (sandboxed Nunjucks) with the body template's context.",
    validate: (v) => checkAdditionalHeaders(String(v)) ?? templateSyntaxError(String(v)) ?? undefined,
  })
  additional_headers!: string;

  @templateField(
    "The request body, a template (sandboxed Nunjucks) of `event`, `timestamp`, `model`, `username`, `request_id`, `data` and `snapshots`; empty sends Nautobot's JSON payload.",
    { blank: true },
  )
  body_template!: string;

  @Field.char({
    max_length: 255,
    blank: true,
    write_only: true,
    help_text:
      'When set, requests carry X-Hook-Signature: the HMAC-SHA512 hex digest of the body with this secret.',
  })
  secret!: string;

  @Field.bool({
    default: true,
    label: 'SSL verification',
    help_text: 'Verify the server certificate (HTTPS).',
  })
  ssl_verification!: boolean;

  @Field.char({
    max_length: 4096,
    blank: true,
    nullable: true,
    label: 'CA file path',
    help_text:
      'A PEM file on the Plinth server with the CA certificates to trust instead of the system ones.',
    validate: (v) => (v && !String(v).startsWith('/') ? 'Enter an absolute path.' : undefined),
  })
  ca_file_path!: string | null;
}

export const DELIVERY_STATUSES = choices([
  ['pending', 'Pending'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
]);

/**
 * One change sent (or to be sent) to one webhook: the request as sent, the last response (code
 * and a body excerpt) or error, and the retry state. Failures stay visible and can be re-sent.
 */
@Entity('extras_webhookdelivery')
@Index(['status', 'next_attempt'])
export class WebhookDelivery extends BaseModel {
  @Field.fk(() => Webhook, { on_delete: 'CASCADE', read_only: true })
  webhook!: Webhook;

  @Field.choice(
    choices([
      ['created', 'Created'],
      ['updated', 'Updated'],
      ['deleted', 'Deleted'],
    ]),
    { read_only: true, max_length: 20 },
  )
  event!: string;

  @Field.char({ max_length: 100, read_only: true, label: 'Object type' })
  changed_object_type!: string;

  @Field.uuid({ read_only: true })
  changed_object_id!: string;

  @Field.uuid({ read_only: true, index: true })
  request_id!: string;

  @Field.choice(DELIVERY_STATUSES, { read_only: true, max_length: 20, default: 'pending' })
  status!: string;

  @Field.int({ read_only: true, default: 0 })
  attempts!: number;

  @Field.datetime({ read_only: true, nullable: true, help_text: 'When the next retry is due.' })
  next_attempt!: Date | null;

  @Field.datetime({ read_only: true, nullable: true })
  last_attempt!: Date | null;

  @Field.int({ read_only: true, nullable: true, label: 'Response code' })
  response_code!: number | null;

  @Field.text({ read_only: true, blank: true, help_text: 'The first 1000 characters of the response body.' })
  response_body!: string;

  @Field.text({
    read_only: true,
    blank: true,
    help_text: 'Why the request failed (network, TLS, refused address).',
  })
  error!: string;

  @Field.text({ read_only: true, filter: false, help_text: 'The request body, as sent.' })
  payload!: string;
}
