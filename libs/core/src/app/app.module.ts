import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, Reflector } from '@nestjs/core';
import { isClass } from '@plinth/plugin-sdk';
import { ApiGuard } from '../http/api.guard';
import { PlinthExceptionFilter } from '../http/exception.filter';
import type { PlinthContext } from './context';
import { PlinthCoreModule } from './core.module';

/** A first-party module, or a function building one from the app's context (models, plugins). */
export type ModuleSpec =
  Type<unknown> | DynamicModule | ((ctx: PlinthContext) => Type<unknown> | DynamicModule);

export interface AppModuleOptions {
  /** Serve HTTP (REST, UI); false for the worker and CLI. */
  http: boolean;
  /**
   * The surfaces (REST, GraphQL, the web UI) and other first-party modules, imported after the
   * plugins in this order (the REST API's generic routes last).
   */
  modules?: readonly ModuleSpec[];
}

function buildModule(spec: ModuleSpec, ctx: PlinthContext): Type<unknown> | DynamicModule {
  return typeof spec === 'function' && !isClass(spec)
    ? (spec as (c: PlinthContext) => Type<unknown> | DynamicModule)(ctx)
    : (spec as Type<unknown> | DynamicModule);
}

/** Core, then each plugin's module in dependency order, then the surfaces. */
@Module({})
export class PlinthAppModule {
  static forRoot(ctx: PlinthContext, opts: AppModuleOptions): DynamicModule {
    const pluginModules = ctx.plugins.map((p) => p.manifest.module).filter((m): m is Type<unknown> => !!m);
    return {
      module: PlinthAppModule,
      imports: [
        PlinthCoreModule.forRoot(ctx),
        ...pluginModules,
        ...(opts.modules ?? []).map((m) => buildModule(m, ctx)),
      ],
      providers: opts.http
        ? [
            { provide: APP_GUARD, useFactory: (r: Reflector) => new ApiGuard(r), inject: [Reflector] },
            { provide: APP_FILTER, useClass: PlinthExceptionFilter },
          ]
        : [],
    };
  }
}
