import {
  CoreModels,
  defineModel,
  sql,
  type BatchContext,
  type ModelFeatureProvider,
  type RuleContext,
} from '@plinth/plugin-sdk';
import { Note } from './entities';

/** The model label of notes (REST's and the UI's `<id>/notes/` routes list and create them). */
export const NOTE_MODEL = CoreModels.note.label;

/** The annotated object must exist and have the `notes` feature; it cannot change afterwards. */
async function noteRule(ctx: RuleContext<Note>): Promise<void> {
  const r = ctx.record;
  if (ctx.action === 'update') {
    if (ctx.changed('assigned_object_type') || ctx.changed('assigned_object_id'))
      ctx.error('assigned_object_id', 'A note cannot be moved to another object.');
    return;
  }
  const target = ctx.tx.models.get(String(r.assigned_object_type));
  if (!target?.has('notes')) {
    ctx.error(
      'assigned_object_type',
      `"${String(r.assigned_object_type)}" is not an object type that takes notes.`,
    );
    return;
  }
  const found = await ctx.tx.one(
    sql`SELECT 1 AS "x" FROM ${sql.ident(target.table)} WHERE "id" = ${r.assigned_object_id}::uuid`,
  );
  if (!found) ctx.error('assigned_object_id', `No ${target.verbose_name} with this id exists.`);
  if (!r.note?.trim()) ctx.error('note', 'This field may not be blank.');
}

export const noteModel = defineModel({
  entity: Note,
  app_label: 'extras',
  model: 'note',
  api_path: 'notes',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['-created'],
  display: {
    sql: (t) =>
      sql`${t}."assigned_object_type" || ': ' || left(regexp_replace(${t}."note", '\\s+', ' ', 'g'), 50)`,
  },
  natural_key: [],
  rules: [noteRule],
  hooks: {
    // Author and time come from the request, never from the client.
    prepare(ctx) {
      if (ctx.action !== 'create') return;
      ctx.record.user = (ctx.tx.user?.id ?? null) as never;
      ctx.record.user_name = ctx.tx.user?.username ?? '';
    },
  },
  computed: [
    {
      name: 'assigned_object',
      type: 'generic_ref',
      help_text: 'The annotated object',
      load: async (records) =>
        new Map(
          records.map((r) => [
            String(r.id),
            { object_type: String(r.assigned_object_type), id: String(r.assigned_object_id) },
          ]),
        ),
    },
  ],
  list_fields: ['created', 'user_name', 'assigned_object_type', 'note'],
  description: 'Notes on objects (Markdown), with their author and time.',
});

/**
 * Every model with `notes` takes notes (REST `<id>/notes/`, the UI's Notes tab); deleting an
 * object deletes its notes through the write path (each deletion change-logged).
 */
export const notesFeature: ModelFeatureProvider = {
  feature: 'notes',
  hooks: {
    async beforeDelete(ctx: BatchContext) {
      const ids = ctx.records.map((r) => String(r.id));
      const notes = await ctx.tx.objects.find(noteModel, {
        assigned_object_type: [ctx.model.label],
        assigned_object_id: ids,
      });
      if (notes.length)
        await ctx.tx.objects.delete(
          noteModel,
          notes.map((n) => n.id),
        );
    },
  },
};
