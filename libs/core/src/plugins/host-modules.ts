import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/**
 * One copy of the host's modules for plugins that live outside Plinth's tree.
 *
 * A plugin developed in its own folder has its own node_modules, with its own copies of the SDK,
 * Nest, TypeORM, class-validator... Loaded from there, its decorators would record metadata in
 * a second copy of the SDK ("the entity declares no Plinth fields"), its Nest classes would not
 * be the injector's, and `instanceof` checks on its errors and entities would fail. While Plinth
 * runs, these packages are the host's: when a file inside such a plugin directory requires one,
 * Node resolves it from Plinth instead (or from the plugin when Plinth does not have it).
 * Everything else the plugin requires comes from its own node_modules as usual.
 */

const SHARED_PACKAGES = new Set([
  'typeorm',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
  'graphql',
  'rxjs',
]);
const SHARED_SCOPES = ['@plinth/', '@nestjs/'];

/** Packages whose copy tells whether a plugin directory would load its own (see `shareHostModules`). */
const PROBES = ['@plinth/plugin-sdk', '@nestjs/common', '@nestjs/core', 'typeorm', 'class-validator'];

function packageOf(request: string): string | null {
  if (request.startsWith('.') || path.isAbsolute(request) || request.startsWith('node:')) return null;
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether a bare module request names a package the host provides to plugins. */
export function isHostModule(request: string): boolean {
  const pkg = packageOf(request);
  if (!pkg) return false;
  return SHARED_PACKAGES.has(pkg) || SHARED_SCOPES.some((s) => pkg.startsWith(s));
}

type ResolveFilename = (
  request: string,
  parent: Module | null | undefined,
  isMain: boolean,
  options?: { paths?: string[] },
) => string;

const loader = Module as unknown as { _resolveFilename: ResolveFilename };
const original = loader._resolveFilename;
const pluginDirs: string[] = [];
// This module sits in @plinth/core: resolving from it resolves as the host does.
const hostModule = module as unknown as Module;

function resolveFromHost(request: string): string | null {
  try {
    return original.call(loader, request, hostModule, false);
  } catch {
    return null;
  }
}

function resolveFrom(dir: string, request: string): string | null {
  try {
    return require.resolve(request, { paths: [dir] });
  } catch {
    return null;
  }
}

function install(): void {
  if (loader._resolveFilename !== original) return;
  loader._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const from = parent?.filename;
    // Explicit `paths` (require.resolve(x, {paths})) mean the caller chose where to look.
    if (from && !options?.paths && isHostModule(request) && pluginDirs.some((d) => from.startsWith(d))) {
      const hosted = resolveFromHost(request);
      if (hosted) return hosted;
    }
    return original.call(this, request, parent, isMain, options);
  };
}

/**
 * Make the plugin in `dir` use the host's copies of the shared modules, if it would otherwise
 * load its own (a plugin outside Plinth's tree, with its own node_modules). Returns whether it
 * would have. Plugins installed next to Plinth already resolve to the host's copies and are left
 * alone.
 */
export function shareHostModules(dir: string): boolean {
  const real = fs.realpathSync(dir);
  const prefix = real.endsWith(path.sep) ? real : real + path.sep;
  // Plinth installed inside the plugin's folder (the plugin's own tests): every copy there is the host's.
  if (fs.realpathSync(__filename).startsWith(prefix)) return false;
  const ownCopy = PROBES.some((p) => {
    const own = resolveFrom(real, p);
    const host = resolveFromHost(p);
    return own !== null && host !== null && own !== host;
  });
  if (!ownCopy) return false;
  if (!pluginDirs.includes(prefix)) pluginDirs.push(prefix);
  install();
  return true;
}
