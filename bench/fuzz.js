// bench/fuzz: the long fuzz run. Every REST operation of the OpenAPI document x every parameter
// and body property x the whole bad-value corpus (plus whole-body cases and an 11 MB body per
// writing operation), then every GraphQL root field x argument x literal. Prints requests, status
// counts and every 5xx (target: 0). The bounded sample of the same generator runs in `npm test`
// (test/src/fuzz.e2e-spec.ts).
// Usage: npm run build && node bench/fuzz.js   (BENCH_SCALE=small by default here; BENCH_DATABASE_URL
// for PostgreSQL; BENCH_FUZZ_CONCURRENCY (default 4); BENCH_FUZZ_MAX caps the number of requests;
// BENCH_FUZZ_EVERY=k sends every k-th request, a spread sample)
'use strict';
process.env.BENCH_SCALE = process.env.BENCH_SCALE || 'small';
const { openBench, describeDataset } = require('./lib');
const {
  ROOT_FIELDS_QUERY,
  collectIds,
  graphqlRequests,
  restRequests,
  runFuzz,
} = require('../test/dist/fuzz/fuzzer');

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  const auth = { Authorization: `Token ${bench.token}` };
  const doc = await (await fetch(`${bench.url}/api/swagger.json`, { headers: auth })).json();
  const me = await (await fetch(`${bench.url}/api/users/users/?username=bench`, { headers: auth })).json();
  const tokens = await (
    await fetch(`${bench.url}/api/users/tokens/?user=bench&limit=0`, { headers: auth })
  ).json();
  const protectedIds = new Set([me.results[0].id, ...tokens.results.map((t) => t.id)]);
  const ids = await collectIds(bench.url, bench.token, doc, protectedIds);
  const gqlRes = await fetch(`${bench.url}/api/graphql/`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: ROOT_FIELDS_QUERY }),
  });
  const fields = (await gqlRes.json()).data.__schema.queryType.fields;
  const max = Number(process.env.BENCH_FUZZ_MAX || Infinity);
  const concurrency = Number(process.env.BENCH_FUZZ_CONCURRENCY || 4);
  // BENCH_FUZZ_EVERY=k sends every k-th request of each list: every operation still gets a share.
  const every = Math.max(1, Number(process.env.BENCH_FUZZ_EVERY || 1));
  const sample = (list) => list.filter((_, i) => i % every === 0);
  const rest = sample(restRequests(doc, { ids, protectedIds }, { oversized: true })).slice(0, max);
  const gql = sample(graphqlRequests(fields)).slice(0, Math.max(0, max - rest.length));
  const operations = new Set(rest.map((r) => r.label.split(' ').slice(0, 2).join(' '))).size;
  console.log(
    `REST: ${rest.length} requests over ${operations} operations; GraphQL: ${gql.length} requests over ${fields.length} root fields`,
  );
  for (const [name, requests] of [
    ['REST', rest],
    ['GraphQL', gql],
  ]) {
    const report = await runFuzz(bench.url, bench.token, requests, {
      concurrency,
      onProgress: (n) => process.stdout.write(`  ${name}: ${n}/${requests.length}\r`),
    });
    console.log(
      `${name}: ${report.requests} requests in ${report.seconds.toFixed(0)} s (${(report.requests / report.seconds).toFixed(0)}/s), ` +
        `5xx: ${report.serverErrors}, other findings: ${report.findings.length - report.serverErrors}, statuses ${JSON.stringify(report.byStatus)}`,
    );
    for (const f of report.findings.slice(0, 30))
      console.log(`  ${f.status} ${f.request.label}: ${f.body.slice(0, 160)}`);
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
