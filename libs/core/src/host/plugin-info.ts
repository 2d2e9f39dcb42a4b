import { isClass, type ModelDefinition } from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import type { LoadedPlugin } from '../plugins/discovery';
import type { RegistrySet } from './registries';
import { moduleRoutes } from './route-limits';

/** A plugin as the installed-plugins API and page describe it: its manifest and every contribution. */
export interface PluginInfo {
  name: string;
  package: string;
  verbose_name: string;
  version: string;
  description: string;
  author: string;
  author_email: string;
  base_url: string;
  builtin: boolean;
  min_version: string | null;
  max_version: string | null;
  depends_on: string[];
  settings_keys: string[];
  /** Its models, with their REST list endpoint (null for models without one). */
  models: { label: string; verbose_name: string; api_url: string | null }[];
  /** Routes of the controllers of its Nest module: `GET /api/plugins/acme/summary`. */
  routes: string[];
  /** Per registry id, one line per contributed item (names where items have one). */
  contributions: Record<string, string[]>;
}

const GRAPHQL_DEFINITION = /\b(extend\s+)?(type|input|enum|interface|scalar|union)\s+(\w+)/g;

/** A one-line description of a registered contribution. */
export function describeContribution(registry: string, item: unknown, plugin: string): string {
  if (typeof item === 'string') {
    if (registry === 'graphql-typedefs') {
      const defs = [...item.matchAll(GRAPHQL_DEFINITION)].map(
        (m) => `${m[1] ? 'extend ' : ''}${m[2]} ${m[3]}`,
      );
      return defs.join(', ') || 'SDL';
    }
    return item;
  }
  if (typeof item === 'object' && item !== null) {
    const o = item as Record<string, unknown>;
    if (registry === 'navigation') {
      const groups = (o.groups as { name: string; items: { label?: string; model?: string }[] }[]) ?? [];
      const items = groups.flatMap((g) => g.items.map((i) => `${g.name} › ${i.label ?? i.model}`));
      return `tab "${String(o.name)}": ${items.join(', ') || 'no items'}`;
    }
    if (registry === 'models') {
      const def = o as unknown as ModelDefinition;
      return `${def.app_label ?? plugin}.${def.model}`;
    }
    if (registry === 'template-extensions') {
      const slots = ['left_page', 'right_page', 'full_width_page', 'buttons', 'list_buttons'].filter(
        (k) => typeof o[k] === 'function',
      );
      const tabs = ((o.detail_tabs as { label: string }[] | undefined) ?? []).map((t) => `tab "${t.label}"`);
      const models = [o.model].flat().join(', ');
      return `${models}: ${[...slots, ...tabs].join(', ')}`;
    }
    if (registry === 'model-extensions') {
      const sources = (o.sources as { name: string }[] | undefined) ?? [];
      const parts = [
        ...sources.map((f) => `field ${f.name}`),
        ...Object.keys((o.filters as object | undefined) ?? {}).map((f) => `filter ${f}`),
        ...(o.hooks ? ['hooks'] : []),
      ];
      return `${[o.model].flat().join(', ')}: ${parts.join(', ') || 'nothing'}`;
    }
    if (registry === 'table-columns') return `${[o.model].flat().join(', ')}: column "${String(o.label)}"`;
    if (registry === 'content-type-references') return `${String(o.table)}.${String(o.column)}`;
    for (const k of ['name', 'title', 'view', 'feature']) {
      if (typeof o[k] === 'string') return `${k === 'view' ? 'view ' : ''}${String(o[k])}`;
    }
    // Instances of a plugin's classes (validators, middleware, banners) are known by their class.
    const ctor = (o.constructor as { name?: string } | undefined)?.name;
    if (ctor && ctor !== 'Object') return ctor;
    if (o.model !== undefined) return [o.model].flat().join(', ');
  }
  if (typeof item === 'function') return isClass(item) ? item.name : item.name || 'function';
  return String(item);
}

export function pluginInfo(
  p: LoadedPlugin,
  ctx: { registries: RegistrySet; models: ModelRegistry },
): PluginInfo {
  const contributions: Record<string, string[]> = {};
  for (const r of ctx.registries.all()) {
    const items = r.byPlugin(p.name).map((i) => describeContribution(r.token.id, i, p.name));
    if (items.length) contributions[r.token.id] = items;
  }
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
    models: ctx.models
      .all()
      .filter((m) => m.plugin === p.name)
      .map((m) => ({ label: m.label, verbose_name: m.verbose_name, api_url: m.api_path })),
    routes: moduleRoutes(p.manifest.module).map((r) => `${r.method} /${r.path}`),
    contributions,
  };
}
