import { type DynamicModule, Module } from '@nestjs/common';
import { createApiRootControllers } from '../rest/api-root.controller';
import { createModelController } from '../rest/model-controller.factory';
import type { PlinthContext } from './context';

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
    };
  }
}
