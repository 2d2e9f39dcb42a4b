// bench/rest-cpu: devices ?limit=1000 on the large demo dataset as CPU time per request (this
// process serves and asks, so it is both server and client) and garbage-collector pauses per
// request, side by side with the raw-SQL limit (the same rows by one query, JSON.stringify'd).
// CPU time is disturbed less than wall time by other load on the machine, so builds can be
// compared on a busy one. BENCH_PROFILE=path also writes a CPU profile of 40 more requests.
// Usage: npm run build && BENCH_DATABASE_URL=postgres://... node bench/rest-cpu.js
'use strict';
const fs = require('node:fs');
const { PerformanceObserver } = require('node:perf_hooks');
const { openBench, describeDataset, get } = require('./lib');

const PATH = '/api/dcim/devices/?limit=1000';
const RUNS = Number(process.env.BENCH_RUNS || 30);

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  /** CPU ms and GC ms per call of fn, after 3 warm-up calls. */
  const perCall = async (fn) => {
    for (let i = 0; i < 3; i++) await fn();
    const [gc0, cpu0] = [gcMs, process.cpuUsage()];
    for (let i = 0; i < RUNS; i++) await fn();
    const cpu = process.cpuUsage(cpu0);
    return { cpu: (cpu.user + cpu.system) / 1000 / RUNS, gc: (gcMs - gc0) / RUNS };
  };
  for (let round = 1; round <= 3; round++) {
    const api = await perCall(() => get(bench, PATH));
    const raw = await perCall(async () =>
      JSON.stringify(await bench.ds.query('SELECT * FROM dcim_device ORDER BY _name, id LIMIT 1000')),
    );
    console.log(
      `round ${round}: REST ${api.cpu.toFixed(1)} ms CPU (GC ${api.gc.toFixed(1)} ms) | raw SQL+JSON ${raw.cpu.toFixed(1)} ms CPU (GC ${raw.gc.toFixed(1)} ms) | ratio ${(api.cpu / raw.cpu).toFixed(2)}x`,
    );
  }
  if (process.env.BENCH_PROFILE) {
    const { Session } = require('node:inspector/promises');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    for (let i = 0; i < 40; i++) await get(bench, PATH);
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
    console.log(`CPU profile of 40 requests: ${process.env.BENCH_PROFILE}`);
  }
  await bench.app.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
