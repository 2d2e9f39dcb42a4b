import type { LoadedPlugin } from '../plugins/discovery';
import type { RegistrySet } from './registries';

/** A plugin as the installed-plugins API and page describe it. */
export function pluginInfo(p: LoadedPlugin, registries: RegistrySet): Record<string, unknown> {
  return {
    name: p.name,
    package: p.packageName,
    verbose_name: p.manifest.verbose_name ?? p.name,
    version: p.version,
    description: p.manifest.description ?? '',
    author: p.manifest.author ?? '',
    author_email: p.manifest.author_email ?? '',
    base_url: p.base_url,
    builtin: p.builtin,
    min_version: p.manifest.min_version ?? null,
    max_version: p.manifest.max_version ?? null,
    depends_on: [...(p.manifest.dependsOn ?? [])],
    settings_keys: Object.keys(p.settings).sort(),
    contributions: registries.contributionsOf(p.name),
  };
}
