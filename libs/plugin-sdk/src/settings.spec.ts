import { definePluginSettings, readPluginSettings, z } from './settings';

describe('readPluginSettings', () => {
  const handle = definePluginSettings(
    'acme',
    z.object({ folder: z.string().optional(), days: z.number().int().default(30) }),
  );

  it("reads a plugin's typed settings from the host's map, with the schema's defaults", () => {
    expect(handle.plugin).toBe('acme');
    expect(readPluginSettings(handle, { acme: { folder: '/srv' }, other: {} })).toEqual({
      folder: '/srv',
      days: 30,
    });
    expect(readPluginSettings(handle, {})).toEqual({ days: 30 });
  });

  it('names the plugin and the setting when the value does not fit', () => {
    expect(() => readPluginSettings(handle, { acme: { days: 'many' } })).toThrow(
      /^plugin "acme": setting "days": /,
    );
  });
});
