import { AggregatorRegistry } from 'prom-client';
import type { MetricDefinition } from '@plinth/plugin-sdk';
import { PlinthMetrics, type MetricsSources } from './metrics';

/** One server process's metrics, on fakes of the database, queue and outbox. */
function processMetrics(plugin: MetricDefinition): PlinthMetrics {
  const sources = {
    dataSource: {
      query: (text: string) =>
        Promise.resolve(text.includes('pg_class') ? [{ t: 'dcim_device', n: 5 }] : [{ i: 0, n: 5 }]),
    },
    models: { all: () => [{ table: 'dcim_device', label: 'dcim.device' }] },
    queue: { depth: () => Promise.resolve(3) },
    jobs: {},
    outbox: { depth: () => Promise.resolve({ pending: 1, failed: 0 }) },
    plugins: {
      entries: () => [{ item: plugin, plugin: 'example' }],
      items: () => [plugin],
    },
    settings: { enabled: true, allowedIps: [], objectCountTtlSeconds: 60 },
  } as unknown as MetricsSources;
  const metrics = new PlinthMetrics(sources);
  metrics.attachPlugins();
  return metrics;
}

describe('host metrics of several server processes', () => {
  it('adds up what each process counts and takes numbers read from the database once', async () => {
    const plugin = (value: number, aggregate?: MetricDefinition['aggregate']): MetricDefinition => ({
      name: 'example_rows',
      help: 'rows',
      type: 'gauge',
      aggregate,
      collect: () => [{ value }],
    });
    const a = processMetrics(plugin(7, 'first'));
    const b = processMetrics(plugin(7, 'first'));
    a.httpDuration.observe({ method: 'GET', route: '/api/status', status: '200' }, 0.01);
    b.httpDuration.observe({ method: 'GET', route: '/api/status', status: '200' }, 0.01);
    b.httpDuration.observe({ method: 'GET', route: '/api/status', status: '200' }, 0.01);

    const host = await AggregatorRegistry.aggregate([
      await a.registry.getMetricsAsJSON(),
      await b.registry.getMetricsAsJSON(),
    ]).metrics();

    expect(host).toMatch(/^plinth_server_processes 2$/m);
    expect(host).toMatch(
      /^plinth_http_request_duration_seconds_count\{method="GET",route="\/api\/status",status="200"\} 3$/m,
    );
    expect(host).toMatch(/^plinth_objects\{model="dcim.device"\} 5$/m);
    expect(host).toMatch(/^plinth_queue_depth 3$/m);
    expect(host).toMatch(/^plinth_event_outbox\{status="pending"\} 1$/m);
    expect(host).toMatch(/^example_rows 7$/m);
    expect(host).not.toMatch(/^process_start_time_seconds/m);
  });

  it('sums plugin metrics by default', async () => {
    const counter: MetricDefinition = {
      name: 'example_seen_total',
      help: 'seen',
      type: 'counter',
      collect: () => [{ value: 2 }],
    };
    const host = await AggregatorRegistry.aggregate([
      await processMetrics(counter).registry.getMetricsAsJSON(),
      await processMetrics(counter).registry.getMetricsAsJSON(),
    ]).metrics();
    expect(host).toMatch(/^example_seen_total 4$/m);
  });
});
