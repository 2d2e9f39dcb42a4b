import type { JobDefinition } from '@plinth/plugin-sdk';
import { widgetModel } from './models';

/**
 * A job with typed variables, as a third-party plugin declares one: it creates `count` widgets
 * named `<prefix>-<n>` with the chosen kind and status, logging each one (linked to the widget).
 * Not transactional: each widget is committed as it is created, so its log line shows at once;
 * a dry run (a transaction the runner opens) rolls them back.
 */
export const createWidgetsJob: JobDefinition = {
  name: 'example.create_widgets',
  label: 'Create widgets',
  grouping: 'Example',
  description: 'Create a numbered series of widgets.',
  dryrun: true,
  variables: {
    prefix: {
      type: 'string',
      regex: '[a-z][a-z0-9-]*',
      min_length: 2,
      max_length: 40,
      description: 'Widget names start with this (lower-case letters, digits, dashes).',
    },
    count: { type: 'integer', min_value: 1, max_value: 100, default: 3 },
    kind: {
      type: 'choice',
      choices: [
        ['gadget', 'Gadget'],
        ['gizmo', 'Gizmo'],
      ],
      default: 'gadget',
    },
    status: { type: 'object', model: 'extras.status', query_params: { content_types: 'example.widget' } },
    pause_ms: {
      type: 'integer',
      required: false,
      min_value: 0,
      max_value: 5000,
      description: 'Wait this long before each widget (to watch the log grow).',
    },
    fail_at: {
      type: 'integer',
      required: false,
      min_value: 1,
      description: 'Fail before creating widget number n (to see a failed run).',
    },
  },
  async run(ctx, data) {
    const count = Number(data.count);
    ctx.log_info(`Creating ${count} widgets named ${String(data.prefix)}-<n>.`, { grouping: 'setup' });
    const names: string[] = [];
    for (let i = 1; i <= count; i++) {
      if (data.pause_ms) await new Promise((r) => setTimeout(r, Number(data.pause_ms)));
      // Cancelled or out of time: stop between widgets (what was created stays).
      if (ctx.signal.aborted) {
        ctx.log_warning(`Stopped before widget ${i}: ${String((ctx.signal.reason as Error).message)}.`);
        break;
      }
      if (data.fail_at === i) throw new Error(`Stopped at widget ${i} as asked.`);
      const [w] = await ctx.objects.create(widgetModel, [
        { name: `${String(data.prefix)}-${i}`, kind: String(data.kind), status: String(data.status) },
      ]);
      ctx.log_success(`Created ${w.name}.`, {
        object: { id: w.id, object_type: 'example.widget', display: w.name },
      });
      names.push(w.name);
    }
    return { created: names };
  },
};
