// bench/rest-list: REST list pages on the large demo dataset, each side by side with its raw-SQL
// limit (the same rows fetched by one hand-written query and serialised with JSON.stringify):
//   devices ?limit=1000                 vs  SELECT ... ORDER BY _name, id LIMIT 1000
//   interfaces ?limit=1000              vs  the same page + the same exact count(*)
//   interfaces ?offset=250000&limit=50  vs  the cursor page at the same depth  vs  raw keyset SQL
//   interfaces ?limit=1000 revalidated  (If-None-Match of the page's own ETag: 304)
//   interfaces as CSV, rows 200,001-250,000 (one run)
// Usage: npm run build && node bench/rest-list.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL)
'use strict';
const { performance } = require('node:perf_hooks');
const { openBench, describeDataset, get, timeIt, fmt } = require('./lib');

const DEPTH = 250000;

function line(name, api, raw, extra = '') {
  console.log(
    `${name.padEnd(34)} REST p50 ${fmt(api.p50).padStart(9)}, p95 ${fmt(api.p95).padStart(9)}, ${api.last.queries} SQL` +
      (raw
        ? ` | raw SQL+JSON p50 ${fmt(raw.p50).padStart(9)}, p95 ${fmt(raw.p95).padStart(9)} | ratio p50 ${(api.p50 / raw.p50).toFixed(2)}x`
        : '') +
      extra,
  );
}

/** Follows `next` links in cursor mode from the first page until `depth` rows are behind. */
async function cursorAtDepth(bench, depth) {
  const t0 = performance.now();
  let path = '/api/dcim/interfaces/?cursor=&limit=1000';
  for (let seen = 0; seen < depth; seen += 1000) {
    let page;
    try {
      page = JSON.parse((await get(bench, path)).body);
    } catch {
      return null; // no cursor paging (before)
    }
    if (!page.next || !page.next.includes('cursor=')) return null; // no cursor paging (before)
    path = page.next.slice(bench.url.length);
  }
  const ms = performance.now() - t0;
  console.log(`walking ${depth} interfaces by cursor, 1000 a page: ${(ms / 1000).toFixed(1)} s`);
  return path.replace('limit=1000', 'limit=50');
}

async function main() {
  const bench = await openBench();
  const counts = await describeDataset(bench);
  const q = (text, values) => bench.ds.query(text, values);

  const devices = await timeIt(() => get(bench, '/api/dcim/devices/?limit=1000'));
  const devicesRaw = await timeIt(async () =>
    JSON.stringify(await q('SELECT * FROM dcim_device ORDER BY _name, id LIMIT 1000')),
  );
  line('devices ?limit=1000', devices, devicesRaw);

  const interfaces = await timeIt(() => get(bench, '/api/dcim/interfaces/?limit=1000'));
  const interfacesRaw = await timeIt(async () => {
    const [rows, [n]] = await Promise.all([
      q('SELECT * FROM dcim_interface ORDER BY device_id, _name, id LIMIT 1000'),
      q('SELECT count(*) AS n FROM dcim_interface'),
    ]);
    return JSON.stringify({ count: Number(n.n), results: rows });
  });
  line('interfaces ?limit=1000', interfaces, interfacesRaw, ' (raw includes the count)');

  if (counts.interfaces > DEPTH + 50) {
    const deep = await timeIt(() => get(bench, `/api/dcim/interfaces/?offset=${DEPTH}&limit=50`), 7, 1);
    const offsetRaw = await timeIt(
      async () =>
        JSON.stringify(
          await q(`SELECT * FROM dcim_interface ORDER BY device_id, _name, id LIMIT 50 OFFSET ${DEPTH}`),
        ),
      7,
      1,
    );
    line(`interfaces ?offset=${DEPTH}&limit=50`, deep, offsetRaw, ' (raw: OFFSET)');
    const [last] = await q(
      `SELECT device_id, _name, id FROM dcim_interface ORDER BY device_id, _name, id LIMIT 1 OFFSET ${DEPTH - 1}`,
    );
    const keysetRaw = await timeIt(async () =>
      JSON.stringify(
        await q(
          'SELECT * FROM dcim_interface WHERE (device_id, _name, id) > ($1, $2, $3) ORDER BY device_id, _name, id LIMIT 50',
          [last.device_id, last._name, last.id],
        ),
      ),
    );
    const cursorPath = await cursorAtDepth(bench, DEPTH);
    if (cursorPath) {
      const cursor = await timeIt(() => get(bench, cursorPath));
      const first = JSON.parse(cursor.last.body).results[0];
      const same =
        first && first.id === JSON.parse(deep.last.body).results[0].id ? 'same rows' : 'DIFFERENT rows';
      line(`interfaces cursor at ${DEPTH}, limit=50`, cursor, keysetRaw, ` (raw: keyset; ${same} as offset)`);
      const page1 = await timeIt(() => get(bench, '/api/dcim/interfaces/?cursor=&limit=50'));
      line('interfaces cursor page 1, limit=50', page1, null);
    } else {
      console.log(
        `interfaces cursor at ${DEPTH}: no cursor paging | raw keyset SQL+JSON p50 ${fmt(keysetRaw.p50)}`,
      );
    }
  }

  if (counts.interfaces > DEPTH) {
    // CSV exports read 1,000 rows at a time: by offset before keyset paging, by cursor after.
    const t0 = performance.now();
    const csv = await fetch(`${bench.url}/api/dcim/interfaces/?format=csv&offset=200000&limit=50000`, {
      headers: { Authorization: `Token ${bench.token}` },
    });
    const rows = (await csv.text()).trim().split('\n').length - 1;
    console.log(
      `interfaces CSV rows 200,001-250,000: ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (one run)`,
    );
  }

  const page = await get(bench, '/api/dcim/interfaces/?limit=1000');
  const tag = (
    await fetch(`${bench.url}/api/dcim/interfaces/?limit=1000`, {
      headers: { Authorization: `Token ${bench.token}` },
    })
  ).headers.get('etag');
  if (tag) {
    const revalidate = await timeIt(async () => {
      const t0 = performance.now();
      const res = await fetch(`${bench.url}/api/dcim/interfaces/?limit=1000`, {
        // fetch adds `Cache-Control: no-cache` to conditional requests unless one is given.
        headers: {
          Authorization: `Token ${bench.token}`,
          'If-None-Match': tag,
          'Cache-Control': 'max-age=0',
        },
      });
      await res.text();
      return {
        ms: performance.now() - t0,
        status: res.status,
        queries: Number(res.headers.get('x-sql-queries')),
      };
    });
    line(
      `interfaces ?limit=1000 If-None-Match`,
      revalidate,
      null,
      ` -> ${revalidate.last.status} (${(page.bytes / 1024).toFixed(0)} KiB unsent)`,
    );
  }
  await bench.app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
