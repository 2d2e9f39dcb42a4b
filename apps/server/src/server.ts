import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import {
  bootstrap,
  PlinthGraphQLModule,
  QueueService,
  type PlinthConfig,
  type PlinthContext,
  type StartOptions,
} from '@plinth/core';
import { PlinthUiModule } from '@plinth/ui';

/** First-party modules the server adds to core and the plugins (the web UI joins here). */
export function serverModules(): NonNullable<StartOptions['modules']> {
  return [(ctx) => PlinthUiModule.forRoot(ctx), PlinthGraphQLModule.forRoot()];
}

/**
 * SIGTERM/SIGINT close the app (and with it the database: PGlite flushes to disk) and exit 0, so
 * process managers see a clean stop.
 */
export function closeOnSignals(app: INestApplicationContext): void {
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`plinth: ${signal} received, shutting down\n`);
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        process.stderr.write(`plinth: shutdown failed: ${String(e)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

export interface RunningServer {
  app: INestApplication;
  ctx: PlinthContext;
  url: string;
}

/** `plinth start`: migrate (embedded), build the app, create the first user, listen. */
export async function startServer(config: PlinthConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const { app, ctx } = await bootstrap(config, { modules: serverModules(), ...opts });
  closeOnSignals(app);
  // Embedded mode has no worker processes: the server runs jobs in-process.
  if (!config.redisUrl) await app.get(QueueService).startWorker();
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  return { app, ctx, url };
}
