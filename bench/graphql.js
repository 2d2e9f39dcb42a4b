// bench/graphql: the nested device query of issue 5 on the large demo dataset — time (p50/p95)
// and SQL statements per request (X-SQL-Queries), against the same query at 5 and 50 devices
// to show the statement count depends on the query's shape, not on how many objects it returns.
// Usage: npm run build && node bench/graphql.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL,
// BENCH_SCALE=small|medium|large, BENCH_RUNS=15)
'use strict';
const { openBench, describeDataset, post, timeIt, fmt } = require('./lib');

const query = (limit) => `{
  devices(limit: ${limit}) {
    name
    interfaces { name status { name } tags { name } ip_addresses { address } }
  }
}`;

async function run(bench, limit) {
  const r = await post(bench, '/api/graphql/', { query: query(limit) });
  const body = JSON.parse(r.body);
  if (r.status !== 200 || body.errors) throw new Error(`GraphQL: ${r.status} ${r.body.slice(0, 500)}`);
  return { ...r, data: body.data };
}

async function main() {
  const bench = await openBench();
  const runs = Number(process.env.BENCH_RUNS || 15);
  await describeDataset(bench);
  for (const limit of [5, 50, 500]) {
    const t = await timeIt(() => run(bench, limit), limit === 500 ? runs : 5, 1);
    const devices = t.last.data.devices;
    const interfaces = devices.reduce((n, d) => n + d.interfaces.length, 0);
    const ips = devices.reduce((n, d) => n + d.interfaces.reduce((m, i) => m + i.ip_addresses.length, 0), 0);
    console.log(
      `devices(limit: ${String(limit).padEnd(3)}) ${devices.length} devices, ${interfaces} interfaces, ${ips} IPs: ` +
        `p50 ${fmt(t.p50)}, p95 ${fmt(t.p95)}, ${t.last.queries} SQL queries, ${(t.last.bytes / 1024).toFixed(0)} KiB`,
    );
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
