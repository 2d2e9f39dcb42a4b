// Shared setup for the benchmarks: a migrated database with demo data, the app on a free port,
// a superuser token, and timing helpers. Benchmarks print figures; they are not pass/fail tests.
'use strict';
// As `plinth start` runs: first, before graphql-js is loaded.
require('../libs/core/dist/production-env');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ensureSuperuser, loadConfig, openApp } = require('../libs/core/dist');
const { OBJECTS } = require('../libs/plugin-sdk/dist');
const { serverSurfaces } = require('../apps/server/dist');
const { generateDemoData } = require('../libs/demo-data/dist');

const TOKEN = 'be0c0be0c0be0c0be0c0be0c0be0c0be0c0be0c0';

/**
 * BENCH_DATABASE_URL (PostgreSQL) or BENCH_DATA_DIR (PGlite, default ./.plinth-bench-<scale>);
 * BENCH_SCALE: small | medium | large (default large). Demo data is generated once per database.
 * `extraEnv` adds to (or overrides) the app's environment.
 */
async function openBench(extraEnv = {}) {
  const scale = process.env.BENCH_SCALE || 'large';
  const env = {
    ...process.env,
    DATABASE_URL: process.env.BENCH_DATABASE_URL || '',
    PLINTH_DATA_DIR: process.env.BENCH_DATA_DIR || path.resolve(__dirname, '..', `.plinth-bench-${scale}`),
    PLINTH_DEBUG_SQL: '1',
    PLINTH_LOG_LEVEL: 'warn',
    PLINTH_PLUGINS: '',
    // A benchmark of a plugin enables it (PLINTH_PLUGINS, PLINTH_PLUGINS_CONFIG).
    ...extraEnv,
  };
  const config = loadConfig(env, path.resolve(__dirname, '..'));
  const { app, ctx } = await openApp(config, {
    migrate: true,
    migrationLog: () => undefined,
    ...serverSurfaces(),
    logger: ['error', 'warn'],
  });
  await ensureSuperuser(
    app,
    { ...config, superuser: { name: 'bench', password: 'bench-password', email: '', token: TOKEN } },
    () => undefined,
  );
  const objects = app.get(OBJECTS).as({ user: null, source: 'cli' });
  if ((await objects.count('dcim.device')) === 0) {
    process.stdout.write(`generating ${scale} demo data (once per database)...\n`);
    const summary = await generateDemoData(objects, {
      scale,
      seed: 1,
      log: (m) => process.stdout.write(`  ${m}\n`),
    });
    process.stdout.write(`generated in ${summary.seconds.toFixed(0)} s: ${JSON.stringify(summary.counts)}\n`);
  }
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return { app, ctx, url, token: TOKEN, kind: ctx.database.kind, scale, ds: ctx.database.dataSource };
}

/** Prints which database and how much data a benchmark runs on; returns the counts. */
async function describeDataset(bench) {
  const [row] = await bench.ds.query(
    'SELECT (SELECT count(*) FROM dcim_device) AS devices, (SELECT count(*) FROM dcim_interface) AS interfaces',
  );
  const counts = { devices: Number(row.devices), interfaces: Number(row.interfaces) };
  console.log(
    `database: ${bench.kind}, scale ${bench.scale}: ${counts.devices} devices, ${counts.interfaces} interfaces`,
  );
  return counts;
}

async function get(bench, pathAndQuery) {
  const t0 = performance.now();
  const res = await fetch(bench.url + pathAndQuery, { headers: { Authorization: `Token ${bench.token}` } });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${pathAndQuery}: ${res.status} ${body.slice(0, 300)}`);
  return { ms, queries: Number(res.headers.get('x-sql-queries')), bytes: body.length, body };
}

async function post(bench, pathAndQuery, payload) {
  const t0 = performance.now();
  const res = await fetch(bench.url + pathAndQuery, {
    method: 'POST',
    headers: { Authorization: `Token ${bench.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await res.text();
  return {
    ms: performance.now() - t0,
    status: res.status,
    queries: Number(res.headers.get('x-sql-queries')),
    bytes: body.length,
    body,
  };
}

/** p50/p95/min/max of `runs` timings of fn (after `warmup` untimed runs). */
async function timeIt(fn, runs = 15, warmup = 2) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  return { p50: pct(50), p95: pct(95), min: times[0], max: times[times.length - 1], runs, last };
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Resident memory of a process, MiB (Linux). */
function rssOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    return 0; // gone
  }
}

/** Children of a process (Linux). */
function childrenOf(pid) {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * `plinth start` on the bench database (opened, migrated and filled by `openBench`, then closed),
 * resolved once it listens: its URL, how long it took, the resident memory of it and its server
 * processes, and `stop()` (SIGTERM; resolves with the exit code).
 */
async function spawnServer(env = {}) {
  const scale = process.env.BENCH_SCALE || 'large';
  const port = await freePort();
  const t0 = performance.now();
  // BENCH_NODE_ARGS: extra options for the server's node (V8 heap flags, say), split on spaces.
  const nodeArgs = (process.env.BENCH_NODE_ARGS || '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, path.join(__dirname, '..', 'apps/cli/dist/main.js'), 'start'],
    {
      cwd: path.resolve(__dirname, '..'),
      env: {
        ...process.env,
        DATABASE_URL: process.env.BENCH_DATABASE_URL || '',
        PLINTH_DATA_DIR:
          process.env.BENCH_DATA_DIR || path.resolve(__dirname, '..', `.plinth-bench-${scale}`),
        REDIS_URL: '',
        PLINTH_PLUGINS: '',
        PLINTH_LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      },
    },
  );
  let out = '';
  child.stderr.on('data', (d) => (out += String(d)));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('Plinth is listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`plinth start exited with ${code}: ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    token: TOKEN,
    pid: child.pid,
    startedMs: performance.now() - t0,
    rssMiB: () => [child.pid, ...childrenOf(child.pid)].reduce((sum, pid) => sum + rssOf(pid), 0),
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

module.exports = { openBench, describeDataset, get, post, timeIt, fmt, spawnServer, TOKEN };
