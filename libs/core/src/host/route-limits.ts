import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { PluginLoadError, type LoadedPlugin } from '../plugins/discovery';

function paths(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value ?? ''];
  return list.map((p) => String(p).replace(/^\/+|\/+$/g, ''));
}

/** Where a plugin's own routes may live: `/plugins/<base_url>/` and `/api/plugins/<base_url>/` (built-in domains: `/<app>/` and `/api/<app>/`). */
export function allowedPrefixes(p: LoadedPlugin): string[] {
  return p.builtin ? [`api/${p.name}`, p.name] : [`api/plugins/${p.base_url}`, `plugins/${p.base_url}`];
}

function within(route: string, prefix: string): boolean {
  return route === prefix || route.startsWith(`${prefix}/`);
}

/**
 * Enforces the URL limits of the plugin platform: every controller route of a plugin's module
 * must sit under the plugin's prefixes, or start-up fails naming the plugin and the route.
 */
export function checkPluginRoutes(container: ModulesContainer, plugins: readonly LoadedPlugin[]): void {
  for (const p of plugins) {
    if (!p.manifest.module) continue;
    const mod = [...container.values()].find((m) => m.metatype === p.manifest.module);
    if (!mod) continue;
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as Type<unknown>;
      const bases = paths(Reflect.getMetadata(PATH_METADATA, ctrl));
      const methods = Object.getOwnPropertyNames(ctrl.prototype)
        .filter((name) => name !== 'constructor')
        .map((name) => (ctrl.prototype as Record<string, unknown>)[name])
        .filter((fn): fn is Function => typeof fn === 'function' && Reflect.hasMetadata(PATH_METADATA, fn));
      const routes = bases.flatMap((b) =>
        methods.length
          ? methods.flatMap((fn) =>
              paths(Reflect.getMetadata(PATH_METADATA, fn)).map((m) => [b, m].filter(Boolean).join('/')),
            )
          : [b],
      );
      for (const route of routes) {
        if (!allowedPrefixes(p).some((prefix) => within(route, prefix))) {
          throw new PluginLoadError(
            p.name,
            `route "/${route}/" is outside its URL space (${allowedPrefixes(p)
              .map((x) => `/${x}/`)
              .join(', ')})`,
          );
        }
      }
    }
  }
}
