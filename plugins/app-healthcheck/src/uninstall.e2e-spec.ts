import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { onDatabase, testDatabaseKind } from '@plinth/plugin-sdk/testing';

/** The Plinth checkout this package sits in, and its command line. */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'apps/cli/dist/main.js');

function plinth(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A throwaway installation: its own PGlite folder, or its own PostgreSQL database. */
async function installation(): Promise<{ env: Record<string, string>; dispose: () => Promise<void> }> {
  const base = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), PLINTH_LOG_LEVEL: 'warn' };
  if (testDatabaseKind() === 'postgresql') {
    const admin = process.env.PLINTH_TEST_DATABASE_URL!;
    const name = `plinth_hc_${randomBytes(4).toString('hex')}`;
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      env: { ...base, DATABASE_URL: url.toString() },
      dispose: async () => {
        const d = new Client({ connectionString: admin });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-hc-'));
  return {
    env: { ...base, PLINTH_DATA_DIR: dir },
    dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
  };
}

describe(onDatabase('plinth healthcheck and plinth plugins uninstall healthcheck'), () => {
  jest.setTimeout(300_000);

  it('runs the checks from the command line, then drops the probe table and the migration history', async () => {
    const { env, dispose } = await installation();
    const enabled = { ...env, PLINTH_PLUGINS: '@plinth/app-healthcheck' };
    try {
      const migrate = await plinth(['migrate'], enabled);
      expect(migrate.err).toBe('');
      expect(migrate.code).toBe(0);

      // `plinth healthcheck`: the detail, and the exit status.
      const healthy = await plinth(['healthcheck'], enabled);
      expect(healthy.err).toBe('');
      expect(healthy.code).toBe(0);
      expect(healthy.out).toMatch(
        /^database\s+ok\s+Read in .* ms; wrote and read back a probe row \(rolled back\)/m,
      );
      expect(healthy.out).toMatch(/^redis\s+skipped\s+No Redis is configured/m);
      expect(healthy.out).toMatch(/^migrations\s+ok\s+Every migration is applied\./m);
      const full = await plinth(['healthcheck'], {
        ...enabled,
        PLINTH_PLUGINS_CONFIG: JSON.stringify({ healthcheck: { disk: { min_free_mb: 1e12 } } }),
      });
      expect(full.code).toBe(1);
      expect(full.out).toMatch(/^disk\s+failing\s+.*MiB free \(at least 1000000000000 MiB needed\)/m);
      expect(full.err.trim()).toBe('plinth: unhealthy: failing check disk');
      const res = await plinth(['plugins', 'uninstall', 'healthcheck', '--yes'], enabled);
      expect(res.err).toBe('');
      expect(res.code).toBe(0);
      expect(res.out).toContain('table healthcheck_probe (0 rows)');
      expect(res.out).toContain('migration history plinth_migrations_healthcheck');
      expect(res.out).toContain('Uninstalled "healthcheck".');
      // Nothing of it is left: with the app disabled, there is nothing to uninstall.
      const again = await plinth(['plugins', 'uninstall', 'healthcheck', '--yes'], env);
      expect(again.err.trim()).toBe(
        'plinth: plugin "healthcheck": no such plugin is enabled or installed in this database',
      );
    } finally {
      await dispose();
    }
  });
});
