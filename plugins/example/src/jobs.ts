import type { JobDefinition, JobFile, ObjectChangeEvent } from '@plinth/plugin-sdk';
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
  // Big series can go to workers of their own (`plinth worker --queues bulk`).
  task_queues: ['default', 'bulk'],
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

/**
 * A job with a file variable (Nautobot's FileVar): one widget per non-empty line of the uploaded
 * text file, all in one transaction (a bad line leaves nothing behind).
 */
export const importWidgetsJob: JobDefinition = {
  name: 'example.import_widgets',
  label: 'Import widgets',
  grouping: 'Example',
  description: 'Create a widget for each line (its name) of an uploaded text file.',
  transaction: true,
  variables: {
    names: { type: 'file', max_size: 64 * 1024, description: 'A text file: one widget name per line.' },
    status: { type: 'object', model: 'extras.status', query_params: { content_types: 'example.widget' } },
  },
  async run(ctx, data) {
    const file = data.names as JobFile;
    const names = file
      .text()
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    ctx.log_info(`${file.name}: ${file.size} bytes, ${names.length} names.`);
    const created = await ctx.objects.create(
      widgetModel,
      names.map((name) => ({ name, kind: 'gadget', status: String(data.status) })),
    );
    ctx.log_success(`Created ${created.length} widgets.`);
    return { created: created.map((w) => w.name) };
  },
};

/** A job for one widget, for a job button on widget pages (its `widget` variable is pre-filled). */
export const bumpWidgetJob: JobDefinition = {
  name: 'example.bump_widget',
  label: 'Bump widget quantity',
  grouping: 'Example',
  description: "Add to a widget's quantity.",
  variables: {
    widget: { type: 'object', model: 'example.widget' },
    amount: { type: 'integer', min_value: 1, max_value: 1000, default: 1 },
  },
  async run(ctx, data) {
    const widget = await ctx.objects.get(widgetModel, String(data.widget));
    if (!widget) throw new Error('The widget is gone.');
    const [updated] = await ctx.objects.update(widgetModel, [
      { id: widget.id, quantity: widget.quantity + Number(data.amount) },
    ]);
    ctx.log_success(`${widget.name}: quantity ${widget.quantity} → ${updated.quantity}.`, {
      object: { id: widget.id, object_type: 'example.widget', display: widget.name },
    });
    return { quantity: updated.quantity };
  },
};

/**
 * A job hook receiver: run by job hooks on widget changes, it logs the change and marks new
 * widgets as audited (that update does not fire the hook again: hook runs' own changes are
 * left out).
 */
export const auditWidgetJob: JobDefinition = {
  name: 'example.audit_widget',
  label: 'Audit widget changes',
  grouping: 'Example',
  description: 'Receives widget changes from job hooks.',
  job_hook_receiver: true,
  async run(ctx, data) {
    const change = data.object_change as ObjectChangeEvent;
    ctx.log_info(`${change.event} ${change.model} ${change.object_id} by ${change.username}`);
    if (change.event === 'created') {
      await ctx.objects.update(widgetModel, [{ id: change.object_id, description: 'audited' }]);
      ctx.log_success('Marked as audited.');
    }
    return { event: change.event };
  },
};
