import { Session } from '../auth/session.entity';
import { LoginFailure } from '../auth/login-failure.entity';
import { EventOutboxRow } from '../events/outbox.entity';
import { ModelExtensions, ModelFeatures, Models, type RegistryToken } from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../database/database';
import type { MigrationSet } from '../database/migrations';
import { CORE_MIGRATIONS } from '../database/core-migrations';
import { RegistrySet } from '../host/registries';
import { ModelRegistry } from '../models/model-registry';
import { BUILTIN_PLUGIN_PACKAGES, discoverPlugins, type LoadedPlugin } from '../plugins/discovery';
import { isClass } from '@plinth/plugin-sdk';

export const PLINTH_CONTEXT = Symbol.for('plinth:context');

/** Everything known before Nest starts: config, plugins, registries, models, the database. */
export interface PlinthContext {
  config: PlinthConfig;
  plugins: LoadedPlugin[];
  registries: RegistrySet;
  models: ModelRegistry;
  database: Database;
}

export interface ContextOptions {
  builtins?: readonly string[];
  /** Registries plugins may contribute to beyond the core ones (UI, GraphQL). */
  registryTokens?: readonly RegistryToken<unknown>[];
  database?: Omit<OpenDatabaseOptions, 'entities'>;
}

/** Plugins and registries only: no database (for `plinth plugins list` and validation). */
export function loadPlugins(
  config: PlinthConfig,
  opts: ContextOptions = {},
): Omit<PlinthContext, 'database'> {
  const plugins = discoverPlugins(config, opts.builtins ?? BUILTIN_PLUGIN_PACKAGES);
  const registries = RegistrySet.fromPlugins(plugins, opts.registryTokens ?? []);
  const features = registries.get(ModelFeatures).entries();
  const extensions = registries.get(ModelExtensions).entries();
  if ([...features, ...extensions].some((f) => isClass(f.item)))
    throw new Error('model feature providers and model extensions must be plain objects');
  const models = new ModelRegistry(registries.get(Models).entries(), features, plugins, extensions);
  return { config, plugins, registries, models };
}

export function entitiesOf(plugins: readonly LoadedPlugin[]): Function[] {
  // The kernel's own entities; every other table belongs to a plugin's models or entities.
  const set = new Set<Function>([Session, LoginFailure, EventOutboxRow]);
  for (const p of plugins) {
    for (const m of p.manifest.models ?? []) set.add(m.entity);
    for (const e of p.manifest.entities ?? []) set.add(e);
  }
  return [...set];
}

export async function buildContext(config: PlinthConfig, opts: ContextOptions = {}): Promise<PlinthContext> {
  const base = loadPlugins(config, opts);
  const database = await openDatabase(config, {
    ...(opts.database ?? {}),
    entities: entitiesOf(base.plugins),
  });
  return { ...base, database };
}

/** Core's history first, then each plugin's, in plugin (dependency) order. */
export function migrationSets(plugins: readonly LoadedPlugin[]): MigrationSet[] {
  return [
    { name: 'core', migrations: CORE_MIGRATIONS },
    ...plugins.map((p) => ({ name: p.name, migrations: p.manifest.migrations ?? [] })),
  ];
}
