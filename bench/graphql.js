// bench/graphql: the nested device query of issue 5 on the large demo dataset — time (p50/p95)
// and SQL statements per request (X-SQL-Queries), against the same query at 5 and 50 devices
// to show the statement count depends on the query's shape, not on how many objects it returns.
// The 500-device query is printed side by side with its raw-SQL limit (the same rows fetched by
// four set-based statements, nested in plain JavaScript and serialised with JSON.stringify), with
// the share of the process's CPU time the garbage collector took while serving it.
// Usage: npm run build && node bench/graphql.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL,
// BENCH_SCALE=small|medium|large, BENCH_RUNS=15)
'use strict';
const { PerformanceObserver } = require('node:perf_hooks');
const { setImmediate } = require('node:timers');
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

/** The query's rows by set-based SQL (as many statements as the query has list levels), as JSON. */
async function raw(bench, limit) {
  const q = (text, values) => bench.ds.query(text, values);
  const devices = await q(`SELECT * FROM dcim_device ORDER BY _name, id LIMIT ${limit}`);
  const interfaces = await q(
    'SELECT * FROM dcim_interface WHERE device_id = ANY($1::uuid[]) ORDER BY device_id, _name, id',
    [devices.map((d) => d.id)],
  );
  const ifaceIds = interfaces.map((i) => i.id);
  const [statuses, tags, ips] = await Promise.all([
    q('SELECT * FROM extras_status WHERE id = ANY($1::uuid[])', [
      [...new Set(interfaces.map((i) => i.status_id))],
    ]),
    q(
      'SELECT ti.object_id, t.* FROM extras_taggeditem ti JOIN extras_tag t ON t.id = ti.tag_id WHERE ti.object_id = ANY($1::uuid[]) ORDER BY t.name',
      [ifaceIds],
    ),
    q(
      'SELECT j.interface_id, a.* FROM ipam_ipaddresstointerface j JOIN ipam_ipaddress a ON a.id = j.ip_address_id WHERE j.interface_id = ANY($1::uuid[]) ORDER BY a.address, a.id',
      [ifaceIds],
    ),
  ]);
  const group = (rows, key) => {
    const m = new Map();
    for (const r of rows) (m.get(r[key]) ?? m.set(r[key], []).get(r[key])).push(r);
    return m;
  };
  const status = new Map(statuses.map((s) => [s.id, { name: s.name }]));
  const tagsOf = group(tags, 'object_id');
  const ipsOf = group(ips, 'interface_id');
  const ifacesOf = group(interfaces, 'device_id');
  return JSON.stringify({
    data: {
      devices: devices.map((d) => ({
        name: d.name,
        interfaces: (ifacesOf.get(d.id) ?? []).map((i) => ({
          name: i.name,
          status: status.get(i.status_id) ?? null,
          tags: (tagsOf.get(i.id) ?? []).map((t) => ({ name: t.name })),
          ip_addresses: (ipsOf.get(i.id) ?? []).map((a) => ({ address: a.address })),
        })),
      })),
    },
  });
}

/**
 * fn timed, with this process's CPU time meanwhile (server and client: less sensitive to other
 * load on the machine than wall times) and the garbage collector's pauses as a share of it (on
 * a loaded machine pauses stretch, so the share reads high).
 */
async function withGcShare(fn) {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpu0 = process.cpuUsage();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => setImmediate(resolve)); // deliver the last gc entries
  observer.disconnect();
  return {
    ...result,
    cpuMs: (cpu.user + cpu.system) / 1000,
    gcShare: gcMs / ((cpu.user + cpu.system) / 1000),
  };
}

async function main() {
  const bench = await openBench();
  const runs = Number(process.env.BENCH_RUNS || 15);
  await describeDataset(bench);
  for (const limit of [5, 50, 500]) {
    const n = limit === 500 ? runs : 5;
    const t = await withGcShare(() => timeIt(() => run(bench, limit), n, 1));
    const devices = t.last.data.devices;
    const interfaces = devices.reduce((n, d) => n + d.interfaces.length, 0);
    const ips = devices.reduce((n, d) => n + d.interfaces.reduce((m, i) => m + i.ip_addresses.length, 0), 0);
    console.log(
      `devices(limit: ${String(limit).padEnd(3)}) ${devices.length} devices, ${interfaces} interfaces, ${ips} IPs: ` +
        `p50 ${fmt(t.p50)}, p95 ${fmt(t.p95)}, ${t.last.queries} SQL queries, ${(t.last.bytes / 1024).toFixed(0)} KiB, ` +
        `CPU ${fmt(t.cpuMs / (n + 1))} a request, GC ${(t.gcShare * 100).toFixed(0)}% of it`,
    );
  }
  const r = await timeIt(() => raw(bench, 500), runs, 1);
  console.log(
    `raw SQL + JSON, 500 devices: p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, ${(r.last.length / 1024).toFixed(0)} KiB`,
  );
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
