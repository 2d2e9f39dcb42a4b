import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { testDatabaseKind } from '@plinth/plugin-sdk/testing';

const CLI = require.resolve('@plinth/cli/dist/main.js');

/** `plinth <args>` in a child process; its exit code and output. */
function plinth(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** SQL on the installation's PGlite directory (no plinth process may hold it). */
async function withDatabase<T>(dir: string, fn: (db: PGlite) => Promise<T>): Promise<T> {
  const db = await PGlite.create(path.join(dir, 'pgdata'));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

// Runs the command line against a PGlite directory of its own, whichever database the other
// suites use: once is enough.
const suite = testDatabaseKind() === 'pglite' ? describe : describe.skip;

suite('plinth plugins uninstall data_validation', () => {
  jest.setTimeout(300_000);
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-dv-'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: os.tmpdir(),
      PLINTH_LOG_LEVEL: 'warn',
      PLINTH_DATA_DIR: dir,
      // The example plugin's models can be named by rules: uninstalling it deletes those rules.
      PLINTH_PLUGINS: '@plinth/plugin-example,@plinth/app-data-validation',
      PLINTH_PLUGINS_CONFIG: '{"example":{"instance_name":"dv"}}',
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('drops its tables and migration history; Plinth then runs without it', async () => {
    const migrate = await plinth(['migrate'], env);
    expect(migrate.err).toBe('');
    expect(migrate.code).toBe(0);
    await withDatabase(dir, (db) =>
      db.query(
        `INSERT INTO data_validation_requiredvalidationrule (created, last_updated, name, content_type, field)
         VALUES (now(), now(), 'tenant-description', 'tenancy.tenant', 'description'),
                (now(), now(), 'widget-description', 'example.widget', 'description')`,
      ),
    );

    // Rules about another plugin's model go with that plugin.
    const example = await plinth(['plugins', 'uninstall', 'example', '--yes'], env);
    expect(example.err).toBe('');
    expect(example.code).toBe(0);
    expect(example.out).toContain(
      'data validation rules: 1 row deleted (data_validation_requiredvalidationrule.content_type)',
    );
    env.PLINTH_PLUGINS = '@plinth/app-data-validation';

    const res = await plinth(['plugins', 'uninstall', 'data_validation', '--yes'], env);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain('table data_validation_requiredvalidationrule (1 row)');
    expect(res.out).toContain('migration history plinth_migrations_data_validation');
    expect(res.out).toContain('Uninstalled "data_validation".');

    const left = await withDatabase(
      dir,
      async (db) =>
        (
          await db.query<{ tablename: string }>(
            `SELECT tablename FROM pg_tables WHERE tablename LIKE 'data_validation%' OR tablename = 'plinth_migrations_data_validation'`,
          )
        ).rows,
    );
    expect(left).toEqual([]);
    // Disabled, the app leaves core working.
    const without = await plinth(['migrate'], { ...env, PLINTH_PLUGINS: '' });
    expect(without.err).toBe('');
    expect(without.code).toBe(0);
  });
});
