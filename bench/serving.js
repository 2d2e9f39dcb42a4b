// bench/serving: 16 concurrent clients on GET /api/dcim/devices/?limit=50 against `plinth start`
// with 1 and with 2 server processes (PLINTH_WORKERS): requests per second, p50 and p99.
// Usage: npm run build && BENCH_DATABASE_URL=postgres://... node bench/serving.js
// (BENCH_CLIENTS, default 16; BENCH_SECONDS per run, default 15; BENCH_WORKERS, default "1,2").
// Several processes need PostgreSQL: embedded PGlite always serves from one.
'use strict';
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const { openBench, describeDataset, fmt, spawnServer, TOKEN } = require('./lib');

const PATH = '/api/dcim/devices/?limit=50';
const CLIENTS = Number(process.env.BENCH_CLIENTS || 16);
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const WARMUP_SECONDS = 3;
const WORKERS = (process.env.BENCH_WORKERS || '1,2').split(',').map(Number);

/** CLIENTS loops, each sending one request after the other, for `seconds`; latencies in ms. */
async function load(url, seconds) {
  const until = performance.now() + seconds * 1000;
  const times = [];
  let errors = 0;
  const client = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const res = await fetch(url + PATH, { headers: { Authorization: `Token ${TOKEN}` } });
      await res.arrayBuffer();
      if (res.status === 200) times.push(performance.now() - t0);
      else errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  return { rps: times.length / elapsed, p50: pct(50), p99: pct(99), n: times.length, errors };
}

async function main() {
  if (!process.env.BENCH_DATABASE_URL) {
    console.error('bench/serving needs BENCH_DATABASE_URL: embedded PGlite serves from one process.');
    process.exit(1);
  }
  // Migrated, demo data and the bench token; the benchmark's own app is not what is measured.
  const bench = await openBench();
  await describeDataset(bench);
  await bench.app.close();
  console.log(`${CLIENTS} clients, GET ${PATH}, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up`);
  // Processes only scale with idle cores: the load average says how many other work took.
  const loadAverage = () =>
    `load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`;
  const results = [];
  for (const workers of WORKERS) {
    const server = await spawnServer({ PLINTH_WORKERS: String(workers) });
    try {
      const idle = server.rssMiB();
      await load(server.url, WARMUP_SECONDS);
      const r = await load(server.url, SECONDS);
      results.push({ workers, ...r });
      console.log(
        `${String(workers).padStart(2)} process(es): ${r.rps.toFixed(1)} req/s, p50 ${fmt(r.p50)}, p99 ${fmt(r.p99)} (${r.n} requests, ${r.errors} errors)` +
          ` | start ${(server.startedMs / 1000).toFixed(1)} s, idle RSS ${idle.toFixed(0)} MiB (all processes), after load ${server.rssMiB().toFixed(0)} MiB | ${loadAverage()}`,
      );
    } finally {
      await server.stop();
    }
  }
  if (results.length > 1)
    console.log(
      `throughput ${results.at(-1).workers} vs ${results[0].workers} process(es): ${(results.at(-1).rps / results[0].rps).toFixed(2)}x`,
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
