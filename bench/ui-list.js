// bench/ui-list: the web UI's device list page (server-rendered HTML) at 1,000 rows per page on the
// large demo dataset, and its SQL query count at several page sizes (constant per page).
// Usage: npm run build && node bench/ui-list.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL,
// BENCH_SCALE=small|medium|large, BENCH_RUNS=15)
'use strict';
const { openBench, describeDataset, get, timeIt, fmt } = require('./lib');

/** Rows of the page's table (each starts with its select box). */
function rowsIn(html) {
  return (html.match(/<td class="select-col">/g) || []).length;
}

async function main() {
  const bench = await openBench();
  const runs = Number(process.env.BENCH_RUNS || 15);
  const counts = await describeDataset(bench);
  // UI pages accept the API token too (the same authentication middleware), so no login form here.
  // Related objects are loaded with one query per related model that appears on the page, so a
  // tiny page whose devices all lack, say, a tenant runs one query fewer: compare pages that
  // span several sites.
  const sizes = [50, 200, 1000];
  const queries = {};
  for (const size of sizes) {
    const path = `/dcim/devices/?per_page=${size}`;
    const r = await get(bench, path);
    queries[size] = r.queries;
    if (rowsIn(r.body) !== Math.min(size, counts.devices))
      throw new Error(`${path}: ${rowsIn(r.body)} rows in the page`);
  }
  console.log(
    `SQL queries per page: ${sizes.map((s) => `${s} rows: ${queries[s]}`).join(', ')}` +
      (new Set(Object.values(queries)).size === 1 ? ' (constant)' : ' (NOT constant)'),
  );
  for (const [name, path] of [
    ['device list, 1000 rows', '/dcim/devices/?per_page=1000'],
    ['device list, 1000 rows, page 5', '/dcim/devices/?per_page=1000&page=5'],
    ['device list, 50 rows', '/dcim/devices/?per_page=50'],
  ]) {
    const t = await timeIt(() => get(bench, path), runs);
    console.log(
      `${name.padEnd(32)} p50 ${fmt(t.p50)}, p95 ${fmt(t.p95)} (min ${fmt(t.min)}, max ${fmt(t.max)}, ${t.runs} runs), ` +
        `${t.last.queries} SQL queries, ${(t.last.bytes / 1024).toFixed(0)} KiB`,
    );
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
