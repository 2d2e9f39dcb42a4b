#!/usr/bin/env node
/*
 * Benchmark: jobs through the queue, each run recorded as a JobResult with its log.
 *   1. 1,000 trivial jobs queued at once -> runs per second (one worker: this process);
 *   2. a job writing 10,000 IP addresses through the write path in batches of 100, with a log
 *      line every 100 and without -> time, and the cost of the log lines.
 * Prints figures; it is not a pass/fail test.
 *
 *   npm run build && node bench/jobs.js                                  # PGlite, in-process queue
 *   BENCH_REDIS_URL=redis://127.0.0.1:6379 node bench/jobs.js             # PGlite, Bull/Redis
 *   PLINTH_TEST_DB=postgresql PLINTH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     BENCH_REDIS_URL=redis://127.0.0.1:6379 node bench/jobs.js           # PostgreSQL, Bull/Redis
 *
 * Options (environment): BENCH_JOBS (default 1000), BENCH_IPS (default 10000).
 */
const { performance } = require('node:perf_hooks');
const { createTestApp, testDatabaseKind } = require('@plinth/testing');
const { QueueService } = require('@plinth/core');
const { Jobs } = require('@plinth/plugin-sdk');

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const IPS = Number(process.env.BENCH_IPS ?? 10000);
const REDIS = process.env.BENCH_REDIS_URL;

async function main() {
  const t = await createTestApp({
    env: { PLINTH_LOG_LEVEL: 'error', ...(REDIS ? { REDIS_URL: REDIS } : {}) },
  });
  try {
    const registry = t.ctx.registries.get(Jobs);
    registry.register({ name: 'bench.noop', run: async () => null }, 'bench');
    registry.register(
      {
        name: 'bench.ips',
        async run(ctx, data) {
          const count = data.count ?? IPS;
          for (let i = 0; i < count; i += 100) {
            const batch = [];
            for (let j = i; j < Math.min(count, i + 100); j++)
              batch.push({ address: `10.${data.octet}.${j >> 8}.${j & 255}/16`, status: 'Active' });
            await ctx.objects.create('ipam.ipaddress', batch);
            if (data.log) ctx.log_info(`${i + batch.length} addresses`);
          }
          return count;
        },
      },
      'bench',
    );
    registry.register(
      {
        name: 'bench.lines',
        async run(ctx, data) {
          for (let i = 0; i < data.lines; i++) ctx.log_info(`line ${i}`);
          return data.lines;
        },
      },
      'bench',
    );
    const queue = t.app.get(QueueService);
    await queue.startWorker();
    const done = async (ids) => {
      for (;;) {
        const [{ n }] = await t.sql(
          `SELECT count(*)::int AS n FROM extras_jobresult WHERE id = ANY($1::uuid[]) AND status IN ('SUCCESS', 'FAILURE')`,
          [ids],
        );
        if (n === ids.length) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const where = `${testDatabaseKind()}, ${REDIS ? 'Bull/Redis (one worker, concurrency 2)' : 'in-process queue'}`;
    console.log(`jobs benchmark (${where})`);

    let start = performance.now();
    const ids = [];
    for (let i = 0; i < JOBS; i++) ids.push(await queue.enqueue('bench.noop', {}));
    const queued = performance.now() - start;
    await done(ids);
    const total = performance.now() - start;
    const [{ failed }] = await t.sql(
      `SELECT count(*)::int AS failed FROM extras_jobresult WHERE id = ANY($1::uuid[]) AND status <> 'SUCCESS'`,
      [ids],
    );
    console.log(
      `${JOBS} trivial jobs: queued in ${(queued / 1000).toFixed(2)} s, all done in ${(total / 1000).toFixed(2)} s -> ${(JOBS / (total / 1000)).toFixed(0)} jobs/s (${failed} failed)`,
    );

    // The addresses' parent prefixes (as Nautobot 2, an address needs one in its namespace).
    for (const p of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']) {
      const res = await t.api.post('/api/ipam/prefixes/', { prefix: p, status: 'Active' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    }
    const timed = async (octet, log, count = IPS) => {
      start = performance.now();
      const id = await queue.enqueue('bench.ips', { octet, log, count });
      await done([id]);
      const ms = performance.now() - start;
      const [r] = await t.sql(`SELECT status, traceback FROM extras_jobresult WHERE id = $1`, [id]);
      if (r.status !== 'SUCCESS') throw new Error(r.traceback);
      const [{ lines }] = await t.sql(
        `SELECT count(*)::int AS lines FROM extras_joblogentry WHERE job_result_id = $1`,
        [id],
      );
      return { ms, lines };
    };
    await timed(3, true, 2000); // warm-up (not counted): caches, query plans, JIT
    const quiet = await timed(1, false);
    const logged = await timed(2, true);
    console.log(`${IPS} IP addresses in batches of 100, no log lines: ${(quiet.ms / 1000).toFixed(2)} s`);
    console.log(
      `${IPS} IP addresses in batches of 100, ${logged.lines} log lines: ${(logged.ms / 1000).toFixed(2)} s (difference ${(logged.ms - quiet.ms).toFixed(0)} ms)`,
    );
    // The log's own cost, without the addresses' noise: a job that only logs.
    start = performance.now();
    const linesId = await queue.enqueue('bench.lines', { lines: IPS });
    await done([linesId]);
    const linesMs = performance.now() - start;
    console.log(
      `${IPS} log lines alone: ${(linesMs / 1000).toFixed(2)} s -> ${((linesMs / IPS) * 1000).toFixed(0)} µs per line (100 lines per 10,000 addresses: ${((linesMs / IPS) * 100).toFixed(0)} ms)`,
    );
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
