import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
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

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** `plinth start`, resolved once it listens; `stop()` sends SIGTERM and waits for the exit. */
export async function start(env: Record<string, string>): Promise<{
  url: string;
  out: () => string;
  stop: () => Promise<number | null>;
  startedMs: number;
  pid: number;
}> {
  const port = await freePort();
  const t0 = Date.now();
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    cwd: ROOT,
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += String(d)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Plinth is listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`plinth start exited with ${code}: ${out}`)));
  });
  const startedMs = Date.now() - t0;
  return {
    url: `http://127.0.0.1:${port}`,
    out: () => out,
    startedMs,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
