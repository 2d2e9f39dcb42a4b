import type { InstallHook } from '@plinth/plugin-sdk';

/** Lets widgets use the Active and Planned statuses (Nautobot apps seed statuses the same way). */
export const widgetStatuses: InstallHook = {
  name: 'example.widget-statuses',
  async run(tx) {
    const statuses = await tx.objects.find('extras.status', { name: ['Active', 'Planned'] });
    const changes = statuses
      .filter((s) => !(s.content_types as string[]).includes('example.widget'))
      .map((s) => ({ id: s.id, content_types: [...(s.content_types as string[]), 'example.widget'] }));
    if (changes.length) await tx.objects.update('extras.status', changes);
  },
};
