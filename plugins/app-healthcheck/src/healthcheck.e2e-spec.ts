import * as path from 'node:path';
import { createTestApp, onDatabase, type TestApp } from '@plinth/plugin-sdk/testing';

const HEALTH = '/plugins/healthcheck/';
const DETAIL = '/plugins/healthcheck/detail/';
/** The package folder: the fixture plugin is enabled by its path relative to it. */
const PACKAGE = path.resolve(__dirname, '..');
// With PLINTH_TEST_REDIS_URL the queue is Bull on Redis (the PostgreSQL + Redis project).
const REDIS = process.env.PLINTH_TEST_REDIS_URL;
const redisEnv: Record<string, string> = REDIS ? { REDIS_URL: REDIS } : {};

interface Outcome {
  name: string;
  status: string;
  message: string;
  duration_ms: number;
  plugin: string;
  data?: Record<string, unknown>;
}

/** The detail's checks by name. */
function byNameOf(checks: Outcome[]): Record<string, Outcome> {
  return Object.fromEntries(checks.map((c) => [c.name, c]));
}

describe(onDatabase(`healthcheck app (${REDIS ? 'Bull/Redis' : 'in-process'} queue)`), () => {
  describe('a healthy installation', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        plugins: ['@plinth/app-healthcheck'],
        pluginsConfig: { healthcheck: { cache_seconds: 0 } },
        env: redisEnv,
      });
      // A worker with its heartbeat (Redis), or the in-process runner the server starts (embedded).
      await t.startWorker();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers the JSON summary without authentication: 200 and each check by name', async () => {
      for (const res of [
        await t.http().get(`${HEALTH}?format=json`),
        await t.http().get(HEALTH).set('Accept', 'application/json'),
      ]) {
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({
          status: 'ok',
          failing: [],
          checks: {
            database: 'ok',
            // Embedded mode has no Redis: skipped, not failing.
            redis: REDIS ? 'ok' : 'skipped',
            queue: 'ok',
            migrations: 'ok',
            disk: 'ok',
          },
        });
      }
      // Nothing but names and statuses: no paths, versions, hosts, timings or messages.
      const text = JSON.stringify((await t.http().get(`${HEALTH}?format=json`)).body);
      expect(text).not.toMatch(/\/|ms|@|\d/);
    });

    it('serves the summary page to anonymous browsers (no login redirect), HEAD too', async () => {
      const page = await t.http().get(HEALTH).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('healthcheck-table');
      expect(page.text).toContain('Healthy');
      expect(page.text).toContain('data-check="database"');
      expect(page.text).toContain('Log in for details.');
      expect(page.text).not.toContain('rolled back');
      expect(page.text).not.toContain(t.ctx.config.git.root);
      // Not even the layout's footer tells the version to anonymous visitors.
      expect(page.text).not.toMatch(/Plinth \d/);
      expect((await t.http().head(HEALTH)).status).toBe(200);
      // Only routes marked @Public() open up: every other page still sends anonymous visitors to log in.
      const other = await t.http().get('/dcim/devices/');
      expect(other.status).toBe(302);
      expect(other.headers.location).toBe('/login/?next=%2Fdcim%2Fdevices%2F');
      const notARoute = await t.http().get('/plugins/healthcheck/nothing/');
      expect(notARoute.status).toBe(302);
    });

    it('keeps the detail for authenticated users and tokens', async () => {
      const json = await t.http().get(`${DETAIL}?format=json`);
      expect(json.status).toBe(403);
      expect(json.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      const page = await t.http().get(DETAIL).set('Accept', 'text/html');
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe('/login/?next=%2Fplugins%2Fhealthcheck%2Fdetail%2F');
      const bad = await t.http().get(`${DETAIL}?format=json`).set('Authorization', 'Token nope');
      expect(bad.status).toBe(403);

      // Any authenticated user: no object permission is needed.
      const { api } = await t.createUser('monitor');
      const res = await api.get(`${DETAIL}?format=json`);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.failing).toEqual([]);
      expect(typeof res.body.checked_at).toBe('string');
      const byName = byNameOf(res.body.checks as Outcome[]);
      expect(Object.keys(byName)).toEqual(['database', 'redis', 'queue', 'migrations', 'disk']);
      for (const c of Object.values(byName)) {
        expect(typeof c.duration_ms).toBe('number');
        expect(c.plugin).toBe('healthcheck');
      }
      expect(byName.database.message).toMatch(/wrote and read back a probe row \(rolled back\)/);
      expect(byName.database.data).toEqual({ read_ms: expect.any(Number), write_ms: expect.any(Number) });
      if (REDIS) {
        expect(byName.redis).toMatchObject({ status: 'ok', data: { latency_ms: expect.any(Number) } });
        expect(byName.queue.data).toMatchObject({ driver: 'bull', workers: 1, depth: expect.any(Number) });
        expect(byName.queue.message).toMatch(/1 worker alive \(bull@/);
      } else {
        expect(byName.redis).toMatchObject({ status: 'skipped', message: expect.stringMatching(/No Redis/) });
        expect(byName.queue.data).toMatchObject({ driver: 'in-process', workers: 1, depth: 0 });
        expect(byName.queue.message).toMatch(/^In-process runner \(embedded mode, started\)/);
      }
      expect(byName.migrations).toMatchObject({ status: 'ok', data: { pending: 0 } });
      expect(byName.disk.data).toMatchObject({
        path: t.ctx.config.git.root,
        free_mb: expect.any(Number),
        total_mb: expect.any(Number),
        min_free_mb: 500,
        min_free_percent: 5,
      });

      // The HTML detail page for the same token.
      const html = await t
        .http()
        .get(DETAIL)
        .set('Authorization', `Token ${api.token}`)
        .set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.text).toContain('rolled back');
      expect(html.text).toContain('healthcheck-message');
    });

    it('leaves no probe rows behind (the write probe rolls back)', async () => {
      await t.http().get(`${HEALTH}?format=json`);
      expect(await t.sql('SELECT count(*)::int AS n FROM healthcheck_probe')).toEqual([{ n: 0 }]);
    });

    it('lists its checks among its contributions on the installed-plugins API', async () => {
      const res = await t.api.get('/api/plugins/installed-plugins/');
      const me = (res.body as { name: string; contributions: Record<string, string[]> }[]).find(
        (p) => p.name === 'healthcheck',
      );
      expect(me?.contributions['health-checks']).toEqual([
        'database',
        'redis',
        'queue',
        'migrations',
        'disk',
      ]);
      const page = await t
        .http()
        .get('/plugins/installed-plugins/healthcheck/')
        .set('Authorization', `Token ${t.api.token}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/health-checks[\s\S]*database[\s\S]*disk/);
    });
  });

  describe('an installation with failing checks', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({
        cwd: PACKAGE,
        plugins: ['@plinth/app-healthcheck', './test-fixtures/probes'],
        pluginsConfig: {
          healthcheck: {
            cache_seconds: 0,
            timeout_ms: 300,
            // Impossible: the disk check fails.
            disk: { min_free_percent: 100 },
            disabled_checks: ['migrations'],
          },
        },
        env: redisEnv,
      });
      // No worker is started: with Redis, no worker heartbeat fails the queue check.
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers 503 naming the failing checks, contributed ones included', async () => {
      const res = await t.http().get(`${HEALTH}?format=json`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: 'failing',
        failing: ['queue', 'disk', 'hc_probes_failing', 'hc_probes_hanging'].filter(
          (n) => REDIS || n !== 'queue',
        ),
        checks: {
          database: 'ok',
          redis: REDIS ? 'ok' : 'skipped',
          queue: REDIS ? 'failing' : 'ok',
          migrations: 'skipped',
          disk: 'failing',
          hc_probes_failing: 'failing',
          hc_probes_hanging: 'failing',
        },
      });
      // Error texts stay out of the public summary.
      expect(JSON.stringify(res.body)).not.toContain('exploded');
      const page = await t.http().get(HEALTH).set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('Unhealthy');
      expect(page.text).toMatch(/disk, hc_probes_failing, hc_probes_hanging/);
      expect(page.text).not.toContain('exploded');
    });

    it('times out a hanging check and reports why each check failed in the detail', async () => {
      const started = Date.now();
      const res = await t.api.get(`${DETAIL}?format=json`);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(503);
      const byName = byNameOf(res.body.checks as Outcome[]);
      expect(byName.hc_probes_hanging).toMatchObject({
        status: 'failing',
        plugin: 'hc_probes',
        message: 'No answer within 300 ms (timed out).',
      });
      expect(byName.hc_probes_hanging.duration_ms).toBeGreaterThanOrEqual(290);
      expect(byName.hc_probes_failing).toMatchObject({
        status: 'failing',
        message: 'probe exploded at 10.0.0.1',
      });
      expect(byName.disk.message).toMatch(/% free \(at least 100% needed\)\.$/);
      expect(byName.migrations).toMatchObject({ status: 'skipped', message: 'Disabled in the settings.' });
      if (REDIS) expect(byName.queue.message).toMatch(/0 worker heartbeats \(at least 1 needed/);
    });
  });

  it('stops start-up on bad settings, naming the setting', async () => {
    await expect(
      createTestApp({
        plugins: ['@plinth/app-healthcheck'],
        pluginsConfig: { healthcheck: { timeout_ms: 'soon' } },
      }),
    ).rejects.toThrow(/healthcheck.*timeout_ms/);
    await expect(
      createTestApp({
        plugins: ['@plinth/app-healthcheck'],
        pluginsConfig: { healthcheck: { disabled_checks: ['disc'] } },
      }),
    ).rejects.toThrow(
      'healthcheck: setting "disabled_checks" names no check: disc (checks: database, redis, queue, migrations, disk)',
    );
  });
});
