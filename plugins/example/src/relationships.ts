import type { InstallHook } from '@plinth/plugin-sdk';

/** The relationship the example plugin installs between its widgets (operators may add more). */
export const COMPATIBLE_WIDGETS = {
  key: 'example_compatible',
  label: 'Compatible widgets',
  type: 'symmetric-many-to-many',
  description: 'Widgets that work together (installed by the example plugin).',
  source_type: 'example.widget',
  destination_type: 'example.widget',
};

/**
 * Creates the `example_compatible` relationship through the write path (change-logged,
 * validated). Idempotent: a relationship with the key is left as the operator keeps it.
 */
export const widgetRelationships: InstallHook = {
  name: 'example.widget-relationships',
  async run(tx) {
    const [existing] = await tx.objects.find('extras.relationship', { key: [COMPATIBLE_WIDGETS.key] });
    if (!existing) await tx.objects.create('extras.relationship', [COMPATIBLE_WIDGETS]);
  },
};
