// bench/config-context: GET /api/dcim/devices/?limit=1000 with and without ?include=config_context
// on the large demo dataset, with 30 config contexts scoped by every kind of scope (locations with
// descendants, roles, platforms, device types, tenant groups, tenants, tags): time and SQL queries,
// and the SQL queries at several page sizes (they must not grow with the page).
// Usage: npm run build && node bench/config-context.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL)
'use strict';
const { openBench, describeDataset, get, fmt } = require('./lib');

/** Contexts are created once per database (names start with `bench-`). */
async function ensureContexts(bench) {
  const objects = bench.app.get(require('../libs/plugin-sdk/dist').OBJECTS).as({ user: null, source: 'cli' });
  if ((await objects.count('extras.configcontext', { name__isw: ['bench-'] })) > 0) return;
  const ids = async (label, limit) => (await objects.find(label, {}, { limit })).map((r) => r.id);
  const regions = (await objects.find('dcim.location', { parent__isnull: ['true'] }, { limit: 10 })).map(
    (r) => r.id,
  );
  const [roles, platforms, types, groups, tenants] = await Promise.all([
    ids('extras.role', 6),
    ids('dcim.platform', 3),
    ids('dcim.devicetype', 3),
    ids('tenancy.tenantgroup', 1),
    ids('tenancy.tenant', 3),
  ]);
  const [tag] =
    (await objects.find('extras.tag', { name: ['bench-tag'] })).length > 0
      ? await objects.find('extras.tag', { name: ['bench-tag'] })
      : await objects.create('extras.tag', [{ name: 'bench-tag', content_types: [] }]);
  const some = await objects.find('dcim.device', {}, { limit: 500 });
  await objects.update(
    'dcim.device',
    some.map((d) => ({ id: d.id, tags: [tag.id], local_config_context_data: { hostname: d.name } })),
  );
  const contexts = [
    {
      name: 'bench-global',
      weight: 100,
      data: { ntp: ['10.0.0.1', '10.0.0.2'], syslog: { host: '10.0.0.9' } },
    },
    ...regions.map((id, i) => ({
      name: `bench-region-${i}`,
      weight: 200,
      locations: [id],
      data: { region: i, dns: { primary: `10.${i}.0.53` } },
    })),
    ...roles.map((id, i) => ({
      name: `bench-role-${i}`,
      weight: 300,
      roles: [id],
      data: { role_cfg: { i } },
    })),
    ...platforms.map((id, i) => ({
      name: `bench-platform-${i}`,
      weight: 300,
      platforms: [id],
      data: { os: i },
    })),
    ...types.map((id, i) => ({
      name: `bench-type-${i}`,
      weight: 400,
      device_types: [id],
      roles: roles.slice(0, 1),
      data: { hw: i },
    })),
    ...groups.map((id, i) => ({
      name: `bench-group-${i}`,
      weight: 500,
      tenant_groups: [id],
      data: { billing: 'group' },
    })),
    ...tenants.map((id, i) => ({
      name: `bench-tenant-${i}`,
      weight: 500,
      tenants: [id],
      data: { billing: `tenant-${i}` },
    })),
    { name: 'bench-tagged', weight: 600, tags: [tag.id], data: { tagged: true } },
    { name: 'bench-inactive', weight: 900, is_active: false, data: { never: true } },
  ];
  while (contexts.length < 30)
    contexts.push({
      name: `bench-extra-${contexts.length}`,
      weight: 700,
      locations: regions.slice(0, 1),
      roles: roles.slice(0, 1),
      data: { extra: contexts.length },
    });
  await objects.create('extras.configcontext', contexts);
}

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  await ensureContexts(bench);
  const base = '/api/dcim/devices/?limit=1000';
  // Interleaved (plain, include, plain, ...): on a shared machine the load changes over a run.
  const plainTimes = [];
  const ccTimes = [];
  let plainLast;
  let ccLast;
  for (let i = 0; i < 32; i++) {
    plainLast = await get(bench, base);
    ccLast = await get(bench, `${base}&include=config_context`);
    if (i >= 2) {
      plainTimes.push(plainLast.ms);
      ccTimes.push(ccLast.ms);
    }
  }
  const pct = (times, p) => [...times].sort((a, b) => a - b)[Math.ceil((p / 100) * times.length) - 1];
  const plain = { p50: pct(plainTimes, 50), p95: pct(plainTimes, 95), last: plainLast };
  const withCc = { p50: pct(ccTimes, 50), p95: pct(ccTimes, 95), last: ccLast };
  const sample = JSON.parse(withCc.last.body).results.find(
    (d) => d.config_context && d.config_context.tagged,
  );
  console.log(
    `devices ?limit=1000:                        p50 ${fmt(plain.p50)}, p95 ${fmt(plain.p95)}, ${plain.last.queries} SQL queries`,
  );
  console.log(
    `devices ?limit=1000&include=config_context: p50 ${fmt(withCc.p50)}, p95 ${fmt(withCc.p95)}, ${withCc.last.queries} SQL queries` +
      ` | ratio p50 ${(withCc.p50 / plain.p50).toFixed(2)}x, p95 ${(withCc.p95 / plain.p95).toFixed(2)}x`,
  );
  const counts = [];
  for (const limit of [1, 50, 250, 1000]) {
    const r = await get(bench, `/api/dcim/devices/?limit=${limit}&include=config_context`);
    counts.push(`${limit}: ${r.queries}`);
  }
  console.log(`SQL queries by page size with include: ${counts.join(', ')}`);
  if (sample) console.log(`a rendered context: ${JSON.stringify(sample.config_context)}`);
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
