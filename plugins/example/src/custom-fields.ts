import type { InstallHook } from '@plinth/plugin-sdk';

/** The custom field the example plugin installs on its widgets (operators may add more). */
export const WIDGET_FINISH = {
  key: 'example_finish',
  label: 'Finish',
  type: 'select',
  grouping: 'Example plugin',
  description: 'Surface finish of the widget (installed by the example plugin).',
  content_types: ['example.widget'],
  choices: ['matte', 'gloss'],
};

/**
 * Creates the `example_finish` select field on widgets and its choices, through the write path
 * (change-logged, validated). Idempotent: a field or choice that exists is left as it is, and a
 * field an operator detached from widgets is attached again.
 */
export const widgetCustomFields: InstallHook = {
  name: 'example.widget-custom-fields',
  async run(tx) {
    const { choices, ...definition } = WIDGET_FINISH;
    let [field] = await tx.objects.find('extras.customfield', { key: [definition.key] });
    if (!field) {
      [field] = await tx.objects.create('extras.customfield', [definition]);
    } else if (!(field.content_types as string[]).includes('example.widget')) {
      await tx.objects.update('extras.customfield', [
        { id: field.id, content_types: [...(field.content_types as string[]), 'example.widget'] },
      ]);
    }
    const have = new Set(
      (await tx.objects.find('extras.customfieldchoice', { custom_field: [field.id] })).map((c) => c.value),
    );
    const missing = choices.filter((value) => !have.has(value));
    if (missing.length)
      await tx.objects.create(
        'extras.customfieldchoice',
        missing.map((value, i) => ({ custom_field: field.id, value, weight: 100 + i })),
      );
  },
};
