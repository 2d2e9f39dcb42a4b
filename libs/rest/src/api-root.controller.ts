import { Controller, Get, Inject, Req, Res, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@plinth/plugin-sdk';
import {
  PLINTH_CONTEXT,
  PlinthExceptionFilter,
  assertApiAccess,
  pluginInfo,
  type ModelRegistry,
  type PlinthContext,
  type PlinthRequest,
} from '@plinth/core';
import { StatusService } from './status.service';

/** Apps the API root always lists, whether or not they have models yet. */
const CORE_ROOTS = ['graphql', 'plugins', 'status'];

function base(req: Request): string {
  return (req as PlinthRequest).plinth.base_url;
}

/** `{resource: absolute url}` for every model whose collection sits directly under `prefix`. */
export function endpointsUnder(
  models: ModelRegistry,
  prefix: string,
  baseUrl: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of models.all()) {
    if (!m.api_path?.startsWith(prefix)) continue;
    const rest = m.api_path.slice(prefix.length).replace(/\/$/, '');
    out[rest] = `${baseUrl}${m.api_path}`;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The API roots: `/api/`, one per app, `/api/plugins/...`, `/api/status/`. */
export function createApiRootControllers(ctx: PlinthContext): Type<unknown>[] {
  const apps = [
    ...new Set(
      ctx.models
        .all()
        .filter((m) => m.api_path && !m.api_path.startsWith('/api/plugins/'))
        .map((m) => m.app_label),
    ),
  ];
  const thirdParty = ctx.plugins.filter((p) => !p.builtin);

  @ApiExcludeController()
  @Controller('api')
  class ApiRootController {
    constructor(
      @Inject(PLINTH_CONTEXT) private readonly c: PlinthContext,
      @Inject(StatusService) private readonly status: StatusService,
    ) {}

    @Get()
    root(@Req() req: Request) {
      const roots = [...new Set([...apps, ...CORE_ROOTS])].sort();
      return Object.fromEntries(roots.map((a) => [a, `${base(req)}/api/${a}/`]));
    }

    /**
     * Versions, database, queue and workers. While the database is down it answers 503 with
     * Retry-After to anyone (credentials cannot be checked then; nothing else is revealed);
     * otherwise it needs a user, as every API route.
     */
    @Public()
    @Get('status')
    async statusInfo(@Req() req: Request, @Res() res: Response) {
      const db = await this.status.database();
      if (!db.ok) {
        res.setHeader('Retry-After', String(PlinthExceptionFilter.retryAfterSeconds));
        res.status(503).json({
          detail: 'The database is unavailable. Try again shortly.',
          database: { kind: this.c.database.kind, status: 'unavailable' },
        });
        return;
      }
      assertApiAccess(req as PlinthRequest);
      const { healthy, body } = await this.status.status();
      res.status(healthy ? 200 : 503).json(body);
    }

    @Get('plugins')
    plugins(@Req() req: Request) {
      const out: Record<string, string> = {
        'installed-plugins': `${base(req)}/api/plugins/installed-plugins/`,
      };
      for (const p of thirdParty) out[p.base_url] = `${base(req)}/api/plugins/${p.base_url}/`;
      return out;
    }

    @Get('plugins/installed-plugins')
    installed() {
      return this.c.plugins.filter((p) => !p.builtin).map((p) => pluginInfo(p, this.c));
    }
  }

  const appControllers = apps.map((app) => {
    @ApiExcludeController()
    @Controller(`api/${app}`)
    class AppRootController {
      constructor(@Inject(PLINTH_CONTEXT) private readonly c: PlinthContext) {}
      @Get()
      root(@Req() req: Request) {
        return endpointsUnder(this.c.models, `/api/${app}/`, base(req));
      }
    }
    Object.defineProperty(AppRootController, 'name', { value: `${app}ApiRootController` });
    return AppRootController;
  });

  const pluginControllers = thirdParty.map((p) => {
    @ApiExcludeController()
    @Controller(`api/plugins/${p.base_url}`)
    class PluginRootController {
      constructor(@Inject(PLINTH_CONTEXT) private readonly c: PlinthContext) {}
      @Get()
      root(@Req() req: Request) {
        return endpointsUnder(this.c.models, `/api/plugins/${p.base_url}/`, base(req));
      }
    }
    Object.defineProperty(PluginRootController, 'name', { value: `${p.name}PluginApiRootController` });
    return PluginRootController;
  });

  return [ApiRootController, ...appControllers, ...pluginControllers];
}
