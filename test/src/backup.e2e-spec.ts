import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import {
  BackupError,
  buildContext,
  createApp,
  loadConfig,
  restoreBackup,
  writeBackup,
  type PlinthContext,
} from '@plinth/core';
import { generateDemoData } from '@plinth/demo-data';
import { serverSurfaces } from '@plinth/server';
import { ApiClient, createTestApp, onDatabase, testDatabaseKind, type TestApp } from '@plinth/testing';

/** A context on an empty database of the given engine (PostgreSQL: a new database, dropped after). */
async function emptyContext(
  kind: 'pglite' | 'postgresql',
): Promise<{ ctx: PlinthContext; drop: () => Promise<void> }> {
  const env: Record<string, string> = { PLINTH_LOG_LEVEL: 'error' };
  if (kind === 'pglite') {
    const ctx = await buildContext(loadConfig(env), { database: { inMemory: true } });
    return { ctx, drop: async () => undefined };
  }
  const admin = process.env.PLINTH_TEST_DATABASE_URL!;
  const name = `plinth_restore_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const run = async (sql: string) => {
    const c = new Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const ctx = await buildContext({ ...loadConfig(env), databaseUrl: url.toString() });
  return { ctx, drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function serve(ctx: PlinthContext): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = (await createApp(ctx, { ...serverSurfaces(), logger: ['error'] })) as INestApplication;
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { app, baseUrl };
}

/** Every REST list (all objects, depth 0) and the change log, with the server's address taken out. */
async function snapshotOf(
  baseUrl: string,
  token: string,
  paths: readonly string[],
): Promise<Record<string, unknown>> {
  const api = new ApiClient(baseUrl, token);
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const all: unknown[] = [];
    for (let offset = 0; ; offset += 1000) {
      const res = await api.get(`${p}?limit=1000&offset=${offset}&sort=id`);
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${JSON.stringify(res.body)}`);
      all.push(...(res.body.results as unknown[]));
      if (!res.body.next) break;
    }
    // A token's last use moves whenever it authenticates a request (this snapshot's included).
    const text = JSON.stringify(all, (k, v: unknown) => (k === 'last_used' ? undefined : v));
    out[p] = JSON.parse(text.split(baseUrl).join('<base>'));
  }
  return out;
}

describe(onDatabase('backup and restore'), () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let paths: string[];
  let before: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    await generateDemoData(t.objects, { scale: 'small', seed: 5 });
    await t.api.post('/api/extras/tags/', [{ name: 'nul-free ünïcode 💥', description: '=1+1' }]);
    await t.createUser('backup-user', [{ actions: ['view'], object_types: ['dcim.device'] }]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-backup-'));
    file = path.join(dir, 'plinth.backup');
    paths = t.ctx.models
      .all()
      .filter((m) => m.api_path)
      .map((m) => m.api_path!);
    before = await snapshotOf(t.baseUrl, t.api.token!, paths);
    await writeBackup(t.ctx, file);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const roundTrip = async (target: 'pglite' | 'postgresql') => {
    const { ctx, drop } = await emptyContext(target);
    let app: INestApplication | undefined;
    try {
      const manifest = await restoreBackup(ctx, file);
      expect(manifest.database).toBe(t.ctx.database.kind);
      const served = await serve(ctx);
      app = served.app;
      const after = await snapshotOf(served.baseUrl, t.api.token!, paths);
      for (const p of paths) expect({ [p]: after[p] }).toEqual({ [p]: before[p] });
      // The restored database takes new writes (sequences and constraints are in place).
      const api = new ApiClient(served.baseUrl, t.api.token);
      expect((await api.post('/api/extras/tags/', { name: 'after restore' })).status).toBe(201);
      expect((await api.post('/api/extras/tags/', { name: 'after restore' })).status).toBe(400);
    } finally {
      if (app) await app.close();
      else await ctx.database.close();
      await drop();
    }
  };

  it('backs up everything and restores it into the same engine: every REST list and the change log identical', async () => {
    const counts = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM core_objectchange'))[0].n;
    expect(counts).toBeGreaterThan(100);
    expect(Object.keys(before)).toContain('/api/extras/object-changes/');
    await roundTrip(testDatabaseKind());
  }, 300_000);

  const crossEngine = process.env.PLINTH_TEST_DATABASE_URL ? it : it.skip;
  crossEngine(
    'moves between engines: embedded (PGlite) to PostgreSQL and back',
    async () => {
      await roundTrip(testDatabaseKind() === 'pglite' ? 'postgresql' : 'pglite');
    },
    300_000,
  );

  it('refuses a non-empty database and a backup of other versions, with a clear message', async () => {
    await expect(restoreBackup(t.ctx, file)).rejects.toThrow(/restore needs an empty database/);
    const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
    const manifest = JSON.parse(lines[0]) as {
      manifest: { plinth_version: string; plugins: Record<string, string> };
    };
    manifest.manifest.plinth_version = '0.0.1';
    manifest.manifest.plugins.dcim = '9.9.9';
    const other = path.join(dir, 'other.backup');
    fs.writeFileSync(other, gzipSync([JSON.stringify(manifest), ...lines.slice(1)].join('\n')));
    const { ctx, drop } = await emptyContext('pglite');
    try {
      const err = await restoreBackup(ctx, other).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupError);
      expect((err as Error).message).toMatch(/written by Plinth 0\.0\.1; this is Plinth/);
      expect((err as Error).message).toMatch(/plugin dcim is .* here, 9\.9\.9 in the backup/);
      // Nothing was created.
      expect(
        await ctx.database.dataSource.query(
          `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
        ),
      ).toEqual([{ n: 0 }]);
      const junk = path.join(dir, 'junk');
      fs.writeFileSync(junk, 'not a backup');
      await expect(restoreBackup(ctx, junk)).rejects.toThrow(/is not a Plinth backup/);
    } finally {
      await ctx.database.close();
      await drop();
    }
  }, 120_000);
});
