import { QueueService } from '@plinth/core';
import { JobScheduler } from '@plinth/extras';
import { createTestApp, onDatabase, type TestApp, until } from '@plinth/testing';

const JOBS = '/api/extras/jobs/';
const RESULTS = '/api/extras/job-results/';
const SCHEDULED = '/api/extras/scheduled-jobs/';
const REDIS = process.env.PLINTH_TEST_REDIS_URL;

/** Scheduled jobs (once, intervals, crontab), one firing per due schedule, and approvals. */
describe(onDatabase(`scheduled jobs and approvals (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  let t: TestApp;
  let jobId: string;
  let statusId: string;
  const data = () => ({ prefix: 'sched', count: 1, status: statusId });

  beforeAll(async () => {
    t = await createTestApp({
      plugins: ['@plinth/plugin-example'],
      pluginsConfig: { example: { instance_name: 'lab' } },
      env: REDIS ? { REDIS_URL: REDIS } : {},
    });
    await t.app.get(QueueService).startWorker();
    // The cleanup job is idempotent and cheap: schedules run it.
    jobId = (await t.api.get(`${JOBS}?job_class_name=extras.delete_old_job_results`)).body.results[0].id;
    await t.api.patch(`${JOBS}${jobId}/`, { enabled: true });
    statusId = (await t.api.get('/api/extras/statuses/?name=Active')).body.results[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  // The scheduler also ticks by itself every 5 s (a system job of this app's worker): tests look
  // at what was fired, not at which tick fired it.
  const tick = () => t.app.get(JobScheduler).run();
  const resultsOf = (schedule: string) =>
    t.sql<{ id: string }>(`SELECT id FROM extras_jobresult WHERE scheduled_job_id = $1 ORDER BY created`, [
      schedule,
    ]);
  /** Time passes: the schedule is due now. */
  const due = (id: string) =>
    t.sql(`UPDATE extras_scheduledjob SET next_run = now() - interval '1 second' WHERE id = $1`, [id]);

  async function finished(id: string) {
    return until(`result ${id}`, async () => {
      const r = (await t.api.get(`${RESULTS}${id}/`)).body;
      return ['SUCCESS', 'FAILURE'].includes(r.status?.value) ? r : null;
    });
  }

  it('refuses bad schedules with a 400 naming schedule.<field>', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ interval: 'fortnightly' }, 'schedule.interval'],
      [{ interval: 'future' }, 'schedule.start_time'],
      [{ interval: 'future', start_time: past }, 'schedule.start_time'],
      [{ interval: 'daily', start_time: 'tomorrow-ish' }, 'schedule.start_time'],
      [{ interval: 'custom' }, 'schedule.crontab'],
      [{ interval: 'custom', crontab: '61 * * * *' }, 'schedule.crontab'],
      [{ interval: 'custom', crontab: '* * *' }, 'schedule.crontab'],
    ];
    for (const [schedule, field] of cases) {
      const res = await t.api.post(`${JOBS}${jobId}/run/`, { data: { days: 30 }, schedule });
      expect([res.status, Object.keys(res.body)]).toEqual([400, [field]]);
    }
    // Data is validated before anything is stored.
    const bad = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { days: -1 },
      schedule: { interval: 'hourly' },
    });
    expect(Object.keys(bad.body)).toEqual(['data.days']);
    expect((await t.api.get(SCHEDULED)).body.count).toBe(0);
    expect((await t.api.post(SCHEDULED, { name: 'direct' })).status).toBe(400);
  });

  it('runs a future job once, when due, linked to its schedule', async () => {
    const start = new Date(Date.now() + 3600_000).toISOString();
    const res = await t.api.post(`${JOBS}${jobId}/run/`, {
      data: { days: 3650 },
      schedule: { name: 'later', interval: 'future', start_time: start },
    });
    expect(res.status).toBe(201);
    expect(res.body.job_result).toBeNull();
    const s = res.body.scheduled_job;
    expect(s).toMatchObject({
      name: 'later',
      interval: { value: 'future' },
      total_run_count: 0,
      enabled: true,
    });
    expect(new Date(s.next_run).toISOString()).toBe(start);
    await tick();
    expect(await resultsOf(s.id)).toEqual([]);
    await due(s.id);
    await tick();
    const [{ id: resultId }] = await resultsOf(s.id);
    const r = await finished(resultId);
    expect(r.scheduled_job.id).toBe(s.id);
    expect(r.user.id).toBeDefined();
    const after = (await t.api.get(`${SCHEDULED}${s.id}/`)).body;
    expect(after).toMatchObject({ total_run_count: 1, next_run: null, enabled: false });
    await tick();
    expect(await resultsOf(s.id)).toHaveLength(1);
  });

  it('moves intervals and crontabs to their next time', async () => {
    const hourly = (
      await t.api.post(`${JOBS}${jobId}/run/`, {
        data: { days: 3650 },
        schedule: { name: 'hourly', interval: 'hourly' },
      })
    ).body.scheduled_job;
    const start = new Date(hourly.start_time).getTime();
    await tick();
    const [{ id: first }] = await resultsOf(hourly.id);
    await finished(first);
    const h = (await t.api.get(`${SCHEDULED}${hourly.id}/`)).body;
    expect(new Date(h.next_run).getTime()).toBe(start + 3600_000);
    expect(h.total_run_count).toBe(1);

    const cron = (
      await t.api.post(`${JOBS}${jobId}/run/`, {
        data: { days: 3650 },
        schedule: { name: 'cron', interval: 'custom', crontab: '*/15 * * * *' },
      })
    ).body.scheduled_job;
    const next = new Date(cron.next_run);
    expect(next.getUTCMinutes() % 15).toBe(0);
    expect(next.getUTCSeconds()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
  });

  it('fires each due schedule exactly once when two workers tick at the same time', async () => {
    await t.sql(`UPDATE extras_scheduledjob SET enabled = false`);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const s = (
        await t.api.post(`${JOBS}${jobId}/run/`, {
          data: { days: 3650 },
          schedule: { name: `race-${i}`, interval: 'daily' },
        })
      ).body.scheduled_job;
      ids.push(s.id);
    }
    // Two schedulers (as on two workers), each claiming in its own transaction (and this app's
    // own scheduler may tick too): every schedule fires once.
    await Promise.all([tick(), tick()]);
    const fired = async () => {
      const [row] = await t.sql<{ runs: number; once: number; results: number }>(
        `SELECT sum(total_run_count)::int AS runs, count(*) FILTER (WHERE total_run_count = 1)::int AS once,
                (SELECT count(*)::int FROM extras_jobresult WHERE scheduled_job_id = ANY($1::uuid[])) AS results
           FROM extras_scheduledjob WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return row;
    };
    await until('every schedule fired', async () => (await fired()).results === 8);
    await tick();
    expect(await fired()).toEqual({ runs: 8, once: 8, results: 8 });
  });

  it('holds approval-required runs until another user approves; the requester cannot', async () => {
    const widgets = (await t.api.get(`${JOBS}?job_class_name=example.create_widgets`)).body.results[0];
    await t.api.patch(`${JOBS}${widgets.id}/`, {
      enabled: true,
      approval_required: true,
      approval_required_override: true,
    });
    const requester = await t.createUser('requester', [
      { actions: ['view', 'run', 'approve'], object_types: ['extras.job'] },
      { actions: ['view'], object_types: ['extras.scheduledjob', 'extras.jobresult', 'extras.status'] },
    ]);
    const approver = await t.createUser('approver', [
      { actions: ['view', 'approve'], object_types: ['extras.job'] },
      { actions: ['view'], object_types: ['extras.scheduledjob'] },
    ]);
    const bystander = await t.createUser('bystander', [
      { actions: ['view'], object_types: ['extras.job', 'extras.scheduledjob'] },
    ]);

    const req = await requester.api.post(`${JOBS}${widgets.id}/run/`, { data: data() });
    expect(req.status).toBe(201);
    expect(req.body.job_result).toBeNull();
    const s = req.body.scheduled_job;
    expect(s).toMatchObject({
      approval_required: true,
      approved_at: null,
      interval: { value: 'immediately' },
    });
    expect(await tick()).toEqual([]);

    expect((await requester.api.post(`${SCHEDULED}${s.id}/approve/`, {})).status).toBe(403);
    expect((await bystander.api.post(`${SCHEDULED}${s.id}/approve/`, {})).status).toBe(403);
    const ok = await approver.api.post(`${SCHEDULED}${s.id}/approve/`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.approved_by_user.id).toBe(approver.user.id);
    const [result] = await t.sql<{ id: string }>(
      `SELECT id FROM extras_jobresult WHERE scheduled_job_id = $1`,
      [s.id],
    );
    const r = await finished(result.id);
    expect(r.status.value).toBe('SUCCESS');
    expect(r.user.id).toBe(requester.user.id);
    expect((await approver.api.post(`${SCHEDULED}${s.id}/approve/`, {})).status).toBe(400);

    // Denied: the request is deleted and never runs.
    const second = (
      await requester.api.post(`${JOBS}${widgets.id}/run/`, { data: { ...data(), prefix: 'denied' } })
    ).body.scheduled_job;
    expect((await approver.api.post(`${SCHEDULED}${second.id}/deny/`, {})).status).toBe(200);
    expect((await t.api.get(`${SCHEDULED}${second.id}/`)).status).toBe(404);
    expect((await t.api.get('/api/plugins/example/widgets/?name__isw=denied')).body.count).toBe(0);
  });
});
