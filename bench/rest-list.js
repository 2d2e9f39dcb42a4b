// bench/rest-list: GET /api/dcim/devices/?limit=1000 and /api/dcim/interfaces/?limit=1000 on the
// large demo dataset, against the same rows fetched by one raw SQL query and serialised to JSON.
// Usage: npm run build && node bench/rest-list.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL)
'use strict';
const { openBench, describeDataset, get, timeIt, fmt } = require('./lib');

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  const cases = [
    {
      name: 'devices',
      path: '/api/dcim/devices/?limit=1000',
      raw: 'SELECT * FROM dcim_device ORDER BY _name, id LIMIT 1000',
    },
    {
      name: 'interfaces',
      path: '/api/dcim/interfaces/?limit=1000',
      raw: 'SELECT * FROM dcim_interface ORDER BY device_id, _name, id LIMIT 1000',
    },
  ];
  for (const c of cases) {
    const api = await timeIt(() => get(bench, c.path));
    const raw = await timeIt(async () => JSON.stringify(await bench.ds.query(c.raw)));
    const count = JSON.parse(api.last.body).results.length;
    console.log(
      `${c.name.padEnd(10)} REST ${count} rows: p50 ${fmt(api.p50)}, p95 ${fmt(api.p95)}, ${api.last.queries} SQL queries, ${(api.last.bytes / 1024).toFixed(0)} KiB` +
        ` | raw SQL+JSON: p50 ${fmt(raw.p50)}, p95 ${fmt(raw.p95)} | ratio p50 ${(api.p50 / raw.p50).toFixed(2)}x, p95 ${(api.p95 / raw.p95).toFixed(2)}x`,
    );
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
