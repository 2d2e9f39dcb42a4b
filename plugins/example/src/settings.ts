import { Inject, Injectable } from '@nestjs/common';
import { PLUGIN_SETTINGS, type PluginSettingsMap } from '@plinth/plugin-sdk';

export interface ExampleSettings {
  /** Required: names this installation in the plugin's greetings. */
  instance_name: string;
  greeting: string;
  /** Tags with this prefix may only be created by superusers (see the custom validator). */
  reserved_tag_prefix: string;
}

export const DEFAULT_SETTINGS: Omit<ExampleSettings, 'instance_name'> = {
  greeting: 'Hello from the example plugin',
  reserved_tag_prefix: 'reserved-',
};

/** The plugin's effective settings (defaults merged under plugins_config.example). */
@Injectable()
export class ExampleSettingsService {
  readonly settings: ExampleSettings;

  constructor(@Inject(PLUGIN_SETTINGS) all: PluginSettingsMap) {
    this.settings = all.example as unknown as ExampleSettings;
  }
}
