// bench/custom-data: GET /api/dcim/devices/?limit=1000 on the large demo dataset, bare and with
// everything custom data adds to a device at once — 10 custom fields with values, 3 relationships
// with associations and ?include=config_context,relationships — : time and SQL statements, and
// the statements at several page sizes (they must not grow with the page).
// Usage: npm run build && node bench/custom-data.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL)
'use strict';
const { openBench, describeDataset, get, timeIt, fmt } = require('./lib');
const { OBJECTS } = require('../libs/plugin-sdk/dist');

const FIELDS = 10;

/** Definitions and values are created once per database (keys start with `bench_`). */
async function ensureCustomData(bench) {
  const objects = bench.app.get(OBJECTS).as({ user: null, source: 'cli' });
  if ((await objects.count('extras.customfield', { key__isw: ['bench_cd_'] })) > 0) return;
  const types = ['text', 'integer', 'boolean', 'date', 'text', 'text', 'integer', 'url', 'json', 'text'];
  await objects.create(
    'extras.customfield',
    types.slice(0, FIELDS).map((type, i) => ({
      key: `bench_cd_${i}`,
      label: `Bench ${i}`,
      type,
      content_types: ['dcim.device'],
    })),
  );
  const values = {
    bench_cd_0: 'rack-row-7',
    bench_cd_1: 42,
    bench_cd_2: true,
    bench_cd_3: '2026-01-15',
    bench_cd_4: 'gold',
    bench_cd_5: 'owner-3',
    bench_cd_6: 126,
    bench_cd_7: 'https://inventory.example.com/42',
    bench_cd_8: { slot: 2, notes: ['a', 'b'] },
    bench_cd_9: 'po-42',
  };
  // Data set-up (one statement), not what is measured.
  await bench.ds.query(`UPDATE dcim_device SET "_custom_field_data" = $1::jsonb`, [JSON.stringify(values)]);
  const [tenant] = await objects.find('tenancy.tenant', {}, { limit: 1 });
  const providers = await objects.find('circuits.provider', {}, { limit: 3 });
  const devices = await objects.find('dcim.device', {}, { limit: 1000 });
  const rels = await objects.create('extras.relationship', [
    {
      key: 'bench_owner',
      label: 'Owner',
      type: 'one-to-many',
      source_type: 'tenancy.tenant',
      destination_type: 'dcim.device',
    },
    {
      key: 'bench_isp',
      label: 'ISPs',
      type: 'many-to-many',
      source_type: 'dcim.device',
      destination_type: 'circuits.provider',
    },
    {
      key: 'bench_peer',
      label: 'Peer',
      type: 'symmetric-many-to-many',
      source_type: 'dcim.device',
      destination_type: 'dcim.device',
    },
  ]);
  const assoc = [];
  devices.forEach((d, i) => {
    assoc.push({
      relationship: rels[0].id,
      source_type: 'tenancy.tenant',
      source_id: tenant.id,
      destination_type: 'dcim.device',
      destination_id: d.id,
    });
    assoc.push({
      relationship: rels[1].id,
      source_type: 'dcim.device',
      source_id: d.id,
      destination_type: 'circuits.provider',
      destination_id: providers[i % providers.length].id,
    });
    if (i % 2 === 0 && devices[i + 1])
      assoc.push({
        relationship: rels[2].id,
        source_type: 'dcim.device',
        source_id: d.id,
        destination_type: 'dcim.device',
        destination_id: devices[i + 1].id,
      });
  });
  for (let i = 0; i < assoc.length; i += 1000)
    await objects.create('extras.relationshipassociation', assoc.slice(i, i + 1000));
  if ((await objects.count('extras.configcontext')) === 0)
    await objects.create('extras.configcontext', [
      { name: 'bench-cd-global', weight: 100, data: { ntp: ['10.0.0.1'] } },
      {
        name: 'bench-cd-roles',
        weight: 200,
        roles: (await objects.find('extras.role', {}, { limit: 2 })).map((r) => r.id),
        data: { snmp: { community: 'x' } },
      },
    ]);
}

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  const list = '/api/dcim/devices/?limit=1000';
  const full = `${list}&include=config_context,relationships`;
  const show = (what, r) =>
    console.log(
      `${what.padEnd(62)} p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, ${r.last.queries} SQL, ${(r.last.bytes / 1024).toFixed(0)} KiB`,
    );
  // The bare list can only be measured before the custom data exists: on the first run.
  const fresh =
    (await bench.ds.query(`SELECT 1 FROM extras_customfield WHERE key LIKE 'bench_cd_%' LIMIT 1`)).length ===
    0;
  const bare = fresh ? await timeIt(() => get(bench, list), 9, 2) : null;
  if (bare) show('devices ?limit=1000, no custom data', bare);
  await ensureCustomData(bench);
  show('devices ?limit=1000, 10 custom fields with values', await timeIt(() => get(bench, list), 9, 2));
  const b = await timeIt(() => get(bench, full), 9, 2);
  show('  + 3 relationships, include=config_context,relationships', b);
  if (bare) console.log(`ratio to the bare list: p50 ${(b.p50 / bare.p50).toFixed(2)}x`);
  else console.log('(the bare list is measured on the first run, before the custom data is created)');
  for (const limit of [10, 100, 1000]) {
    const r = await get(bench, `/api/dcim/devices/?limit=${limit}&include=config_context,relationships`);
    console.log(`  limit=${limit}: ${r.queries} SQL statements`);
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
