// bench/custom-field-filter: a `cf_<key>` filter over every interface of the large demo dataset
// (260,750): the REST list time and the plan PostgreSQL picks for the containment test the filter
// compiles to, with the custom-fields GIN index and without it (dropped inside a rolled-back
// transaction, so the database keeps it).
// Usage: npm run build && node bench/custom-field-filter.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL)
'use strict';
const { openBench, describeDataset, get, post, timeIt, fmt } = require('./lib');

const KEY = 'bench_tier';
// One interface in 1,000 is `gold`: a selective filter, as a real tag-like field is.
const EVERY = 1000;
// The WHERE clause `cf_bench_tier=gold` compiles to (libs/extras/src/custom-fields/filters.ts).
const PLAN_SQL = `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
  SELECT id FROM dcim_interface t
   WHERE t."_custom_field_data" @> jsonb_build_object($1::text, $2::jsonb) LIMIT 50`;

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  const existing = JSON.parse((await get(bench, `/api/extras/custom-fields/?key=${KEY}`)).body);
  if (existing.count === 0) {
    const res = await post(bench, '/api/extras/custom-fields/', {
      key: KEY,
      label: 'Bench tier',
      type: 'select',
      content_types: ['dcim.interface'],
      filter_logic: 'exact',
    });
    if (res.status !== 201) throw new Error(`custom field: ${res.status} ${res.body}`);
    const field = JSON.parse(res.body);
    for (const value of ['gold', 'silver'])
      await post(bench, '/api/extras/custom-field-choices/', { custom_field: field.id, value });
    // Data set-up, not what is measured: one statement instead of 260k PATCHes.
    await bench.ds.query(
      `UPDATE dcim_interface SET "_custom_field_data" = jsonb_build_object($1::text, CASE WHEN n % ${EVERY} = 0 THEN 'gold' ELSE 'silver' END)
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM dcim_interface) s WHERE s.id = dcim_interface.id`,
      [KEY],
    );
    await bench.ds.query('ANALYZE dcim_interface');
  }
  const path = `/api/dcim/interfaces/?cf_${KEY}=gold&limit=50`;
  const api = await timeIt(() => get(bench, path));
  const matched = JSON.parse(api.last.body).count;
  console.log(
    `REST ${path}: ${matched} matches, p50 ${fmt(api.p50)}, p95 ${fmt(api.p95)}, ${api.last.queries} SQL queries`,
  );
  const params = [KEY, JSON.stringify('gold')];
  const plan = async () =>
    (await bench.ds.query(PLAN_SQL, params)).map((r) => `    ${r['QUERY PLAN']}`).join('\n');
  console.log(`plan with the index:\n${await plan()}`);
  const runner = bench.ds.createQueryRunner();
  await runner.startTransaction();
  try {
    await runner.query('DROP INDEX dcim_interface_cfdata_gin');
    const rows = await runner.query(PLAN_SQL, params);
    console.log(`plan without it:\n${rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
