#!/usr/bin/env node
/*
 * Set-based writes: BENCH_IPS (default 10,000) IP addresses created in ONE bulk POST through the
 * write path (validation, parents, uniqueness, change log), in chunks of 1,000 as well, with the
 * SQL statements each took (X-SQL-Queries), then 1,000 prefixes over them, on the database the test harness picks (PGlite by
 * default; PostgreSQL with PLINTH_TEST_DB=postgresql and PLINTH_TEST_DATABASE_URL).
 * Prints figures; it is not a pass/fail test.
 *
 *   npm run build && node bench/bulk-ips.js
 *   PLINTH_TEST_DB=postgresql PLINTH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/bulk-ips.js
 */
const { performance } = require('node:perf_hooks');
const { createTestApp, testDatabaseKind } = require('@plinth/testing');

const N = Number(process.env.BENCH_IPS ?? 10_000);

/** N distinct addresses spread over three /16s of 10.0.0.0/8 (`offset` shifts the range). */
function addresses(n, offset) {
  return Array.from({ length: n }, (_, i) => {
    const k = i + offset;
    return {
      address: `10.${1 + (k % 3)}.${Math.floor(k / 3 / 250) % 256}.${1 + (Math.floor(k / 3) % 250)}/16`,
      status: 'Active',
    };
  });
}

async function main() {
  const t = await createTestApp({ env: { PLINTH_LOG_LEVEL: 'error', PLINTH_MAX_BULK_ITEMS: String(N) } });
  try {
    await t.api.post('/api/ipam/prefixes/', [
      { prefix: '10.0.0.0/8', status: 'Active', type: 'container' },
      ...[1, 2, 3].map((b) => ({ prefix: `10.${b}.0.0/16`, status: 'Active' })),
    ]);
    console.log(`database: ${testDatabaseKind()}`);
    const run = async (label, body) => {
      const start = performance.now();
      const res = await t.api.post('/api/ipam/ip-addresses/', body);
      const ms = performance.now() - start;
      if (res.status !== 201) throw new Error(`${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      console.log(
        `${label.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(6)} s   ${String(res.queries).padStart(6)} SQL statements   ${((res.queries * 1000) / body.length).toFixed(1)} per 1,000 objects`,
      );
    };
    await run(`${N.toLocaleString('en')} IPs in one POST`, addresses(N, 0));
    let total = 0;
    let queries = 0;
    const start = performance.now();
    for (let off = 0; off < N; off += 1000) {
      const res = await t.api.post('/api/ipam/ip-addresses/', addresses(Math.min(1000, N - off), N + off));
      if (res.status !== 201) throw new Error(`${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      total += Math.min(1000, N - off);
      queries += res.queries;
    }
    console.log(
      `${`${total.toLocaleString('en')} IPs in POSTs of 1,000`.padEnd(40)} ${((performance.now() - start) / 1000).toFixed(2).padStart(6)} s   ${String(queries).padStart(6)} SQL statements   ${((queries * 1000) / total).toFixed(1)} per 1,000 objects`,
    );
    // Prefixes: 1,000 /25s placed under the /16s (parents set for them and for the addresses inside).
    const prefixes = Array.from({ length: 1000 }, (_, i) => ({
      prefix: `10.${1 + (i % 3)}.${Math.floor(i / 3) >> 1}.${(Math.floor(i / 3) & 1) * 128}/25`,
      status: 'Active',
    }));
    const pstart = performance.now();
    const pres = await t.api.post('/api/ipam/prefixes/', prefixes);
    if (pres.status !== 201) throw new Error(`${pres.status}: ${JSON.stringify(pres.body).slice(0, 300)}`);
    console.log(
      `${'1,000 prefixes over those IPs in one POST'.padEnd(40)} ${((performance.now() - pstart) / 1000).toFixed(2).padStart(6)} s   ${String(pres.queries).padStart(6)} SQL statements`,
    );
  } finally {
    await t.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
