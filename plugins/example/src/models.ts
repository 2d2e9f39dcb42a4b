import { CoreModels, PRIMARY_FEATURES, defineModel, sql, type Rec } from '@plinth/plugin-sdk';
import { Widget } from './widget.entity';

export const widgetModel = defineModel({
  entity: Widget,
  model: 'widget',
  features: [...PRIMARY_FEATURES, 'statuses'],
  description: 'Widgets, the example plugin’s own model.',
  list_fields: ['name', 'kind', 'status', 'owner', 'quantity'],
  computed: [
    {
      name: 'status_color',
      type: 'string',
      help_text: "The colour of the widget's status",
      async load(records: Rec[], ctx) {
        const ids = [...new Set(records.map((r) => r.status))];
        const rows = await ctx.query<{ id: string; color: string }>(
          sql`SELECT id, color FROM ${sql.table(CoreModels.status)} WHERE id = ANY(${ids}::uuid[])`,
        );
        const color = new Map(rows.map((r) => [r.id, r.color]));
        return new Map(records.map((r) => [String(r.id), color.get(String(r.status)) ?? null]));
      },
    },
    {
      name: 'same_kind',
      type: 'refs',
      target: 'example.widget',
      detail_only: true,
      help_text: 'Up to five other widgets of the same kind',
      async load(records: Rec[], ctx) {
        const out = new Map<string, string[]>();
        for (const r of records) {
          const rows = await ctx.query<{ id: string }>(
            sql`SELECT id FROM ${sql.table('example.widget')} WHERE kind = ${r.kind} AND id <> ${r.id}::uuid ORDER BY name LIMIT 5`,
          );
          out.set(
            String(r.id),
            rows.map((x) => x.id),
          );
        }
        return out;
      },
    },
  ],
  rules: [
    (ctx) => {
      if (ctx.record.kind === 'doohickey' && Number(ctx.record.quantity) > 10) {
        ctx.error('quantity', 'No more than 10 doohickeys, please.');
      }
    },
  ],
});
