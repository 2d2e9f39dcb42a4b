'use strict';
const { PerformanceObserver } = require('node:perf_hooks');
const { openBench, get, timeIt, fmt } = require('./lib');
(async () => {
  const bench = await openBench();
  const q = (t) => bench.ds.query(t);
  let gc = 0; new PerformanceObserver((l) => { for (const e of l.getEntries()) gc += e.duration; }).observe({ entryTypes: ['gc'] });
  const cpu = async (fn, n) => { for (let i = 0; i < 3; i++) await fn(); const g0 = gc; const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) await fn(); const c = process.cpuUsage(c0); return [((c.user + c.system) / 1000 / n).toFixed(1), ((gc - g0) / n).toFixed(1)]; };
  for (let r = 0; r < 3; r++) {
    const a = await cpu(() => get(bench, '/api/dcim/devices/?limit=1000'), 30);
    const raw = await cpu(async () => JSON.stringify(await q('SELECT * FROM dcim_device ORDER BY _name, id LIMIT 1000')), 30);
    console.log('cpu/req api', a[0], 'gc', a[1], '| raw', raw[0], 'gc', raw[1], '| ratio', (a[0] / raw[0]).toFixed(2));
  }
  if (process.env.PROF) {
    const { Session } = require('node:inspector/promises');
    const s = new Session(); s.connect();
    await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 100 }); await s.post('Profiler.start');
    for (let i = 0; i < 40; i++) await get(bench, '/api/dcim/devices/?limit=1000');
    const { profile } = await s.post('Profiler.stop');
    require('fs').writeFileSync('/tmp/devices.cpuprofile', JSON.stringify(profile));
  }
  await bench.app.close();
  process.exit(0);
})();
