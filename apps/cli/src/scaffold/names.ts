import { defaultBaseUrl, pluginNameFor, pluginNameProblem } from '@plinth/plugin-sdk';

/** A `plinth plugin new` failure: one line, naming the plugin. */
export class ScaffoldError extends Error {
  constructor(plugin: string, reason: string) {
    super(`plugin "${plugin}": ${reason}`);
  }
}

/** Every name a new plugin project uses, derived from the one the author gives. */
export interface PluginNames {
  /** Folder and npm package name (`acme-widgets`). */
  folder: string;
  /** Plugin name: table prefix, settings key, app_label (`acme_widgets`). */
  name: string;
  /** URL segment under /plugins/ and /api/plugins/ (`acme-widgets`). */
  baseUrl: string;
  /** Prefix of class names (`AcmeWidgets`). */
  className: string;
  /** Human name (`Acme Widgets`). */
  verboseName: string;
}

const FOLDER_RE = /^[a-z][a-z0-9_-]*$/;

/**
 * The names of a plugin project from its folder name: lower-case letters, digits, `-` and `_`,
 * starting with a letter; `-` becomes `_` in the plugin name. `reserved` are names taken by
 * built-in plugins.
 */
export function pluginNames(folder: string, reserved: readonly string[] = []): PluginNames {
  if (!FOLDER_RE.test(folder)) {
    const hint = pluginNameFor(folder).replace(/_/g, '-');
    throw new ScaffoldError(
      folder,
      'the name may only contain lower-case letters, digits, - and _, starting with a letter' +
        (FOLDER_RE.test(hint) ? ` (e.g. "${hint}")` : ''),
    );
  }
  const name = pluginNameFor(folder);
  const problem = pluginNameProblem(name);
  if (problem) throw new ScaffoldError(folder, problem);
  if (reserved.includes(name)) throw new ScaffoldError(folder, `"${name}" is the name of a built-in plugin`);
  const words = name.split('_').filter(Boolean);
  return {
    folder,
    name,
    baseUrl: defaultBaseUrl(name),
    className: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    verboseName: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' '),
  };
}
