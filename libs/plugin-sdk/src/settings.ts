import { Inject } from '@nestjs/common';

/**
 * A settings schema: anything with zod's `safeParse` (zod is re-exported by the SDK as `z`; a
 * plugin may bring its own copy). Defaults in the schema fill settings the operator leaves out.
 */
export interface SettingsSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

const HANDLE = Symbol.for('plinth:plugin-settings-handle');

/** A plugin's typed settings: validated at start-up, injected with `@settings.inject()`. */
export interface PluginSettings<T> {
  readonly [HANDLE]: true;
  /** The plugin whose settings these are (`plugins_config.<plugin>`). */
  readonly plugin: string;
  readonly schema: SettingsSchema<T>;
  /** The Nest injection token of the validated settings. */
  readonly token: symbol;
  /** `constructor(@exampleSettings.inject() readonly settings: ExampleSettings)` */
  inject(): ParameterDecorator & PropertyDecorator;
}

/**
 * Declare a plugin's settings with a schema (`z.object({...})`). List the result as the
 * manifest's `settings`: the host validates `plugins_config.<plugin>` against it at start-up (a
 * bad value stops start-up with one line naming the plugin and the setting) and provides the
 * parsed, typed value.
 */
export function definePluginSettings<T>(plugin: string, schema: SettingsSchema<T>): PluginSettings<T> {
  const token = Symbol.for(`plinth:plugin-settings:${plugin}`);
  return Object.freeze({
    [HANDLE]: true as const,
    plugin,
    schema,
    token,
    inject: () => Inject(token),
  });
}

/** The settings type of a `definePluginSettings` result. */
export type SettingsOf<H> = H extends PluginSettings<infer T> ? T : never;

/** Validate settings against a plugin's schema: the parsed value, or one line saying what is wrong. */
export function parseSettings<T>(
  handle: PluginSettings<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const r = handle.schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const where = issue.path.length ? `setting "${issue.path.map(String).join('.')}"` : 'settings';
  return { ok: false, message: `${where}: ${issue.message}` };
}

/**
 * A plugin's typed settings read from the host's map of effective settings (keyed by plugin
 * name): for code outside Nest injection. Jobs get theirs as `ctx.settings(handle)`.
 */
export function readPluginSettings<T>(
  handle: PluginSettings<T>,
  all: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): T {
  const parsed = parseSettings(handle, all[handle.plugin] ?? {});
  if (!parsed.ok) throw new Error(`plugin "${handle.plugin}": ${parsed.message}`);
  return parsed.value;
}

export { z } from 'zod';
