import * as path from 'node:path';
import { loadConfig } from '../config/config';
import { discoverPlugins, PluginLoadError } from './discovery';

// Fixture plugin packages are plain JS next to the sources (dist/ -> src/).
const FIXTURES = path.resolve(__dirname, '../../src/plugins/__fixtures__');

function discover(plugins: string[], pluginsConfig: Record<string, Record<string, unknown>> = {}) {
  const config = loadConfig(
    {
      PLINTH_PLUGINS: plugins.map((p) => `./${p}`).join(','),
      PLINTH_PLUGINS_CONFIG: JSON.stringify(pluginsConfig),
    },
    FIXTURES,
  );
  return discoverPlugins(config);
}

function failure(plugins: string[], pluginsConfig?: Record<string, Record<string, unknown>>): string {
  try {
    discover(plugins, pluginsConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(PluginLoadError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected discovery to fail');
}

describe('plugin discovery', () => {
  it('loads built-in domains first and merges default settings under the operator settings', () => {
    const plugins = discover(['needs-setting'], { needs_setting: { api_key: 'k', size: 5 } });
    expect(plugins.map((p) => p.name)).toEqual([
      'users',
      'extras',
      'tenancy',
      'dcim',
      'ipam',
      'circuits',
      'virtualization',
      'netbox_import',
      'needs_setting',
    ]);
    expect(plugins[8].settings).toEqual({ colour: 'blue', size: 5, api_key: 'k' });
    expect(plugins[8].builtin).toBe(false);
    expect(plugins[0].builtin).toBe(true);
  });

  it('fails with one line naming the plugin and the missing required setting', () => {
    expect(failure(['needs-setting'])).toBe(
      'plugin "needs_setting": required setting "api_key" is missing from plugins_config.needs_setting',
    );
  });

  it('checks the core version range', () => {
    expect(failure(['too-new'])).toMatch(
      /^plugin "too_new": requires Plinth >= 99\.0\.0, this is \d+\.\d+\.\d+/,
    );
    expect(failure(['too-old'])).toMatch(/^plugin "too_old": supports Plinth <= 0\.0\.1, this is/);
  });

  it('orders by dependsOn and rejects cycles and missing dependencies', () => {
    const plugins = discover(['ordered', 'needs-setting'], { needs_setting: { api_key: 'k' } });
    expect(plugins.map((p) => p.name).slice(-2)).toEqual(['needs_setting', 'ordered']);
    expect(failure(['cycle-a', 'cycle-b'])).toBe(
      'plugin "cycle_a": dependency cycle: cycle_a -> cycle_b -> cycle_a',
    );
    expect(failure(['needs-missing'])).toBe(
      'plugin "needs_missing": depends on "not_enabled", which is not enabled',
    );
  });

  it('validates the package and its manifest', () => {
    expect(failure(['nowhere'])).toMatch(/^plugin "\.\/nowhere": package not found/);
    expect(failure(['no-manifest'])).toBe(
      'plugin "./no-manifest": package.json has no "plinth": {"plugin": "<entry>"} field',
    );
    expect(failure(['not-defined'])).toBe(
      'plugin "./not-defined": ./index.js must default-export definePlugin({...})',
    );
    expect(failure(['bad-name'])).toBe(
      'plugin "./bad-name": name "acme-widgets" may only contain lower-case letters, digits and _, starting with a letter (e.g. "acme_widgets")',
    );
    expect(failure(['reserved-url'])).toBe(
      'plugin "installed_plugins": base_url "installed-plugins" is reserved; set another base_url',
    );
    expect(failure(['bad-table'])).toBe(
      'plugin "bad_table": table "dcim_thing" must be prefixed with "bad_table_"',
    );
  });
});
