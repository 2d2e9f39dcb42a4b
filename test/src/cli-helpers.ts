import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { testDatabaseKind } from '@plinth/testing';

/** Running the `plinth` command line against a throwaway installation (PGlite directory or PostgreSQL database). */

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'apps/cli/dist/main.js');

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Environment for one installation: its own PGlite directory, or its own PostgreSQL database. */
export async function installation(): Promise<{ env: Record<string, string>; dispose: () => Promise<void> }> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    PLINTH_LOG_LEVEL: 'warn',
  };
  if (testDatabaseKind() === 'postgresql') {
    const admin = process.env.PLINTH_TEST_DATABASE_URL!;
    const name = `plinth_cli_${randomBytes(4).toString('hex')}`;
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return {
      env: { ...base, DATABASE_URL: url.toString(), PLINTH_MIGRATE_ON_START: '1' },
      dispose: async () => {
        const d = new Client({ connectionString: admin });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-cli-'));
  return {
    env: { ...base, PLINTH_DATA_DIR: dir },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function plinth(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
