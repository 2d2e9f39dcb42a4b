import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ListExports } from '@plinth/plugin-sdk';
import {
  API_VERSION,
  ModelRegistry,
  PLINTH_VERSION,
  FilterEngine,
  QueueService,
  Reads,
  WriteService,
  type PlinthContext,
  type PlinthRequest,
} from '@plinth/core';
import { createApiRootControllers } from './api-root.controller';
import { createModelController } from './model-controller.factory';
import { modelOpenApi, type OpenApiDocument } from './openapi';
import { RestEngine } from './rest-engine';
import { StatusService } from './status.service';

/**
 * The generated REST API: API roots and one controller per model. Imported after every plugin
 * module so plugins' own routes (`/api/.../<id>/trace/`, `/api/users/tokens/provision/`) are
 * matched before the generic `/<id>/` routes.
 */
@Module({})
export class PlinthRestModule {
  static forRoot(ctx: PlinthContext): DynamicModule {
    const models = ctx.models.all().filter((m) => m.api_path);
    return {
      module: PlinthRestModule,
      controllers: [...createApiRootControllers(ctx), ...models.map(createModelController)],
      providers: [
        {
          provide: RestEngine,
          useFactory: (m: ModelRegistry, r: Reads, w: WriteService) =>
            new RestEngine(m, r, w, ctx.registries.get(ListExports)),
          inject: [ModelRegistry, Reads, WriteService],
        },
        {
          provide: StatusService,
          useFactory: (q: QueueService) => new StatusService(ctx, q),
          inject: [QueueService],
        },
      ],
      exports: [RestEngine, StatusService],
    };
  }
}

/** OpenAPI for the generated model endpoints merged with plugins' own controllers. */
export function buildOpenApi(app: INestApplication, context: PlinthContext): OpenApiDocument {
  const config = new DocumentBuilder()
    .setTitle('Plinth API')
    .setDescription(
      'REST API of Plinth, the network source of truth. Authenticate with `Authorization: Token <key>`.',
    )
    .setVersion(API_VERSION)
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <40 hex key>' },
      'tokenAuth',
    )
    .addSecurityRequirements('tokenAuth')
    .build();
  const base = SwaggerModule.createDocument(app, config) as unknown as OpenApiDocument;
  const generated = modelOpenApi(context.models, app.get(FilterEngine));
  return {
    ...base,
    info: { ...base.info, 'x-plinth-version': PLINTH_VERSION },
    paths: { ...generated.paths, ...base.paths },
    components: {
      ...base.components,
      schemas: { ...(base.components?.schemas ?? {}), ...generated.components!.schemas },
    },
    tags: [...(generated.tags ?? []), ...(base.tags ?? [])],
  };
}

/**
 * The schema and its documentation need a user, as Nautobot's do: API clients send their token;
 * browsers with a session read them, anonymous browsers are sent to the login page.
 */
function requireUser(req: Request, res: Response, next: NextFunction): void {
  if ((req as PlinthRequest).plinth?.user) return next();
  if (req.method === 'GET' && /^\/api\/docs$/i.test(req.baseUrl) && req.accepts(['json', 'html']) === 'html')
    return res.redirect(302, `/login/?next=${encodeURIComponent(req.originalUrl)}`);
  res.status(403).json({ detail: 'Authentication credentials were not provided.' });
}

/** `/api/docs/` (Swagger UI, local assets) and `/api/swagger.json`; before the app's init. */
export function serveOpenApi(app: INestApplication, context: PlinthContext): void {
  for (const path of ['/api/docs', '/api/swagger.json', '/api/swagger.yaml']) app.use(path, requireUser);
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app, context) as never, {
    jsonDocumentUrl: 'api/swagger.json',
    yamlDocumentUrl: 'api/swagger.yaml',
    customSiteTitle: 'Plinth API',
    swaggerOptions: { persistAuthorization: true },
  });
}
