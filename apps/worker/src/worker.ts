import { Logger, type INestApplicationContext } from '@nestjs/common';
import {
  assertMigrated,
  buildContext,
  closeOnSignals,
  createApp,
  QueueService,
  type PlinthConfig,
} from '@plinth/core';
import { DEFAULT_TASK_QUEUE, TASK_QUEUE_NAME } from '@plinth/plugin-sdk';
import { PlinthGraphQLExecutorModule } from '@plinth/graphql';

/**
 * Modules every process that runs jobs adds to core and the plugins (the server adds them among
 * its surfaces): what jobs reach through SDK doors beyond core, such as GRAPHQL_EXECUTOR.
 */
export const JOB_RUNNER_MODULES = [PlinthGraphQLExecutorModule] as const;

/**
 * The task queues a worker serves: `--queues a,b`, else `PLINTH_WORKER_QUEUES`, else the default
 * queue (which also carries the system jobs: sweeps, schedules, the events outbox).
 */
export function workerQueues(option?: string): string[] {
  const raw = option ?? process.env.PLINTH_WORKER_QUEUES ?? DEFAULT_TASK_QUEUE;
  const queues = [
    ...new Set(
      raw
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean),
    ),
  ];
  const bad = queues.filter((q) => !TASK_QUEUE_NAME.test(q));
  if (queues.length === 0 || bad.length)
    throw new Error(`invalid task queue name(s): ${bad.join(', ') || '(none given)'}`);
  return queues;
}

/**
 * A worker process: the same plugins and models as the server, no HTTP; consumes the Bull queues
 * of its task queues (REDIS_URL) and announces itself, with them, in `/api/status/`.
 */
export async function startWorker(
  config: PlinthConfig,
  queues: readonly string[] = workerQueues(),
): Promise<INestApplicationContext> {
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
  await app.get(QueueService).startWorker(queues);
  new Logger('Worker').log(
    `worker started (${ctx.plugins.length} plugins; task queues: ${queues.join(', ')})`,
  );
  return app;
}
