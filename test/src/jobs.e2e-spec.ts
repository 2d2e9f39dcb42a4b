import { QueueService } from '@plinth/core';
import { Jobs } from '@plinth/plugin-sdk';
import { createTestApp, onDatabase, type TestApp, until } from '@plinth/testing';

const JOBS = '/api/extras/jobs/';
const RESULTS = '/api/extras/job-results/';
const LOGS = '/api/extras/job-logs/';
const WIDGETS = '/api/plugins/example/widgets/';
// With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (this process is the worker).
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

/** Jobs over REST: the registry-synced listing, runs with validated variables, results and logs. */
describe(onDatabase(`jobs (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  let t: TestApp;
  let jobId: string;
  let statusId: string;

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
      env: REDIS ? { REDIS_URL: REDIS } : {},
    });
    await t.app.get(QueueService).startWorker();
    const job = (await t.api.get(`${JOBS}?job_class_name=example.create_widgets`)).body.results[0];
    jobId = job.id;
    statusId = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function finished(resultId: string) {
    return until(`job result ${resultId}`, async () => {
      const res = await t.api.get(`${RESULTS}${resultId}/`);
      if (res.status !== 200) throw new Error(`GET result: ${res.status} ${JSON.stringify(res.body)}`);
      const r = res.body;
      // Choice fields answer `{value, label}`, as in Nautobot.
      return ['SUCCESS', 'FAILURE', 'REVOKED'].includes(r.status.value) ? r : null;
    });
  }

  async function logsOf(resultId: string): Promise<
    {
      log_level: { value: string };
      message: string;
      grouping: string;
      log_object: string | null;
      absolute_url: string | null;
    }[]
  > {
    return (await t.api.get(`${LOGS}?job_result=${resultId}&limit=1000`)).body.results;
  }

  it('lists user jobs synced from the registry (disabled at first), never system jobs', async () => {
    const all = (await t.api.get(`${JOBS}?limit=100`)).body.results as Record<string, unknown>[];
    const names = all.map((j) => j.job_class_name);
    expect(names).toEqual(
      expect.arrayContaining(['example.create_widgets', 'extras.delete_old_job_results']),
    );
    expect(names).not.toContain('core.housekeeping');
    const job = all.find((j) => j.job_class_name === 'example.create_widgets')!;
    expect(job).toMatchObject({
      name: 'Create widgets',
      grouping: 'Example',
      module_name: 'example',
      installed: true,
      enabled: false,
      supports_dryrun: true,
    });
    // Jobs come from code: no creating them over the API.
    const res = await t.api.post(JOBS, { name: 'x', grouping: 'x', module_name: 'x', job_class_name: 'x.y' });
    expect(res.status).toBe(400);
  });

  it('describes the variables and refuses to run a disabled job', async () => {
    const vars = (await t.api.get(`${JOBS}${jobId}/variables/`)).body as Record<string, unknown>[];
    expect(vars.map((v) => [v.name, v.type])).toEqual([
      ['prefix', 'string'],
      ['count', 'integer'],
      ['kind', 'choice'],
      ['status', 'object'],
      ['pause_ms', 'integer'],
      ['fail_at', 'integer'],
    ]);
    expect(vars[1]).toMatchObject({ min_value: 1, max_value: 100, default: 3, required: true });
    const res = await t.api.post(`${JOBS}${jobId}/run/`, { data: { prefix: 'ab', status: statusId } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('not enabled');
    expect(await t.sql('SELECT id FROM extras_jobresult')).toHaveLength(0);
    expect((await t.api.patch(`${JOBS}${jobId}/`, { enabled: true })).status).toBe(200);
  });

  it('validates data against the variables: a 400 naming data.<variable>, nothing queued', async () => {
    const base = { prefix: 'ok', count: 2, kind: 'gadget', status: statusId };
    const cases: [Record<string, unknown>, string][] = [
      [{ prefix: 'A!' }, 'data.prefix'],
      [{ prefix: 'a' }, 'data.prefix'],
      [{ count: 0 }, 'data.count'],
      [{ count: 'many' }, 'data.count'],
      [{ kind: 'sprocket' }, 'data.kind'],
      [{ status: '00000000-0000-4000-8000-000000000000' }, 'data.status'],
      [{ nope: 1 }, 'data.nope'],
    ];
    for (const [change, field] of cases) {
      const res = await t.api.post(`${JOBS}${jobId}/run/`, { data: { ...base, ...change } });
      expect([res.status, Object.keys(res.body)]).toEqual([400, [field]]);
    }
    const { prefix: _omitted, ...withoutPrefix } = base;
    void _omitted;
    const missing = await t.api.post(`${JOBS}${jobId}/run/`, { data: withoutPrefix });
    expect(missing.body).toEqual({ 'data.prefix': ['This field is required.'] });
    // Malformed requests: 400 or 404 naming what is wrong, never a 500.
    const odd: [string, unknown, number, string | null][] = [
      [`${JOBS}${jobId}/run/`, { data: 'x' }, 400, 'data'],
      [`${JOBS}${jobId}/run/`, { data: [1] }, 400, 'data'],
      [`${JOBS}${jobId}/run/`, { data: { ...base, count: 2.5 } }, 400, 'data.count'],
      [`${JOBS}${jobId}/run/`, { data: base, dryrun: 'yes' }, 400, 'dryrun'],
      [`${JOBS}${jobId}/run/`, { data: base, schedule: 5 }, 400, 'schedule'],
      [`${JOBS}not-a-job/run/`, { data: {} }, 404, null],
      [`${RESULTS}not-a-uuid/cancel/`, {}, 404, null],
      ['/api/extras/scheduled-jobs/00000000-0000-4000-8000-000000000000/approve/', {}, 404, null],
    ];
    for (const [path, body, status, field] of odd) {
      const res = await t.api.post(path, body);
      expect([path, res.status]).toEqual([path, status]);
      if (field) expect(Object.keys(res.body)).toEqual([field]);
    }
    expect(await t.sql('SELECT id FROM extras_jobresult')).toHaveLength(0);
  });

  it('runs a job as its user: result, log lines linked to objects, change log linked to the result', async () => {
    const res = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'rest', count: 3, kind: 'gizmo', status: statusId },
    });
    expect(res.status).toBe(201);
    expect(res.body.scheduled_job).toBeNull();
    expect(res.body.job_result).toMatchObject({ name: 'Create widgets', dryrun: false });
    const result = await finished(res.body.job_result.id);
    expect(result).toMatchObject({
      status: { value: 'SUCCESS' },
      result: { created: ['rest-1', 'rest-2', 'rest-3'] },
      task_kwargs: {
        prefix: 'rest',
        count: 3,
        kind: 'gizmo',
        status: statusId,
        pause_ms: null,
        fail_at: null,
      },
    });
    expect(result.user.id).toBeDefined();
    expect(result.date_started).not.toBeNull();
    const logs = await logsOf(result.id);
    expect(logs.map((l) => [l.log_level.value, l.grouping, l.message])).toEqual([
      ['info', 'setup', 'Creating 3 widgets named rest-<n>.'],
      ['success', 'run', 'Created rest-1.'],
      ['success', 'run', 'Created rest-2.'],
      ['success', 'run', 'Created rest-3.'],
    ]);
    const widget = (await t.api.get(`${WIDGETS}?name=rest-1`)).body.results[0];
    expect(logs[1]).toMatchObject({
      log_object: 'rest-1',
      absolute_url: `/plugins/example/widgets/${widget.id}/`,
    });
    // One request id for the run's writes: the result's id, so the change log points at it.
    const changes = (await t.api.get(`/api/extras/object-changes/?request_id=${result.id}`)).body;
    expect(changes.count).toBe(3);
    expect(changes.results[0].user_name).toBe('admin');
  });

  it('keeps what a non-transactional job wrote before failing; a dry run rolls back', async () => {
    const failed = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'boom', count: 3, status: statusId, fail_at: 2 },
    });
    const r1 = await finished(failed.body.job_result.id);
    expect(r1.status.value).toBe('FAILURE');
    expect(r1.traceback).toContain('Stopped at widget 2 as asked.');
    expect((await logsOf(r1.id)).map((l) => l.log_level.value)).toEqual(['info', 'success', 'failure']);
    expect((await t.api.get(`${WIDGETS}?name__isw=boom`)).body.count).toBe(1);

    const dry = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'dry', count: 2, status: statusId },
      dryrun: true,
    });
    const r2 = await finished(dry.body.job_result.id);
    expect(r2).toMatchObject({
      status: { value: 'SUCCESS' },
      dryrun: true,
      result: { created: ['dry-1', 'dry-2'] },
    });
    expect((await logsOf(r2.id)).at(-1)!.message).toBe('Dry run: the changes were rolled back.');
    expect((await t.api.get(`${WIDGETS}?name__isw=dry`)).body.count).toBe(0);
  });

  it('runs a job inside one transaction only when it asks for one', async () => {
    const registry = t.ctx.registries.get(Jobs);
    for (const transaction of [true, false])
      registry.register(
        {
          name: `test.tenants_${transaction ? 'tx' : 'plain'}`,
          transaction,
          async run(ctx) {
            await ctx.objects.create('tenancy.tenant', [{ name: `first-${String(transaction)}` }]);
            throw new Error('after the first tenant');
          },
        },
        'test',
      );
    const queue = t.app.get(QueueService);
    for (const name of ['test.tenants_tx', 'test.tenants_plain']) {
      const id = await queue.enqueue(name, {});
      expect((await finished(id)).status.value).toBe('FAILURE');
    }
    const names = (await t.api.get('/api/tenancy/tenants/?name__isw=first-')).body.results.map(
      (r: { name: string }) => r.name,
    );
    expect(names).toEqual(['first-false']);
  });

  it('needs the run action to run, and shows results and logs only per view permission', async () => {
    const viewer = await t.createUser('job-viewer', [{ actions: ['view'], object_types: ['extras.job'] }]);
    const denied = await viewer.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'viewer', status: statusId },
    });
    expect(denied.status).toBe(403);
    expect((await viewer.api.get(RESULTS)).status).toBe(403);

    const runner = await t.createUser('job-runner', [
      { actions: ['view', 'run'], object_types: ['extras.job'] },
      { actions: ['view'], object_types: ['extras.jobresult', 'extras.joblogentry', 'extras.status'] },
    ]);
    const ok = await runner.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'runner', count: 1, status: statusId },
    });
    expect(ok.status).toBe(201);
    const r = await until('runner result', async () => {
      const b = (await runner.api.get(`${RESULTS}${ok.body.job_result.id}/`)).body;
      return b.status?.value === 'SUCCESS' ? b : null;
    });
    expect(r.user.id).toBe(runner.user.id);
    expect((await runner.api.get(`${LOGS}?job_result=${r.id}`)).body.count).toBe(2);
    // Results are read-only.
    expect((await runner.api.delete(`${RESULTS}${r.id}/`)).status).toBeGreaterThanOrEqual(400);
  });

  it('never stores the data of jobs with sensitive variables', async () => {
    expect(
      (
        await t.api.patch(`${JOBS}${jobId}/`, {
          has_sensitive_variables: true,
          has_sensitive_variables_override: true,
        })
      ).status,
    ).toBe(200);
    const res = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'secret', count: 1, status: statusId },
    });
    const r = await finished(res.body.job_result.id);
    expect(r.status.value).toBe('SUCCESS');
    expect(r.task_kwargs).toBeNull();
    const raw = await t.sql<{ task_kwargs: unknown }>(
      'SELECT task_kwargs FROM extras_jobresult WHERE id = $1',
      [r.id],
    );
    expect(raw[0].task_kwargs).toBeNull();
    await t.api.patch(`${JOBS}${jobId}/`, {
      has_sensitive_variables: false,
      has_sensitive_variables_override: false,
    });
  });

  it('runs through the queue service like the CLI does, and the core cleanup job works', async () => {
    const queue = t.app.get(QueueService);
    await expect(queue.run('example.create_widgets', { prefix: 'X' }, { checked: true })).rejects.toThrow(
      /prefix/,
    );
    const cleanup = (await t.api.get(`${JOBS}?job_class_name=extras.delete_old_job_results`)).body.results[0];
    await t.api.patch(`${JOBS}${cleanup.id}/`, { enabled: true });
    const before = (await t.api.get(RESULTS)).body.count as number;
    const out = await queue.run('extras.delete_old_job_results', { days: 0 }, { checked: true });
    expect(out).toEqual({ deleted: before });
    // Code that queues its own job (a Git sync) passes plain data and still gets a result.
    const id = await queue.enqueue('extras.delete_old_job_results', { days: 3650 });
    expect((await finished(id)).status.value).toBe('SUCCESS');
  });

  it('cancels a running job cooperatively: REVOKED, the job stops between widgets', async () => {
    const res = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'cancel', count: 20, status: statusId, pause_ms: 300 },
    });
    const id = res.body.job_result.id as string;
    await until('first widget', async () =>
      (await logsOf(id)).some((l) => l.message === 'Created cancel-1.'),
    );
    const cancelled = await t.api.post(`${RESULTS}${id}/cancel/`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status.value).toBe('REVOKED');
    const r = await finished(id);
    expect(r.status.value).toBe('REVOKED');
    await until('the stop line', async () =>
      (await logsOf(id)).some((l) => l.message === 'The run was cancelled.'),
    );
    const logs = await logsOf(id);
    expect(
      logs.some((l) => l.message.startsWith('Stopped before widget') && l.message.endsWith('cancelled.')),
    ).toBe(true);
    expect((await t.api.get(`${WIDGETS}?name__isw=cancel-`)).body.count).toBeLessThan(20);
    // A finished run cannot be cancelled.
    expect((await t.api.post(`${RESULTS}${id}/cancel/`, {})).status).toBe(400);
  });

  it('enforces the time limit: the run fails and the job is told to stop', async () => {
    await t.api.patch(`${JOBS}${jobId}/`, { time_limit: 0.5, time_limit_override: true });
    const res = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { prefix: 'slow', count: 5, status: statusId, pause_ms: 400 },
    });
    const r = await finished(res.body.job_result.id);
    expect(r.status.value).toBe('FAILURE');
    expect(r.traceback).toContain('time limit of 0.5 s');
    await t.api.patch(`${JOBS}${jobId}/`, { time_limit: 0, time_limit_override: false });
    await until('the job to stop', async () =>
      (await logsOf(r.id)).some((l) => l.message.startsWith('Stopped before widget')),
    );
  });

  it('fails a run whose worker died, and queues an idempotent job again', async () => {
    // Two results left STARTED by a worker that died a minute ago.
    const cleanup = (await t.api.get(`${JOBS}?job_class_name=extras.delete_old_job_results`)).body.results[0];
    const stale = async (job: string, kwargs: unknown) =>
      (
        await t.sql<{ id: string }>(
          `INSERT INTO extras_jobresult (id, created, last_updated, job_model_id, name, status, date_created, date_started, traceback, task_kwargs, dryrun, worker, heartbeat, attempts)
           VALUES (gen_random_uuid(), now(), now(), $1, 'x', 'STARTED', now(), now(), '', $2::jsonb, false, 'dead:1', now() - interval '1 minute', 1) RETURNING id`,
          [job, JSON.stringify(kwargs)],
        )
      )[0].id;
    const lost = await stale(jobId, { prefix: 'lost', count: 1, status: statusId });
    const retried = await stale(cleanup.id, { days: 3650 });
    // The sweep runs by itself every 10 s too: whichever run finds them, the outcome is the same.
    await t.app.get(QueueService).run('extras.job-result-sweep', {});
    const r1 = await finished(lost);
    expect([r1.status.value, r1.traceback]).toEqual([
      'FAILURE',
      'The worker running this job stopped responding.',
    ]);
    const r2 = await finished(retried);
    expect([r2.status.value, r2.attempts]).toEqual(['SUCCESS', 2]);
    expect((await logsOf(retried))[0].message).toContain('runs again');
  });

  it('runs job hooks after commit as the changing user, without looping on their own changes', async () => {
    const audit = (await t.api.get(`${JOBS}?job_class_name=example.audit_widget`)).body.results[0];
    expect(audit.is_job_hook_receiver).toBe(true);
    const base = { name: 'audit', content_types: ['example.widget'], type_create: true, type_update: true };
    // Only job hook receivers may be hooked.
    const bad = await t.api.post('/api/extras/job-hooks/', { ...base, job: jobId });
    expect([bad.status, Object.keys(bad.body)]).toEqual([400, ['job']]);
    await t.api.patch(`${JOBS}${audit.id}/`, { enabled: true });
    // It runs from hooks only.
    expect((await t.api.post(`${JOBS}${audit.id}/run/`, { data: {} })).status).toBe(400);
    const hook = await t.api.post('/api/extras/job-hooks/', { ...base, job: audit.id });
    expect(hook.status).toBe(201);

    const w = await t.api.post(WIDGETS, { name: 'hooked', status: statusId });
    expect(w.status).toBe(201);
    const result = await until('the hook run', async () => {
      const list = (await t.api.get(`${RESULTS}?job_model=${audit.id}`)).body.results;
      return list.find((r: { status: { value: string } }) => r.status.value === 'SUCCESS');
    });
    expect(result.user.id).toBeDefined();
    expect(result.result).toEqual({ event: 'created' });
    expect((await t.api.get(`${WIDGETS}${w.body.id}/`)).body.description).toBe('audited');
    const logs = await logsOf(result.id);
    expect(logs[0].message).toBe(`created example.widget ${w.body.id} by admin`);
    // The hook run's own update of the widget is not stored for job hooks (no loop); the same
    // change made by a user's request would be.
    const { JobHookSubscriber } = await import('@plinth/extras');
    const subscriber = t.app.get(JobHookSubscriber);
    const ownChange = {
      event: 'updated' as const,
      model: 'example.widget',
      object_id: w.body.id as string,
      timestamp: new Date().toISOString(),
      request_id: result.id as string,
      username: 'admin',
      user_id: null,
      source: 'job' as const,
      snapshots: { prechange: null, postchange: null },
    };
    const sqlRunner = t.app.get(Symbol.for('plinth:sql'));
    expect(await subscriber.select(sqlRunner, [ownChange])).toEqual([]);
    expect(
      await subscriber.select(sqlRunner, [{ ...ownChange, source: 'api' as const, request_id: w.body.id }]),
    ).toHaveLength(1);
    expect((await t.api.get(`${RESULTS}?job_model=${audit.id}`)).body.count).toBe(1);
    await t.api.patch(`${WIDGETS}${w.body.id}/`, { quantity: 5 });
    await until(
      'the update run',
      async () => (await t.api.get(`${RESULTS}?job_model=${audit.id}`)).body.count === 2,
    );
    const events = await Promise.all(
      ((await t.api.get(`${RESULTS}?job_model=${audit.id}`)).body.results as { id: string }[]).map(
        async (r) => (await finished(r.id)).result.event,
      ),
    );
    expect(events.sort()).toEqual(['created', 'updated']);
    await t.api.patch(`/api/extras/job-hooks/${hook.body.id}/`, { enabled: false });
  });

  it('marks jobs whose code is gone as not installed', async () => {
    await t.sql(
      `INSERT INTO extras_job (id, created, last_updated, module_name, job_class_name, name, grouping, description, installed, enabled)
       VALUES (gen_random_uuid(), now(), now(), 'gone', 'gone.job', 'Gone', 'Gone', '', true, true)`,
    );
    const { JobSync } = await import('@plinth/extras');
    await t.app.get(JobSync).onApplicationBootstrap();
    const gone = (await t.api.get(`${JOBS}?job_class_name=gone.job`)).body.results[0];
    expect(gone.installed).toBe(false);
    expect((await t.api.post(`${JOBS}${gone.id}/run/`, { data: {} })).status).toBe(404);
    expect((await t.api.get(`${JOBS}?limit=100`)).status).toBe(200);
  });
});
