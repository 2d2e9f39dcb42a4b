import { PRIMARY_FEATURES, defineModel } from '@plinth/plugin-sdk';
import { Widget } from './widget.entity';

export const widgetModel = defineModel({
  entity: Widget,
  model: 'widget',
  features: [...PRIMARY_FEATURES, 'statuses'],
  description: 'Widgets, the example plugin’s own model.',
  list_fields: ['name', 'kind', 'status', 'owner', 'quantity'],
  rules: [
    (ctx) => {
      if (ctx.record.kind === 'doohickey' && Number(ctx.record.quantity) > 10) {
        ctx.error('quantity', 'No more than 10 doohickeys, please.');
      }
    },
  ],
});
