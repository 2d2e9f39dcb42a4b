import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { Client } from 'pg';
import { QueueService } from '@plinth/core';
import { createTestApp, onDatabase, testDatabaseKind, until } from '@plinth/testing';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A private redis-server on a loopback port, so the test can stop and restart it. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await until(
    'redis-server to listen',
    () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
  );
  return proc;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

// PGlite runs inside the server process and cannot go away on its own; outages are PostgreSQL's
// and Redis's, so these run against PostgreSQL (as CI does).
describe(onDatabase('outages of PostgreSQL and Redis'), () => {
  if (testDatabaseKind() !== 'postgresql') {
    it('are tested against PostgreSQL only', () => {
      expect(testDatabaseKind()).toBe('pglite');
    });
    return;
  }

  it('answers 503 with Retry-After while PostgreSQL refuses connections, keeps nothing, and recovers by itself', async () => {
    const t = await createTestApp();
    const admin = new Client({ connectionString: process.env.PLINTH_TEST_DATABASE_URL });
    await admin.connect();
    const [{ db }] = await t.sql<{ db: string }>('SELECT current_database() AS db');
    try {
      expect((await t.api.get('/api/dcim/location-types/')).status).toBe(200);
      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db]);

      const read = await t.api.get('/api/dcim/location-types/');
      expect(read.status).toBe(503);
      expect(read.headers['retry-after']).toBe('5');
      expect(read.body).toEqual({ detail: 'The database is unavailable. Try again shortly.' });
      const write = await t.api.post('/api/dcim/location-types/', { name: 'During the outage' });
      expect(write.status).toBe(503);
      const status = await t.http().get('/api/status/');
      expect(status.status).toBe(503);
      expect(status.body.database).toMatchObject({ status: 'unavailable' });
      const page = await t.http().get('/login/');
      expect(page.status).toBeLessThan(500);

      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
      await until(
        'the database to answer again',
        async () => (await t.api.get('/api/dcim/location-types/')).status === 200,
      );
      expect((await t.api.get('/api/status/')).body.database).toMatchObject({ status: 'ok' });
      const after = await t.api.get('/api/dcim/location-types/?name=During%20the%20outage');
      expect(after.body.count).toBe(0);
      expect((await t.api.post('/api/dcim/location-types/', { name: 'After the outage' })).status).toBe(201);
    } finally {
      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await t.close();
    }
  });

  if (hasRedisServer) {
    it('keeps the API serving while Redis is down, refuses new jobs visibly, and recovers by itself', async () => {
      const port = await freePort();
      let redis = await startRedis(port);
      const t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
      const queue = t.app.get(QueueService);
      try {
        expect((await t.api.get('/api/status/')).body['queue-status']).toBe('ok');
        await stop(redis);

        expect((await t.api.get('/api/dcim/location-types/')).status).toBe(200);
        expect((await t.api.post('/api/dcim/location-types/', { name: 'Redis down' })).status).toBe(201);
        const status = await t.api.get('/api/status/');
        expect(status.status).toBe(200);
        expect(status.body['queue-status']).toBe('unavailable');
        const started = Date.now();
        await expect(queue.enqueue('core.housekeeping')).rejects.toMatchObject({ status: 503 });
        expect(Date.now() - started).toBeLessThan(10000);

        redis = await startRedis(port);
        await until(
          'the queue to reconnect',
          async () => (await t.api.get('/api/status/')).body['queue-status'] === 'ok',
        );
        await expect(queue.enqueue('core.housekeeping')).resolves.toBeDefined();
      } finally {
        await t.close();
        await stop(redis);
      }
    });
  }
});
