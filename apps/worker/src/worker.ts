import { Logger, type INestApplicationContext } from '@nestjs/common';
import {
  assertMigrated,
  buildContext,
  closeOnSignals,
  createApp,
  QueueService,
  type PlinthConfig,
} from '@plinth/core';

/**
 * A worker process: the same plugins and models as the server, no HTTP; consumes the Bull queue
 * (REDIS_URL) and announces itself in `/api/status/`.
 */
export async function startWorker(config: PlinthConfig): Promise<INestApplicationContext> {
  if (!config.redisUrl) {
    throw new Error('the worker needs REDIS_URL (in embedded mode the server runs jobs itself)');
  }
  if (!config.databaseUrl) {
    throw new Error('the worker needs DATABASE_URL: the embedded database belongs to the server process');
  }
  const ctx = await buildContext(config);
  await assertMigrated(ctx);
  const app = await createApp(ctx, { http: false });
  closeOnSignals(app);
  await app.get(QueueService).startWorker();
  new Logger('Worker').log(`worker started (${ctx.plugins.length} plugins)`);
  return app;
}
