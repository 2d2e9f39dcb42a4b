#!/usr/bin/env node
/*
 * Next-available IP in big prefixes: GET /api/ipam/prefixes/{id}/available-ips/?limit=1 and a
 * one-address POST (allocation through the write path), p50/p95 over RUNS requests, on the
 * database the test harness picks (PGlite by default; PostgreSQL with PLINTH_TEST_DB=postgresql
 * and PLINTH_TEST_DATABASE_URL). Prints figures; it is not a pass/fail test.
 *
 *   npm run build && node bench/ipam-available.js
 *   PLINTH_TEST_DB=postgresql PLINTH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/ipam-available.js
 *
 * BENCH_IPS (default 100000) addresses are bulk-inserted with SQL (set-up only; the measured
 * requests go through the API).
 */
const { performance } = require('node:perf_hooks');
const { createTestApp, testDatabaseKind } = require('@plinth/testing');

const USED = Number(process.env.BENCH_IPS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(label, fn) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const f = (x) => x.toFixed(1).padStart(7);
  console.log(`${label.padEnd(62)} p50 ${f(percentile(ms, 50))} ms   p95 ${f(percentile(ms, 95))} ms`);
}

async function main() {
  const t = await createTestApp({ env: { PLINTH_LOG_LEVEL: 'error' } });
  try {
    const [{ id: ns }] = await t.sql(`SELECT id FROM ipam_namespace WHERE name = 'Global'`);
    const [{ id: status }] = await t.sql(`SELECT id FROM extras_status WHERE name = 'Active'`);
    const prefix = async (p, type) => {
      const res = await t.api.post('/api/ipam/prefixes/', { prefix: p, type, status: 'Active' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      return res.body.id;
    };
    /** USED addresses from `first` (+ step), minus the ones in `skip`, parented to `parent`. */
    const fill = async (parent, first, mask, step = 1, skip = []) => {
      const start = performance.now();
      await t.sql(
        `INSERT INTO ipam_ipaddress (id, created, last_updated, address, namespace_id, parent_id, type, status_id)
         SELECT gen_random_uuid(), now(), now(), set_masklen($1::inet + g * $5, $2), $3, $4, 'host', $6
           FROM generate_series(0, $7 - 1) g WHERE NOT (g = ANY($8::int[]))`,
        [first, mask, ns, parent, step, status, USED, skip],
      );
      return performance.now() - start;
    };
    const nextFree = (id) => async () => {
      const res = await t.api.get(`/api/ipam/prefixes/${id}/available-ips/?limit=1`);
      if (res.status !== 200 || res.body.length !== 1) throw new Error(JSON.stringify(res.body));
    };
    const allocate = (id) => async () => {
      const res = await t.api.post(`/api/ipam/prefixes/${id}/available-ips/`, { status: 'Active' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    };

    const dense8 = await prefix('10.0.0.0/8', 'network');
    const load = [await fill(dense8, '10.0.0.1', 8)];
    const holey8 = await prefix('11.0.0.0/8', 'network');
    load.push(await fill(holey8, '11.0.0.1', 8, 1, [Math.floor(USED * 0.9)]));
    const sparse8 = await prefix('12.0.0.0/8', 'network');
    load.push(await fill(sparse8, '12.0.0.1', 8, 2));
    const empty8 = await prefix('13.0.0.0/8', 'network');
    const dense32 = await prefix('2001:db8::/32', 'network');
    load.push(await fill(dense32, '2001:db8::', 32));
    const container8 = await prefix('14.0.0.0/8', 'container');
    await t.sql('VACUUM ANALYZE ipam_ipaddress');

    if (process.env.BENCH_EXPLAIN) {
      for (const [lo, hi] of [
        ['10.0.0.2/32', '10.255.255.254/32'],
        ['2001:db8::1/128', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128'],
      ]) {
        const plan = await t.sql(
          `EXPLAIN (ANALYZE, BUFFERS) SELECT count(*), min(u.h), max(u.h) FROM (SELECT a."_host" AS h FROM "ipam_ipaddress" a
            WHERE a."namespace_id" = $1 AND a."_host" >= $2::inet AND a."_host" <= $3::inet ORDER BY a."_host") u`,
          [ns, lo, hi],
        );
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
    const db = testDatabaseKind();
    console.log(
      `\nipam next-available IP on ${db}: ${USED} used addresses per prefix, ${RUNS} runs after 3 warm-ups`,
    );
    console.log(
      `(set-up: ${load.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} to insert each set)\n`,
    );
    await time('GET next free, /8, used densely from the start', nextFree(dense8));
    await time('GET next free, /8, dense run with one hole at 90%', nextFree(holey8));
    await time('GET next free, /8, every other address used', nextFree(sparse8));
    await time('GET next free, empty /8', nextFree(empty8));
    await time('GET next free, IPv6 /32, used densely from the start', nextFree(dense32));
    await time('GET free /24 blocks (limit 50), empty /8 container', async () => {
      await t.api.get(`/api/ipam/prefixes/${container8}/available-prefixes/`);
    });
    await time('POST allocate one address, /8 used densely (write path)', allocate(dense8));
    await time('POST allocate one address, IPv6 /32 used densely (write path)', allocate(dense32));
    await time('POST allocate one address, empty /8 (write path)', allocate(empty8));
    await time('GET prefix list (limit 50) with utilization', async () => {
      await t.api.get('/api/ipam/prefixes/?limit=50');
    });
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
