import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
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

export interface ControllerRoute {
  /** `GET`, `POST`, ... (`ALL` for `@All()`). */
  method: string;
  /** Without leading or trailing slashes: `api/plugins/acme/summary`. */
  path: string;
}

/** The routes of a Nest controller class, from its decorators. */
export function controllerRoutes(ctrl: Type<unknown>): ControllerRoute[] {
  const bases = paths(Reflect.getMetadata(PATH_METADATA, ctrl));
  const handlers = Object.getOwnPropertyNames(ctrl.prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => Object.getOwnPropertyDescriptor(ctrl.prototype, name)?.value as unknown)
    .filter((fn): fn is Function => typeof fn === 'function' && Reflect.hasMetadata(PATH_METADATA, fn));
  if (handlers.length === 0) return bases.map((path) => ({ method: 'ALL', path }));
  return bases.flatMap((b) =>
    handlers.flatMap((fn) => {
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod] ?? 'GET';
      return paths(Reflect.getMetadata(PATH_METADATA, fn)).map((m) => ({
        method,
        path: [b, m].filter(Boolean).join('/'),
      }));
    }),
  );
}

/** The routes of the controllers a plugin's Nest module declares. */
export function moduleRoutes(module: Type<unknown> | undefined): ControllerRoute[] {
  if (!module) return [];
  const controllers =
    (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) as Type<unknown>[] | undefined) ?? [];
  return controllers.flatMap(controllerRoutes);
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
      const routes = controllerRoutes(wrapper.metatype as Type<unknown>).map((r) => r.path);
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
