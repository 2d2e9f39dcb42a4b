import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { ModelDefinition } from './model';
import type { Contribution } from './registry';
import type { PluginSettings } from './settings';

export type MigrationClass = new () => MigrationInterface;

/**
 * A plugin's static, inspectable manifest. The package's `package.json` points at the module
 * that default-exports it: `"plinth": { "plugin": "./dist/index.js" }`.
 */
export interface PluginManifest {
  /**
   * Unique name: lower-case letters, digits and `_`, starting with a letter, at most 40
   * characters. Prefixes the plugin's tables, keys its settings and is its models' app_label.
   */
  name: string;
  verbose_name?: string;
  version: string;
  description?: string;
  author?: string;
  author_email?: string;
  /** URL segment under `/plugins/` and `/api/plugins/` (defaults to the name with `-` for `_`). */
  base_url?: string;
  /** Lowest compatible Plinth version (inclusive). */
  min_version?: string;
  /** Highest compatible Plinth version (inclusive; `1.2` allows every 1.2.x). */
  max_version?: string;
  /** Plugins that must be enabled and loaded before this one. */
  dependsOn?: readonly string[];
  /** Settings the operator must give under `plugins_config.<name>`. */
  required_settings?: readonly string[];
  /** Defaults, merged under the operator's settings. */
  default_settings?: Readonly<Record<string, unknown>>;
  /**
   * Typed settings (`definePluginSettings(name, z.object({...}))`): `plugins_config.<name>`
   * merged over `default_settings` is validated against it at start-up and injected typed.
   */
  settings?: PluginSettings<unknown>;
  /** The plugin's Nest module (controllers, providers). */
  module?: Type<unknown>;
  models?: readonly ModelDefinition[];
  /** TypeORM migrations for the plugin's tables, oldest first. Recorded in `plinth_migrations_<name>`. */
  migrations?: readonly MigrationClass[];
  /** Entities that are not Plinth models (join tables, internal state). */
  entities?: readonly Type<unknown>[];
  contributions?: readonly Contribution<unknown>[];
}

/** Longest plugin name: it prefixes table names (and `plinth_migrations_<name>`), which PostgreSQL cuts at 63. */
export const PLUGIN_NAME_MAX_LENGTH = 40;

/**
 * Why a plugin name is not allowed, or null. A plugin's `name` (its table prefix, settings key
 * and app_label) is lower-case letters, digits and `_`, starting with a letter; its package and
 * folder may use `-` instead (`acme-widgets` holds the plugin `acme_widgets`, served under
 * `/plugins/acme-widgets/`).
 */
export function pluginNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
    const hint = typeof name === 'string' ? pluginNameFor(name) : '';
    return (
      `name "${String(name)}" may only contain lower-case letters, digits and _, starting with a letter` +
      (hint && hint !== name && !pluginNameProblem(hint) ? ` (e.g. "${hint}")` : '')
    );
  }
  if (name.length > PLUGIN_NAME_MAX_LENGTH)
    return `name "${name}" is longer than ${PLUGIN_NAME_MAX_LENGTH} characters (it prefixes table names)`;
  if (name === 'core') return 'name "core" is reserved for the platform';
  return null;
}

/** The plugin name a package or folder name suggests: `acme-widgets` -> `acme_widgets`. */
export function pluginNameFor(packageOrFolder: string): string {
  return packageOrFolder
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/-/g, '_');
}

/** The default URL segment of a plugin: its name with `-` for `_`. */
export function defaultBaseUrl(name: string): string {
  return name.replace(/_/g, '-');
}

const MANIFEST = Symbol.for('plinth:plugin-manifest');

export type DefinedPlugin = PluginManifest & { readonly [MANIFEST]: true };

export function definePlugin(manifest: PluginManifest): DefinedPlugin {
  return Object.freeze({ ...manifest, [MANIFEST]: true as const });
}

export function isDefinedPlugin(value: unknown): value is DefinedPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MANIFEST] === true;
}
