// bench/import-netbox: `plinth import netbox` of the NetBox community demo data (the 3.5 dumpdata
// file and the 4.1 pg_dump) into a fresh database: seconds, objects written per second, and the
// second run (nothing to change). Each import runs in its own `plinth` process, as users run it.
// Usage: npm run build && node bench/import-netbox.js
//   PGlite: a fresh data directory per source. PostgreSQL: BENCH_DATABASE_URL=postgres://user@host/db
//   (a database the user may CREATE DATABASE from; a fresh one is made and dropped per source).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { URL } = require('node:url');
const { Client } = require('pg');

const FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'netbox-demo-data');
const SOURCES = ['netbox-demo-v3.5.json', 'netbox-demo-v4.1.sql'];
const CLI = path.resolve(__dirname, '..', 'apps', 'cli', 'dist', 'main.js');

function importOnce(env, source) {
  const report = path.join(os.tmpdir(), `plinth-import-bench-${process.pid}.json`);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'import', 'netbox', source, '--report', report], {
    env: { ...process.env, PLINTH_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`import failed:\n${run.stdout}\n${run.stderr}`);
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(report, { force: true });
  const sum = (k) => r.models.filter((m) => !m.pass && m.target).reduce((n, m) => n + m[k], 0);
  const writes = r.models.filter((m) => m.target).reduce((n, m) => n + m.created + m.updated + m.matched, 0);
  return {
    seconds: r.seconds,
    wall,
    created: sum('created'),
    unchanged: sum('unchanged'),
    writes,
    failed: r.failed,
  };
}

async function withTarget(fn) {
  const admin = process.env.BENCH_DATABASE_URL;
  if (!admin) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-import-bench-'));
    try {
      return await fn({ PLINTH_DATA_DIR: dir, DATABASE_URL: '' }, 'PGlite');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `plinth_import_bench_${process.pid}_${Date.now()}`;
  const exec = async (q) => {
    const c = new Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await exec(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return await fn({ DATABASE_URL: url.toString() }, 'PostgreSQL');
  } finally {
    await exec(`DROP DATABASE ${name} WITH (FORCE)`);
  }
}

async function main() {
  for (const file of SOURCES) {
    await withTarget(async (env, engine) => {
      // Migrations run first, in a process of their own, so the figures are the import's.
      const migrate = spawnSync(process.execPath, [CLI, 'migrate'], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      if (migrate.status !== 0) throw new Error(migrate.stderr);
      const first = importOnce(env, path.join(FIXTURES, file));
      const second = importOnce(env, path.join(FIXTURES, file));
      console.log(
        `${engine.padEnd(10)} ${file.padEnd(22)} first: ${first.seconds.toFixed(1)} s import ` +
          `(${first.wall.toFixed(1)} s process), ${first.created} created, ${first.writes} objects written, ` +
          `${Math.round(first.writes / first.seconds)} objects/s, ${first.failed} failed; ` +
          `second: ${second.seconds.toFixed(1)} s, ${second.created} created, ${second.unchanged} unchanged`,
      );
    });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
