import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import {
  buildContext,
  createApp,
  loadConfig,
  migrate,
  migrationSets,
  runInstallHooks,
  type ContextOptions,
  type PlinthConfig,
  type PlinthContext,
} from '@plinth/core';

/** Which database e2e tests run on: PGlite (default) or PostgreSQL (PLINTH_TEST_DATABASE_URL). */
export function testDatabaseKind(): 'pglite' | 'postgresql' {
  return process.env.PLINTH_TEST_DB === 'postgresql' && process.env.PLINTH_TEST_DATABASE_URL
    ? 'postgresql'
    : 'pglite';
}

/** Identifies a schema: the enabled plugins and every migration name. */
/**
 * Identifies a template: the enabled plugins, every migration, and the install hooks with the
 * source of their plugins' entry points (seed data changes without a migration too).
 */
function templateKey(ctx: Pick<PlinthContext, 'plugins'>): string {
  const hash = createHash('sha256');
  for (const s of migrationSets(ctx.plugins))
    hash.update([s.name, ...s.migrations.map((m) => m.name)].join('|'));
  for (const p of ctx.plugins) {
    if (!(p.manifest.contributions ?? []).some((c) => c.registry.id === 'install-hooks')) continue;
    hash.update(`${p.name}@${p.version}`);
    // The compiled package, whose install hooks may have changed.
    for (const file of listJs(path.join(p.packageDir, 'dist'))) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function listJs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js') && !e.name.endsWith('spec.js'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

/** A migrated, seeded PGlite data directory, cached on disk per schema and reused by every test file. */
async function pgliteTemplate(config: PlinthConfig, opts: ContextOptions): Promise<Blob> {
  const { loadPlugins } = await import('@plinth/core');
  const key = templateKey(loadPlugins(config, opts));
  const dir = path.join(os.tmpdir(), 'plinth-test-templates');
  const file = path.join(dir, `${key}.tar`);
  if (!fs.existsSync(file)) {
    const ctx = await buildContext(config, { ...opts, database: { inMemory: true } });
    try {
      await migrate(ctx);
      const app = await createApp(ctx, { http: false, logger: false });
      await runInstallHooks(app, ctx);
      const blob = await ctx.database.dump!();
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      fs.renameSync(tmp, file);
      await app.close();
    } catch (e) {
      await ctx.database.close().catch(() => undefined);
      throw e;
    }
  }
  return new Blob([fs.readFileSync(file)]);
}

function adminUrl(): string {
  return process.env.PLINTH_TEST_DATABASE_URL!;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A template database per schema; each test app gets `CREATE DATABASE ... TEMPLATE` of it. */
async function postgresDatabase(
  config: PlinthConfig,
  opts: ContextOptions,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const { loadPlugins } = await import('@plinth/core');
  const template = `plinth_tpl_${templateKey(loadPlugins(config, opts))}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(4242)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${template}"`);
      const ctx = await buildContext({ ...config, databaseUrl: withDatabase(adminUrl(), template) }, opts);
      try {
        await migrate(ctx);
        const app = await createApp(ctx, { http: false, logger: false });
        await runInstallHooks(app, ctx);
        await app.close();
      } catch (e) {
        await ctx.database.close().catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
        throw e;
      }
    }
    const name = `plinth_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    return {
      url: withDatabase(adminUrl(), name),
      drop: async () => {
        const c = new Client({ connectionString: adminUrl() });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await admin.query('SELECT pg_advisory_unlock(4242)');
    await admin.end();
  }
}

export interface TestDatabase {
  context: PlinthContext;
  /** Drop the database (PostgreSQL); PGlite lives in memory and goes with the context. */
  dispose(): Promise<void>;
}

/** A context on a fresh, migrated and seeded database of the configured kind. */
export async function freshContext(
  env: Record<string, string>,
  opts: ContextOptions = {},
  cwd = process.cwd(),
): Promise<TestDatabase> {
  const config = loadConfig({ ...envWithoutDb(), ...env }, cwd);
  if (testDatabaseKind() === 'postgresql') {
    const db = await postgresDatabase(config, opts);
    const context = await buildContext({ ...config, databaseUrl: db.url }, opts);
    return { context, dispose: db.drop };
  }
  const template = await pgliteTemplate(config, opts);
  const context = await buildContext(config, { ...opts, database: { loadDataDir: template } });
  return { context, dispose: async () => undefined };
}

function envWithoutDb(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (
      [
        'DATABASE_URL',
        'REDIS_URL',
        'PLINTH_PLUGINS',
        'PLINTH_PLUGINS_CONFIG',
        'PLINTH_CONFIG',
        'PORT',
      ].includes(k)
    )
      continue;
    if (k.startsWith('PLINTH_SUPERUSER')) continue;
    env[k] = v;
  }
  return env;
}
