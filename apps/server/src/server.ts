import type { INestApplication } from '@nestjs/common';
import {
  bootstrap,
  closeOnSignals,
  QueueService,
  type PlinthConfig,
  type PlinthContext,
  type StartOptions,
} from '@plinth/core';
import { PlinthGraphQLModule } from '@plinth/graphql';
import { PlinthRestModule, serveOpenApi } from '@plinth/rest';
import { PlinthUiModule } from '@plinth/ui';

/**
 * The surfaces the server adds to core and the plugins: the web UI, GraphQL and, last (its
 * generic `/<id>/` routes must come after every plugin's own routes), the REST API.
 */
export function serverSurfaces(): Pick<StartOptions, 'modules' | 'configure'> {
  return {
    modules: [
      (ctx) => PlinthUiModule.forRoot(ctx),
      PlinthGraphQLModule.forRoot(),
      (ctx) => PlinthRestModule.forRoot(ctx),
    ],
    configure: [serveOpenApi],
  };
}

export interface RunningServer {
  app: INestApplication;
  ctx: PlinthContext;
  url: string;
}

/** `plinth start`: migrate (embedded), build the app, create the first user, listen. */
export async function startServer(config: PlinthConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const { app, ctx } = await bootstrap(config, { ...serverSurfaces(), ...opts });
  closeOnSignals(app);
  // Embedded mode has no worker processes: the server runs jobs in-process.
  if (!config.redisUrl) await app.get(QueueService).startWorker();
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  return { app, ctx, url };
}
