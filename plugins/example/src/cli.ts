import type { CliCommand } from '@plinth/plugin-sdk';

/** `plinth example-widgets`: a plugin-contributed CLI command. */
export const widgetsCommand: CliCommand = {
  name: 'example-widgets',
  description: '[example plugin] list widgets',
  options: [{ flags: '--kind <kind>', description: 'only widgets of this kind' }],
  async run(ctx, _args, options) {
    const filters: Record<string, string> = options.kind ? { kind: String(options.kind) } : {};
    const widgets = await ctx.objects.find('example.widget', filters);
    for (const w of widgets) ctx.log(`${String(w.name)}\t${String(w.kind)}\t${String(w.quantity)}`);
    ctx.log(`${widgets.length} widget(s)`);
  },
};
