import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { ModulesContainer } from '@nestjs/core';
import { match } from 'path-to-regexp';
import { PUBLIC_ROUTE } from '@plinth/plugin-sdk';

interface PublicRoute {
  method: string;
  matches(path: string): boolean;
}

function paths(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value ?? ''];
  return list.map((p) => String(p).replace(/^\/+|\/+$/g, ''));
}

/**
 * The page routes marked `@Public()` (SDK): anonymous visitors reach them instead of being sent
 * to the login page (a health summary for load balancers). Collected once from the controllers'
 * decorators; `/api/` routes are the API guard's, which honours the same mark.
 */
export class PublicPages {
  private routes: PublicRoute[] = [];

  collect(container: ModulesContainer): void {
    const routes: PublicRoute[] = [];
    for (const mod of container.values()) {
      for (const wrapper of mod.controllers.values()) {
        const ctrl = wrapper.metatype as (new (...args: never[]) => unknown) | null;
        if (!ctrl) continue;
        const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, ctrl) === true;
        const bases = paths(Reflect.getMetadata(PATH_METADATA, ctrl));
        for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
          const fn = Object.getOwnPropertyDescriptor(ctrl.prototype, name)?.value as unknown;
          if (typeof fn !== 'function' || !Reflect.hasMetadata(PATH_METADATA, fn)) continue;
          if (!classPublic && Reflect.getMetadata(PUBLIC_ROUTE, fn) !== true) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod] ?? 'GET';
          for (const b of bases)
            for (const m of paths(Reflect.getMetadata(PATH_METADATA, fn))) {
              const route = `/${[b, m].filter(Boolean).join('/')}`;
              if (/^\/api(\/|$)/i.test(route)) continue;
              // Express matches case-insensitively and with or without a trailing slash.
              const test = match(route.toLowerCase(), { trailing: true, decode: false });
              routes.push({ method, matches: (path) => test(path.toLowerCase()) !== false });
            }
        }
      }
    }
    this.routes = routes;
  }

  has(method: string, path: string): boolean {
    const m = method === 'HEAD' ? 'GET' : method;
    return this.routes.some((r) => (r.method === 'ALL' || r.method === m) && r.matches(path));
  }
}
