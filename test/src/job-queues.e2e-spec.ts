import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, type TestApp, until } from '@plinth/testing';

const ROOT = path.resolve(__dirname, '../..');
const JOBS = '/api/extras/jobs/';
const RESULTS = '/api/extras/job-results/';
const REDIS = process.env.PLINTH_TEST_REDIS_URL;
const PLUGINS = { plugins: ['@plinth/plugin-example'], pluginsConfig: { example: { instance_name: 'lab' } } };

type Result = {
  id: string;
  status: { value: string };
  task_queue: string;
  worker: string;
  traceback: string;
};

/** Per-job task queues (Nautobot's `task_queues`), and what happens to a run whose worker is killed. */
describe(onDatabase(`job task queues (${REDIS ? 'Bull/Redis' : 'in-process'})`), () => {
  let t: TestApp;
  let jobId: string;
  let statusId: string;

  const run = (body: Record<string, unknown>) => t.api.post(`${JOBS}${jobId}/run/`, body);
  const data = (prefix: string, extra: Record<string, unknown> = {}) => ({
    prefix,
    count: 1,
    status: statusId,
    ...extra,
  });
  const finished = (id: string) =>
    until(`job result ${id}`, async () => {
      const r = (await t.api.get(`${RESULTS}${id}/`)).body as Result;
      return ['SUCCESS', 'FAILURE', 'REVOKED'].includes(r.status.value) ? r : null;
    });

  beforeAll(async () => {
    t = await createTestApp({ ...PLUGINS, env: REDIS ? { REDIS_URL: REDIS } : {} });
    // This process serves the default queue only (the embedded runner serves every queue).
    await t.app.get(QueueService).startWorker();
    const job = (await t.api.get(`${JOBS}?job_class_name=example.create_widgets`)).body.results[0];
    jobId = job.id;
    await t.api.patch(`${JOBS}${jobId}/`, { enabled: true });
    statusId = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists the job's task queues and refuses a queue that is not one of them, naming task_queue", async () => {
    const job = (await t.api.get(`${JOBS}${jobId}/`)).body;
    expect(job.task_queues).toEqual(['default', 'bulk']);
    const bad = await run({ data: data('nope'), task_queue: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.task_queue[0]).toContain('default, bulk');
    expect((await t.api.get(`${RESULTS}?limit=1`)).body.count).toBe(0);
    // An operator narrows the queues (the override keeps them across restarts).
    const badQueues = await t.api.patch(`${JOBS}${jobId}/`, {
      task_queues: ['Bad Name'],
      task_queues_override: true,
    });
    expect(badQueues.status).toBe(400);
    expect(badQueues.body.task_queues[0]).toContain('task queue names');
    const narrowed = await t.api.patch(`${JOBS}${jobId}/`, {
      task_queues: ['bulk'],
      task_queues_override: true,
    });
    expect(narrowed.body.task_queues).toEqual(['bulk']);
    expect((await run({ data: data('narrow'), task_queue: 'default' })).body.task_queue[0]).toContain(
      'choose one of: bulk',
    );
    await t.api.patch(`${JOBS}${jobId}/`, { task_queues: ['default', 'bulk'], task_queues_override: false });
  });

  it('runs on the default queue unless told otherwise, and keeps the queue on results and schedules', async () => {
    const plain = await run({ data: data('plain') });
    expect(plain.status).toBe(201);
    expect(plain.body.job_result.task_queue).toBe('default');
    expect((await finished(plain.body.job_result.id)).status.value).toBe('SUCCESS');
    const later = await run({
      data: data('later'),
      task_queue: 'bulk',
      schedule: { name: 'bulk later', interval: 'future', start_time: '2099-01-01T00:00:00Z' },
    });
    expect(later.status).toBe(201);
    expect(later.body.scheduled_job.task_queue).toBe('bulk');
  });

  if (!REDIS) {
    it('runs every queue in the embedded runner', async () => {
      const bulk = await run({ data: data('bulk'), task_queue: 'bulk' });
      expect(bulk.status).toBe(201);
      const r = await finished(bulk.body.job_result.id);
      expect([r.status.value, r.task_queue]).toEqual(['SUCCESS', 'bulk']);
    });
  }

  // A worker of its own for the bulk queue: a real `plinth worker` process on the same database.
  if (REDIS && testDatabaseKind() === 'postgresql') {
    let worker: ChildProcess | undefined;
    const startBulkWorker = () =>
      spawn(process.execPath, [path.join(ROOT, 'apps/cli/dist/main.js'), 'worker', '--queues', 'bulk'], {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: t.ctx.config.databaseUrl!,
          REDIS_URL: REDIS,
          PLINTH_QUEUE_PREFIX: t.ctx.config.queuePrefix,
          PLINTH_PLUGINS: PLUGINS.plugins.join(','),
          PLINTH_PLUGINS_CONFIG: JSON.stringify(PLUGINS.pluginsConfig),
          PLINTH_LOG_LEVEL: 'warn',
        },
        cwd: ROOT,
        stdio: 'ignore',
      });
    afterAll(async () => {
      if (worker && worker.exitCode === null && worker.signalCode === null) {
        const exited = new Promise((r) => worker!.on('exit', r));
        worker.kill('SIGTERM');
        await exited;
      }
    });

    it('refuses a queue no worker serves (503), then a bulk worker takes the runs of its queue', async () => {
      const refused = await run({ data: data('refused'), task_queue: 'bulk' });
      expect(refused.status).toBe(503);
      expect(refused.body.detail).toContain('"bulk"');
      worker = startBulkWorker();
      const bulkWorker = await until('a worker on the bulk queue', async () => {
        const workers = (await t.api.get('/api/status/')).body.workers as {
          name: string;
          queues: string[];
        }[];
        return workers.find((w) => w.queues.includes('bulk')) ?? null;
      });
      expect(bulkWorker.name).toContain(`:${worker.pid}`);
      const ok = await run({ data: data('bulk'), task_queue: 'bulk' });
      expect(ok.status).toBe(201);
      const r = await finished(ok.body.job_result.id);
      expect([r.status.value, r.task_queue]).toEqual(['SUCCESS', 'bulk']);
      expect(r.worker).toContain(`:${worker.pid}`);
    });

    it('fails the run of a worker killed mid-job (kill -9), keeping what it wrote before', async () => {
      const started = await run({ data: data('killed', { count: 50, pause_ms: 300 }), task_queue: 'bulk' });
      const id = started.body.job_result.id as string;
      await until('the bulk worker to create a widget', async () => {
        const logs = (await t.api.get(`/api/extras/job-logs/?job_result=${id}&limit=100`)).body.results as {
          message: string;
        }[];
        return logs.some((l) => l.message.startsWith('Created killed-'));
      });
      const exited = new Promise((r) => worker!.on('exit', r));
      worker!.kill('SIGKILL');
      await exited;
      expect((await t.api.get(`${RESULTS}${id}/`)).body.status.value).toBe('STARTED');
      // Its heartbeat stopped with it; the sweep waits STALE_AFTER_S (30 s) of silence, which the test skips.
      await t.sql(`UPDATE extras_jobresult SET heartbeat = now() - interval '1 minute' WHERE id = $1`, [id]);
      await t.app.get(QueueService).run('extras.job-result-sweep', {});
      const r = await finished(id);
      expect([r.status.value, r.traceback]).toEqual([
        'FAILURE',
        'The worker running this job stopped responding.',
      ]);
      const widgets = (await t.api.get('/api/plugins/example/widgets/?q=killed-&limit=100')).body
        .count as number;
      expect(widgets).toBeGreaterThan(0);
      expect(widgets).toBeLessThan(50);
    });
  }
});
