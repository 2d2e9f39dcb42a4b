// bench/leak: one server process's resident memory over 10,000 mixed requests after warm-up
// (REST lists and filters, GraphQL, the web UI, status). RSS is sampled every 100 requests and
// each 1,000 reported by the median of its samples (single samples swing with garbage
// collection); prints the idle RSS after start, each window and the largest change from the
// warmed-up baseline, the median of the warm-up's last 500 requests (the aim: flat within ±10%).
// Usage: npm run build && node bench/leak.js   (BENCH_DATABASE_URL=postgres://... for PostgreSQL;
// BENCH_REQUESTS, default 10000; BENCH_CLIENTS, default 8)
'use strict';
const { openBench, describeDataset, spawnServer } = require('./lib');

const REQUESTS = Number(process.env.BENCH_REQUESTS || 10_000);
const WARMUP = 1_000;
const SAMPLE_EVERY = 100;
const WINDOW = 1_000;
const CLIENTS = Number(process.env.BENCH_CLIENTS || 8);

/** The i-th request of the mix. */
function request(i) {
  const offset = (i * 37) % 5000;
  const mix = [
    { path: `/api/dcim/devices/?limit=50&offset=${offset}` },
    { path: `/api/dcim/interfaces/?limit=100&offset=${offset * 10}` },
    { path: `/api/dcim/devices/?limit=20&q=${offset % 100}&status=Active` },
    { path: `/api/ipam/ip-addresses/?limit=50&offset=${offset}` },
    { path: '/api/status/' },
    {
      path: '/api/graphql/',
      body: { query: `{ devices(limit: 20, offset: ${offset}) { name interfaces { name } } }` },
    },
    { path: `/dcim/devices/?per_page=50&page=${1 + (offset % 50)}` },
  ];
  return mix[i % mix.length];
}

/**
 * The server's memory by kind, MiB, from its /metrics: the JavaScript heap in use and committed
 * (RSS also holds freed, unreturned pages) and memory outside the heap (buffers).
 */
async function memoryMiB(server) {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Token ${server.token}` } });
  const text = await res.text();
  const metric = (name) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) / 1048576 : NaN;
  };
  const spaces = {};
  for (const m of text.matchAll(/^nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\S+)$/gm))
    spaces[m[1]] = Number(m[2]) / 1048576;
  return {
    spaces,
    used: metric('nodejs_heap_size_used_bytes'),
    total: metric('nodejs_heap_size_total_bytes'),
    external: metric('nodejs_external_memory_bytes'),
  };
}

async function run(server, from, to, onSample) {
  let next = from;
  let errors = 0;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= to) return;
      const r = request(i);
      const res = await fetch(server.url + r.path, {
        method: r.body ? 'POST' : 'GET',
        headers: { Authorization: `Token ${server.token}`, 'Content-Type': 'application/json' },
        body: r.body ? JSON.stringify(r.body) : undefined,
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      if ((i + 1) % SAMPLE_EVERY === 0) onSample(i + 1);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return errors;
}

async function main() {
  const bench = await openBench();
  await describeDataset(bench);
  await bench.app.close();
  const server = await spawnServer({ PLINTH_WORKERS: '1' });
  try {
    console.log(
      `started in ${(server.startedMs / 1000).toFixed(1)} s, idle RSS ${server.rssMiB().toFixed(0)} MiB`,
    );
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const warm = [];
    const warmErrors = await run(server, 0, WARMUP, (n) => {
      if (n > WARMUP / 2) warm.push(server.rssMiB());
    });
    const baseline = median(warm);
    console.log(`after ${WARMUP} warm-up requests (${warmErrors} errors): RSS ${baseline.toFixed(0)} MiB`);
    let worst = 0;
    let window = [];
    const heaps = [];
    const errors = await run(server, WARMUP, WARMUP + REQUESTS, (n) => {
      window.push(server.rssMiB());
      if ((n - WARMUP) % WINDOW !== 0) return;
      heaps.push(memoryMiB(server));
      const rss = median(window);
      const range = `${Math.min(...window).toFixed(0)}-${Math.max(...window).toFixed(0)}`;
      window = [];
      const change = ((rss - baseline) / baseline) * 100;
      if (Math.abs(change) > Math.abs(worst)) worst = change;
      console.log(
        `  ${String(n - WARMUP).padStart(6)} requests: RSS median ${rss.toFixed(0)} MiB (${change >= 0 ? '+' : ''}${change.toFixed(1)}%; samples ${range} MiB)`,
      );
    });
    const memory = await Promise.all(heaps);
    const now = await memoryMiB(server);
    for (const [kind, label] of [
      ['used', 'JS heap in use'],
      ['total', 'JS heap committed'],
      ['external', 'outside the heap'],
    ])
      console.log(
        `${label} at each 1,000 (MiB): ${memory.map((m) => m[kind].toFixed(0)).join(', ')}; now ${now[kind].toFixed(0)}`,
      );
    const bySpace = (m) =>
      Object.entries(m.spaces)
        .filter(([, v]) => v >= 1)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ');
    console.log(`JS heap committed by space (MiB): first window ${bySpace(memory[0])}; now ${bySpace(now)}`);
    console.log(
      `${REQUESTS} mixed requests (${errors} errors): largest RSS change ${worst >= 0 ? '+' : ''}${worst.toFixed(1)}% of the warmed-up ${baseline.toFixed(0)} MiB (${Math.abs(worst) <= 10 ? 'flat within ±10%' : 'NOT flat within ±10%'})`,
    );
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
