import type { INestApplication } from '@nestjs/common';
import {
  bootstrap,
  QueueService,
  type PlinthConfig,
  type PlinthContext,
  type StartOptions,
} from '@plinth/core';

/** First-party modules the server adds to core and the plugins (the web UI and GraphQL join here). */
export function serverModules(): NonNullable<StartOptions['modules']> {
  return [];
}

export interface RunningServer {
  app: INestApplication;
  ctx: PlinthContext;
  url: string;
}

/** `plinth start`: migrate (embedded), build the app, create the first user, listen. */
export async function startServer(config: PlinthConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const { app, ctx } = await bootstrap(config, { modules: serverModules(), ...opts });
  app.enableShutdownHooks();
  // Embedded mode has no worker processes: the server runs jobs in-process.
  if (!config.redisUrl) await app.get(QueueService).startWorker();
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  return { app, ctx, url };
}
