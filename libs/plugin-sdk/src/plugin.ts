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
  /** Unique name: lower-case letters, digits, `_`. Prefixes the plugin's tables and settings. */
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

const MANIFEST = Symbol.for('plinth:plugin-manifest');

export type DefinedPlugin = PluginManifest & { readonly [MANIFEST]: true };

export function definePlugin(manifest: PluginManifest): DefinedPlugin {
  return Object.freeze({ ...manifest, [MANIFEST]: true as const });
}

export function isDefinedPlugin(value: unknown): value is DefinedPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MANIFEST] === true;
}
