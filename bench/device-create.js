#!/usr/bin/env node
/*
 * Benchmark: creating a device from a device type with 64 interface templates (issue goal:
 * < 200 ms), through the REST API as a client sees it (validation, rules, the device and its 64
 * interfaces in one transaction with their change records, the response). Prints figures; it
 * is not a pass/fail test.
 *
 *   npm run build && node bench/device-create.js                      # PGlite
 *   PLINTH_TEST_DB=postgresql PLINTH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node bench/device-create.js                                      # PostgreSQL
 *
 * Options (environment): BENCH_RUNS (default 30), BENCH_INTERFACES (default 64).
 */
const { createTestApp, testDatabaseKind } = require('@plinth/testing');

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const INTERFACES = Number(process.env.BENCH_INTERFACES ?? 64);

async function must(res, what) {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `min ${sorted[0].toFixed(1)}  p50 ${at(50).toFixed(1)}  p95 ${at(95).toFixed(1)}  max ${sorted[sorted.length - 1].toFixed(1)}  mean ${mean.toFixed(1)} ms`;
}

async function main() {
  const t = await createTestApp({ env: { PLINTH_DEBUG_SQL: '1' } });
  try {
    const api = t.api;
    const siteType = await must(
      api.post('/api/dcim/location-types/', { name: 'Site', content_types: ['dcim.device'] }),
      'location type',
    );
    const site = await must(
      api.post('/api/dcim/locations/', { name: 'Bench', location_type: siteType.id, status: 'Active' }),
      'location',
    );
    const role = await must(
      api.post('/api/extras/roles/', { name: 'Bench', content_types: ['dcim.device'] }),
      'role',
    );
    const maker = await must(api.post('/api/dcim/manufacturers/', { name: 'Bench' }), 'manufacturer');
    const type = await must(
      api.post('/api/dcim/device-types/', { manufacturer: maker.id, model: `${INTERFACES}-port` }),
      'device type',
    );
    await must(
      api.post(
        '/api/dcim/interface-templates/',
        Array.from({ length: INTERFACES }, (_, i) => ({
          device_type: type.id,
          name: `Ethernet${i + 1}`,
          type: '10gbase-x-sfpp',
        })),
      ),
      'templates',
    );
    const body = (name) => ({
      name,
      device_type: type.id,
      role: role.id,
      location: site.id,
      status: 'Active',
    });

    for (let i = 0; i < 3; i++) await must(api.post('/api/dcim/devices/', body(`warm-${i}`)), 'warm-up');
    const times = [];
    let queries = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      const res = await api.post('/api/dcim/devices/', body(`dev-${i}`));
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      queries = res.queries;
    }
    const bulkTimes = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      await must(
        api.post(
          '/api/dcim/devices/',
          Array.from({ length: 10 }, (_, j) => body(`bulk-${i}-${j}`)),
        ),
        'bulk',
      );
      bulkTimes.push(Number(process.hrtime.bigint() - t0) / 1e6 / 10);
    }
    const interfaces = (await api.get('/api/dcim/interfaces/?limit=1')).body.count;

    console.log(`database: ${testDatabaseKind()}, node ${process.version}`);
    console.log(
      `POST /api/dcim/devices/ (one device, ${INTERFACES} interfaces created with it), ${RUNS} runs:`,
    );
    console.log(`  ${stats(times)}   [${queries} SQL statements per request]`);
    console.log(`POST /api/dcim/devices/ (10 devices per request), per device, 5 runs:`);
    console.log(`  ${stats(bulkTimes)}`);
    console.log(`interfaces in the database afterwards: ${interfaces}`);

    const models = t.ctx.models.all().filter((m) => ['dcim', 'tenancy', 'circuits'].includes(m.app_label));
    const counts = [];
    for (const m of models) {
      const res = await api.get(`${m.api_path}?limit=1000`);
      counts.push(`${m.label}=${res.queries}`);
    }
    console.log(`SQL statements per list request (limit=1000, depth 0): ${counts.join(' ')}`);
  } finally {
    await t.close().catch(() => undefined);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
