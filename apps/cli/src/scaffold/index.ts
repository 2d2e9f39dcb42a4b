import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeMigration } from '@plinth/core';
import { ScaffoldError, pluginNames, type PluginNames } from './names';
import {
  gitignore,
  indexSource,
  initialMigration,
  packageJson,
  readme,
  testSource,
  tsconfig,
  widgetSource,
  type ScaffoldVersions,
} from './templates';

export { ScaffoldError, pluginNames, type PluginNames } from './names';
export type { ScaffoldVersions } from './templates';

export interface ScaffoldOptions {
  /** Folder and package name (`acme-widgets`). */
  folder: string;
  /** Directory the plugin folder is created in. */
  parent: string;
  versions: ScaffoldVersions;
  /** Names of built-in plugins, which a new plugin may not take. */
  reserved?: readonly string[];
  /** Timestamp of the initial migration (default: now). */
  timestamp?: number;
}

export interface ScaffoldResult {
  names: PluginNames;
  dir: string;
  /** Written files, relative to `dir`. */
  files: string[];
}

/** The Plinth source checkout `dir` lies in, if any (plugins do not belong inside it). */
export function plinthCheckout(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string; workspaces?: unknown };
        if (json.name === 'plinth' && Array.isArray(json.workspaces)) return d;
      } catch {
        // Not JSON: not Plinth's.
      }
    }
    if (path.dirname(d) === d) return null;
  }
}

/** Write a new plugin project: `<parent>/<folder>/`, ready to install, build and test. */
export function scaffoldPlugin(opts: ScaffoldOptions): ScaffoldResult {
  const names = pluginNames(opts.folder, opts.reserved);
  const dir = path.resolve(opts.parent, names.folder);
  const checkout = plinthCheckout(opts.parent);
  if (checkout) {
    throw new ScaffoldError(
      names.folder,
      `${dir} would be inside the Plinth source tree (${checkout}); plugins live in their own folder: use --dir <parent>`,
    );
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new ScaffoldError(names.folder, `${dir} already exists and is not empty`);
  }
  const src = path.join(dir, 'src');
  const { up, down } = initialMigration(names);
  const migration = writeMigration(
    path.join(src, 'migrations'),
    `${names.className}Initial`,
    up,
    down,
    opts.timestamp,
    'plinth plugin new',
  );
  const files: Record<string, string> = {
    'package.json': packageJson(names, opts.versions),
    'tsconfig.json': tsconfig(),
    '.gitignore': gitignore(),
    'README.md': readme(names, opts.versions),
    'src/index.ts': indexSource(
      names,
      { className: migration.className, module: `migrations/${path.basename(migration.file, '.ts')}` },
      opts.versions,
    ),
    'src/widget.ts': widgetSource(names),
    'src/widgets.test.ts': testSource(names),
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return {
    names,
    dir,
    files: [...Object.keys(files), path.relative(dir, migration.file)].sort(),
  };
}
