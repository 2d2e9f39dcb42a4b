import { defineModel } from '@plinth/plugin-sdk';
import { Webhook, WebhookDelivery } from './entities';

export const webhookModel = defineModel({
  entity: Webhook,
  app_label: 'extras',
  model: 'webhook',
  // Not `webhooks` itself: a webhook's own changes are not sent (as in Nautobot).
  features: ['custom_validators', 'changelog', 'graphql'],
  list_fields: [
    'name',
    'content_types',
    'payload_url',
    'http_method',
    'enabled',
    'type_create',
    'type_update',
    'type_delete',
  ],
  rules: [
    (ctx) => {
      const r = ctx.record as unknown as Webhook;
      if (!r.type_create && !r.type_update && !r.type_delete)
        ctx.error('type_create', 'You must select at least one type: create, update or delete.');
    },
  ],
});

export const webhookDeliveryModel = defineModel({
  entity: WebhookDelivery,
  app_label: 'extras',
  model: 'webhookdelivery',
  verbose_name: 'webhook delivery',
  verbose_name_plural: 'webhook deliveries',
  api_path: 'webhook-deliveries',
  read_only: true,
  features: ['graphql'],
  ordering: ['-created'],
  display: (r) =>
    `${String(r.event)} ${String(r.changed_object_type)} ${String(r.changed_object_id).slice(0, 8)} (${String(r.status)})`,
  search_fields: ['changed_object_type', 'error', 'response_body'],
  global_search: false,
  list_fields: [
    'created',
    'webhook',
    'event',
    'changed_object_type',
    'status',
    'attempts',
    'response_code',
    'last_attempt',
    'error',
  ],
});
