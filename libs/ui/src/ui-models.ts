import { kebab, type LoadedPlugin, type ModelRegistry } from '@plinth/core';
import type { ModelMeta } from '@plinth/plugin-sdk';

export function titleCase(s: string): string {
  return s.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
}

/**
 * Where each model lives in the UI. Nautobot's scheme: `/<app>/<plural>/` for core domains,
 * `/plugins/<base_url>/<plural>/` for plugin models; the plural segment is the REST one, so
 * `/api/extras/tags/` is shown at `/extras/tags/`.
 */
export class UiModels {
  private readonly byLabel = new Map<string, string>();
  private readonly byPath = new Map<string, ModelMeta>();

  constructor(
    readonly models: ModelRegistry,
    plugins: readonly LoadedPlugin[],
  ) {
    const pluginByName = new Map(plugins.map((p) => [p.name, p]));
    for (const m of models.all()) {
      let path: string;
      if (m.api_path) {
        path = m.api_path.replace(/^\/api/, '');
      } else {
        const p = pluginByName.get(m.plugin);
        const root = !p || p.builtin ? `/${m.app_label}` : `/plugins/${p.base_url}`;
        path = `${root}/${kebab(m.verbose_name_plural)}/`;
      }
      this.byLabel.set(m.label, path);
      this.byPath.set(path, m);
    }
  }

  /** List URL of a model (`/extras/tags/`), or of one object. */
  url(label: string, id?: unknown): string | null {
    const base = this.byLabel.get(label);
    if (!base) return null;
    return id === undefined || id === null ? base : `${base}${String(id)}/`;
  }

  path(model: ModelMeta): string {
    return this.byLabel.get(model.label)!;
  }

  all(): readonly ModelMeta[] {
    return this.models.all();
  }

  get(label: string): ModelMeta | undefined {
    return this.models.get(label);
  }

  /** `Tags`, `IP Addresses`. */
  plural(model: ModelMeta): string {
    return titleCase(model.verbose_name_plural);
  }

  singular(model: ModelMeta): string {
    return titleCase(model.verbose_name);
  }
}
