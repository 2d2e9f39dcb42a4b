// bench/capacity-metrics: a /metrics scrape with the Capacity Metrics app on the demo dataset,
// with the cache off so that every scrape computes: scrape time and SQL statements, and the app's
// own figures (computation time, statements, series per metric).
// Usage: npm run build && node bench/capacity-metrics.js   (BENCH_DATABASE_URL=postgres://... for
// PostgreSQL, BENCH_SCALE=small|medium|large, BENCH_RUNS=10)
'use strict';
const { openBench, describeDataset, get, timeIt, fmt } = require('./lib');

/** Value of a sample line (`name{...} value` or `name value`). */
function valueOf(text, name) {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function main() {
  const runs = Number(process.env.BENCH_RUNS || 10);
  const bench = await openBench({
    PLINTH_PLUGINS: '@plinth/app-capacity-metrics',
    // TTL 0: every scrape computes (core's object counts stay cached).
    PLINTH_PLUGINS_CONFIG: JSON.stringify({ capacity_metrics: { cache_ttl_seconds: 0 } }),
    PLINTH_METRICS_OBJECT_COUNT_TTL_S: '3600',
  });
  await describeDataset(bench);
  const t = await timeIt(() => get(bench, '/metrics'), runs);
  const text = t.last.body;
  const computed = valueOf(text, 'capacity_metrics_computation_sql_queries');
  console.log(
    `scrape computing the capacity metrics: p50 ${fmt(t.p50)}, p95 ${fmt(t.p95)} (${t.runs} runs), ` +
      `${t.last.queries} SQL statements in the scrape, ${computed} of them the app's`,
  );
  console.log(
    `app computation: ${(valueOf(text, 'capacity_metrics_computation_duration_seconds') * 1000).toFixed(1)} ms`,
  );
  const names = [...new Set(text.match(/^capacity_metrics_[a-z_]+(?=[{ ])/gm))];
  const series = names.map(
    (n) =>
      `${n.replace('capacity_metrics_', '')}: ${text.split('\n').filter((l) => l.startsWith(`${n}{`) || l.startsWith(`${n} `)).length}`,
  );
  console.log(`series: ${series.join(', ')}`);
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
