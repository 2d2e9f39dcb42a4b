import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { getMetadataArgsStorage } from 'typeorm';
import {
  defaultBaseUrl,
  isDefinedPlugin,
  parseSettings,
  pluginNameProblem,
  type DefinedPlugin,
} from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';
import { PLINTH_VERSION } from '../version';
import { shareHostModules } from './host-modules';

/**
 * Core domains, enabled on every install. They are resolved and validated exactly like
 * third-party plugin packages; the only privilege is that their REST endpoints sit at
 * `/api/<app>/` rather than `/api/plugins/<base_url>/`.
 */
export const BUILTIN_PLUGIN_PACKAGES = [
  '@plinth/users',
  '@plinth/extras',
  '@plinth/tenancy',
  '@plinth/dcim',
  '@plinth/ipam',
  '@plinth/circuits',
  '@plinth/virtualization',
  '@plinth/netbox-import',
];

export interface LoadedPlugin {
  manifest: DefinedPlugin;
  name: string;
  version: string;
  packageName: string;
  packageDir: string;
  builtin: boolean;
  base_url: string;
  /** Effective settings: `default_settings` with the operator's `plugins_config.<name>` over them. */
  settings: Record<string, unknown>;
}

/** A plugin cannot be loaded; the message is one line naming the plugin and the reason. */
export class PluginLoadError extends Error {
  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super(`plugin "${plugin}": ${reason}`);
  }
}

const BASE_URL_RE = /^[a-z0-9][a-z0-9-_]*$/;
/** `/api/plugins/installed-plugins/` is the platform's own. */
const RESERVED_BASE_URLS = new Set(['installed-plugins']);

interface PluginPackageJson {
  name?: string;
  version?: string;
  plinth?: { plugin?: string };
}

function resolvePackage(pkg: string, cwd: string): { dir: string; json: PluginPackageJson } {
  let pkgJsonPath: string;
  try {
    // A package name, or a path to a plugin directory (relative to the working directory).
    pkgJsonPath = /^[./]/.test(pkg)
      ? require.resolve(path.resolve(cwd, pkg, 'package.json'))
      : require.resolve(`${pkg}/package.json`, { paths: [cwd, __dirname] });
  } catch {
    throw new PluginLoadError(pkg, `package not found (is it installed? try: npm install ${pkg})`);
  }
  const json = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')) as PluginPackageJson;
  return { dir: path.dirname(pkgJsonPath), json };
}

function loadManifest(
  pkg: string,
  cwd: string,
  builtin: boolean,
): { manifest: DefinedPlugin; dir: string; json: PluginPackageJson } {
  const { dir, json } = resolvePackage(pkg, cwd);
  if (!builtin) shareHostModules(dir);
  const entry = json.plinth?.plugin;
  if (!entry) throw new PluginLoadError(pkg, 'package.json has no "plinth": {"plugin": "<entry>"} field');
  const entryPath = path.resolve(dir, entry);
  if (!fs.existsSync(entryPath)) {
    throw new PluginLoadError(pkg, `entry ${entry} does not exist (was the plugin built?)`);
  }
  let mod: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(entryPath) as { default?: unknown };
  } catch (e) {
    throw new PluginLoadError(pkg, `loading ${entry} failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const manifest = mod.default ?? mod;
  if (!isDefinedPlugin(manifest)) {
    throw new PluginLoadError(pkg, `${entry} must default-export definePlugin({...})`);
  }
  return { manifest, dir, json };
}

function checkVersionRange(m: DefinedPlugin): void {
  const core = PLINTH_VERSION;
  if (m.min_version) {
    if (!semver.validRange(m.min_version))
      throw new PluginLoadError(m.name, `min_version "${m.min_version}" is not a version`);
    if (!semver.satisfies(core, `>=${m.min_version}`, { includePrerelease: true })) {
      throw new PluginLoadError(m.name, `requires Plinth >= ${m.min_version}, this is ${core}`);
    }
  }
  if (m.max_version) {
    if (!semver.validRange(m.max_version))
      throw new PluginLoadError(m.name, `max_version "${m.max_version}" is not a version`);
    if (!semver.satisfies(core, `<=${m.max_version}`, { includePrerelease: true })) {
      throw new PluginLoadError(m.name, `supports Plinth <= ${m.max_version}, this is ${core}`);
    }
  }
}

function tableOf(entity: unknown): string | undefined {
  return getMetadataArgsStorage().tables.find((t) => t.target === entity)?.name;
}

function checkManifest(m: DefinedPlugin, packageName: string): void {
  const nameProblem = pluginNameProblem(m.name);
  if (nameProblem) throw new PluginLoadError(packageName, nameProblem);
  if (!m.version || !semver.valid(m.version)) {
    throw new PluginLoadError(m.name, `version "${String(m.version)}" is not a semantic version`);
  }
  if (m.base_url !== undefined && !BASE_URL_RE.test(m.base_url)) {
    throw new PluginLoadError(m.name, `base_url "${m.base_url}" must be a single URL segment`);
  }
  const baseUrl = m.base_url ?? defaultBaseUrl(m.name);
  if (RESERVED_BASE_URLS.has(baseUrl)) {
    throw new PluginLoadError(m.name, `base_url "${baseUrl}" is reserved; set another base_url`);
  }
  checkVersionRange(m);
  // Plugin tables are prefixed with the plugin name so plugins never collide with core or each other.
  const entities = [...(m.models ?? []).map((d) => d.entity), ...(m.entities ?? [])];
  for (const entity of entities) {
    const table = tableOf(entity);
    if (!table)
      throw new PluginLoadError(m.name, `${(entity as { name?: string }).name} is not a TypeORM @Entity`);
    if (table.startsWith('core_')) continue;
    if (!table.startsWith(`${m.name}_`)) {
      throw new PluginLoadError(m.name, `table "${table}" must be prefixed with "${m.name}_"`);
    }
  }
}

function mergeSettings(m: DefinedPlugin, config: PlinthConfig, packageName: string): Record<string, unknown> {
  const given = config.pluginsConfig[m.name] ?? config.pluginsConfig[packageName] ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new PluginLoadError(m.name, `plugins_config.${m.name} must be an object`);
  }
  const settings = { ...(m.default_settings ?? {}), ...given };
  for (const key of m.required_settings ?? []) {
    if (settings[key] === undefined || settings[key] === null || settings[key] === '') {
      throw new PluginLoadError(m.name, `required setting "${key}" is missing from plugins_config.${m.name}`);
    }
  }
  if (!m.settings) return settings;
  const parsed = parseSettings(m.settings, settings);
  if (!parsed.ok) throw new PluginLoadError(m.name, `plugins_config.${m.name}: ${parsed.message}`);
  return parsed.value as Record<string, unknown>;
}

/** Order plugins so each comes after what it depends on; stable otherwise; cycles are errors. */
export function orderByDependencies<T extends { name: string; manifest: { dependsOn?: readonly string[] } }>(
  plugins: T[],
): T[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  for (const p of plugins) {
    for (const dep of p.manifest.dependsOn ?? []) {
      if (!byName.has(dep)) throw new PluginLoadError(p.name, `depends on "${dep}", which is not enabled`);
    }
  }
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: T, trail: string[]): void => {
    const s = state.get(p.name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(p.name)), p.name].join(' -> ');
      throw new PluginLoadError(p.name, `dependency cycle: ${cycle}`);
    }
    state.set(p.name, 'visiting');
    for (const dep of p.manifest.dependsOn ?? []) visit(byName.get(dep)!, [...trail, p.name]);
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}

/**
 * Resolve, validate and order the built-in domains and the enabled plugins. Any problem stops
 * start-up with a PluginLoadError.
 */
export function discoverPlugins(
  config: PlinthConfig,
  builtinPackages: readonly string[] = BUILTIN_PLUGIN_PACKAGES,
): LoadedPlugin[] {
  const seen = new Map<string, string>();
  const load = (pkg: string, builtin: boolean): LoadedPlugin => {
    const { manifest, dir, json } = loadManifest(pkg, config.cwd, builtin);
    checkManifest(manifest, pkg);
    const other = seen.get(manifest.name);
    if (other) throw new PluginLoadError(manifest.name, `enabled twice (packages ${other} and ${pkg})`);
    seen.set(manifest.name, pkg);
    return {
      manifest,
      name: manifest.name,
      version: manifest.version,
      packageName: json.name ?? pkg,
      packageDir: dir,
      builtin,
      base_url: manifest.base_url ?? defaultBaseUrl(manifest.name),
      settings: mergeSettings(manifest, config, json.name ?? pkg),
    };
  };
  const builtins = builtinPackages.map((p) => load(p, true));
  const extra = config.plugins.filter((p) => !builtinPackages.includes(p)).map((p) => load(p, false));
  const baseUrls = new Map<string, string>();
  for (const p of extra) {
    const other = baseUrls.get(p.base_url);
    if (other)
      throw new PluginLoadError(p.name, `base_url "${p.base_url}" is already used by plugin "${other}"`);
    baseUrls.set(p.base_url, p.name);
  }
  return orderByDependencies([...builtins, ...extra]);
}
