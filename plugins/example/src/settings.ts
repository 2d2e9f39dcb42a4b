import { definePluginSettings, z, type SettingsOf } from '@plinth/plugin-sdk';

/** The example plugin's settings: `plugins_config.example`, validated at start-up. */
export const exampleSettings = definePluginSettings(
  'example',
  z.object({
    /** Names this installation in the plugin's greetings. */
    instance_name: z.string().min(1),
    greeting: z.string().default('Hello from the example plugin'),
    /** Tags with this prefix may only be created by superusers (see the custom validator). */
    reserved_tag_prefix: z.string().min(1).default('reserved-'),
  }),
);

export type ExampleSettings = SettingsOf<typeof exampleSettings>;
