import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp, until } from '@plinth/testing';

const ROOT = path.resolve(__dirname, '../..');

async function expiredSessionGone(t: TestApp): Promise<boolean> {
  const rows = await t.sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM core_session WHERE id = 'expired-session'",
  );
  return rows[0].n === 0;
}

async function addExpiredSession(t: TestApp): Promise<void> {
  const [user] = await t.sql<{ id: string }>("SELECT id FROM core_user WHERE username = 'admin'");
  await t.sql(
    "INSERT INTO core_session (id, user_id, csrf_token, expires) VALUES ('expired-session', $1, 'x', now() - interval '1 day')",
    [user.id],
  );
}

describe(onDatabase('jobs and workers'), () => {
  it('runs jobs in-process in embedded mode and reports the in-process worker', async () => {
    const t = await createTestApp();
    try {
      const queue = t.app.get(QueueService);
      await queue.startWorker();
      await addExpiredSession(t);
      await queue.enqueue('core.housekeeping');
      await until('the expired session to be removed', () => expiredSessionGone(t));
      const status = await t.api.get('/api/status/');
      expect(status.body.queue).toBe('in-process');
      expect(status.body.workers).toEqual([expect.objectContaining({ driver: 'in-process', processed: 1 })]);
      await expect(queue.enqueue('no.such.job')).rejects.toMatchObject({ status: 404 });
    } finally {
      await t.close();
    }
  });

  // Bull needs Redis and a worker process sharing the server's database: PostgreSQL runs only.
  const redis = process.env.PLINTH_TEST_REDIS_URL;
  if (testDatabaseKind() === 'postgresql' && redis) {
    it('hands jobs to a separate worker process through Bull/Redis', async () => {
      const t = await createTestApp({ env: { REDIS_URL: redis } });
      let worker: ChildProcess | undefined;
      try {
        worker = spawn(process.execPath, [path.join(ROOT, 'apps/cli/dist/main.js'), 'worker'], {
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: t.ctx.config.databaseUrl!,
            REDIS_URL: redis,
            PLINTH_QUEUE_PREFIX: t.ctx.config.queuePrefix,
            PLINTH_LOG_LEVEL: 'warn',
          },
          cwd: ROOT,
        });
        const status = await until('a Bull worker', async () => {
          const res = await t.api.get('/api/status/');
          return res.body.workers.some((w: { driver: string }) => w.driver === 'bull') && res.body;
        });
        expect(status.queue).toBe('bull');
        await addExpiredSession(t);
        await t.app.get(QueueService).enqueue('core.housekeeping');
        await until('the expired session to be removed', () => expiredSessionGone(t));
      } finally {
        if (worker) {
          const exited = new Promise((r) => worker!.on('exit', r));
          worker.kill('SIGTERM');
          await exited;
        }
        await t.close();
      }
    });
  }
});
