import { Logger, type INestApplicationContext } from '@nestjs/common';
import {
  assertMigrated,
  buildContext,
  closeOnSignals,
  createApp,
  QueueService,
  type PlinthConfig,
} from '@plinth/core';
import { PlinthGraphQLExecutorModule } from '@plinth/graphql';

/**
 * Modules every process that runs jobs adds to core and the plugins (the server adds them among
 * its surfaces): what jobs reach through SDK doors beyond core, such as GRAPHQL_EXECUTOR.
 */
export const JOB_RUNNER_MODULES = [PlinthGraphQLExecutorModule] as const;

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
  const app = await createApp(ctx, { http: false, modules: JOB_RUNNER_MODULES });
  closeOnSignals(app);
  await app.get(QueueService).startWorker();
  new Logger('Worker').log(`worker started (${ctx.plugins.length} plugins)`);
  return app;
}
