import type { DataSource } from 'typeorm';
import { Counter, Gauge, Histogram, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import type { MetricDefinition, MetricSample, Registry } from '@plinth/plugin-sdk';
import type { MetricsSettings } from '../config/config';
import { sqlStatements } from '../database/database';
import type { EventOutbox } from '../events/outbox';
import type { ModelRegistry } from '../models/model-registry';
import type { QueueDriver } from '../queue/queue';
import type { QueueService } from '../queue/queue.service';

/** Object counts per model, kept for `ttlSeconds` (a scrape every 15 s must not count tables each time). */
class ObjectCounts {
  private cached: { at: number; counts: Map<string, number> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelRegistry,
    private readonly ttlSeconds: number,
  ) {}

  async get(): Promise<Map<string, number>> {
    if (this.cached && Date.now() - this.cached.at < this.ttlSeconds * 1000) return this.cached.counts;
    const models = this.models.all();
    const tables = models.map((m) => m.table);
    // The planner's estimate for big tables (exact counting scans them); exact counts for small
    // ones and for tables never analysed (reltuples -1).
    const estimates = (await this.dataSource.query(
      `SELECT c.relname AS t, c.reltuples::bigint AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE s.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY($1)`,
      [tables],
    )) as { t: string; n: number }[];
    const estimate = new Map(estimates.map((r) => [r.t, Number(r.n)]));
    const small = tables.filter((t) => estimate.has(t) && (estimate.get(t) ?? -1) < 100_000);
    const exact = new Map<string, number>();
    if (small.length) {
      const union = small.map(
        (t, i) => `SELECT ${i} AS i, count(*)::int AS n FROM "${t.replace(/"/g, '""')}"`,
      );
      const rows = (await this.dataSource.query(union.join(' UNION ALL '))) as { i: number; n: number }[];
      for (const r of rows) exact.set(small[r.i], r.n);
    }
    const counts = new Map<string, number>();
    for (const m of models) {
      const n = exact.get(m.table) ?? estimate.get(m.table);
      if (n !== undefined) counts.set(m.label, Math.max(0, n));
    }
    this.cached = { at: Date.now(), counts };
    return counts;
  }
}

export interface MetricsSources {
  dataSource: DataSource;
  models: ModelRegistry;
  queue: QueueDriver;
  jobs: QueueService;
  outbox: EventOutbox;
  /** Plugin metrics, with the contributing plugin's name. */
  plugins: Registry<MetricDefinition>;
  settings: MetricsSettings;
}

/** Plugin metric names: the plugin's name and an underscore first (`example_widget_events_total`). */
export function checkPluginMetricNames(plugins: Registry<MetricDefinition>): void {
  for (const { item, plugin } of plugins.entries()) {
    const name = (item as { name?: unknown }).name;
    if (
      typeof name !== 'string' ||
      !name.startsWith(`${plugin}_`) ||
      !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)
    )
      throw new Error(
        `plugin ${plugin}: metric ${String(name)} must be a Prometheus name starting with "${plugin}_"`,
      );
  }
}

/**
 * The Prometheus registry of one app: process/heap/event-loop (prom-client's defaults), HTTP
 * request durations per route template, SQL statements, jobs and queue depth, the event outbox,
 * object counts per model, and the enabled plugins' own metrics.
 */
export class PlinthMetrics {
  readonly registry = new PromRegistry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'plinth_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const reported: Record<string, number> = {};
    new Counter({
      name: 'plinth_sql_queries_total',
      help: 'SQL statements run by this process, by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const [kind, n] of Object.entries(sqlStatements)) {
          this.inc({ kind }, n - (reported[kind] ?? 0));
          reported[kind] = n;
        }
      },
    });
    const jobs = new Counter({
      name: 'plinth_jobs_total',
      help: 'Jobs run by this process, by job and outcome.',
      labelNames: ['job', 'outcome'],
      registers,
    });
    src.jobs.onOutcome = (job, outcome) => jobs.inc({ job, outcome });
    new Gauge({
      name: 'plinth_queue_depth',
      help: 'Jobs waiting in the queue (queued or delayed).',
      registers,
      // Read from the queue, the same in every server process of a host: counted once.
      aggregator: 'first',
      async collect() {
        this.set(await src.queue.depth());
      },
    });
    const events = new Counter({
      name: 'plinth_event_deliveries_total',
      help: 'Change events handed to event subscribers by this process, by subscriber and outcome (retry: failed, will be retried).',
      labelNames: ['subscriber', 'outcome'],
      registers,
    });
    src.outbox.onOutcome = (subscriber, outcome) => events.inc({ subscriber, outcome });
    new Gauge({
      name: 'plinth_event_outbox',
      help: 'Outbox rows by status: pending (waiting or retrying) and failed (given up).',
      labelNames: ['status'],
      registers,
      aggregator: 'first',
      async collect() {
        const depth = await src.outbox.depth();
        this.set({ status: 'pending' }, depth.pending);
        this.set({ status: 'failed' }, depth.failed);
      },
    });
    const counts = new ObjectCounts(src.dataSource, src.models, src.settings.objectCountTtlSeconds);
    new Gauge({
      name: 'plinth_objects',
      help: 'Objects per model (cached; estimates for very large tables).',
      labelNames: ['model'],
      registers,
      aggregator: 'first',
      async collect() {
        this.reset();
        for (const [model, n] of await counts.get()) this.set({ model }, n);
      },
    });
    new Gauge({
      name: 'plinth_server_processes',
      help: 'Server processes whose metrics this scrape adds up (PLINTH_WORKERS; one per process).',
      registers,
      collect() {
        this.set(1);
      },
    });
    this.plugins = src.plugins;
  }

  private readonly plugins: Registry<MetricDefinition>;
  private pluginsAttached = false;

  /**
   * Add the enabled plugins' metrics (once their contributions are instances, after bootstrap).
   * A badly named one stops start-up.
   */
  attachPlugins(): void {
    if (this.pluginsAttached) return;
    checkPluginMetricNames(this.plugins);
    for (const def of this.plugins.items()) this.addPluginMetric(def);
    this.pluginsAttached = true;
  }

  /** A plugin metric: read from the plugin's `collect` at each scrape (a failing one is left out). */
  private addPluginMetric(def: MetricDefinition): void {
    const labelNames = [...(def.labelNames ?? [])];
    const samples = async (): Promise<readonly MetricSample[]> => {
      try {
        return await def.collect();
      } catch (e) {
        process.stderr.write(`metric ${def.name}: collect failed: ${String(e)}\n`);
        return [];
      }
    };
    const common = {
      name: def.name,
      help: def.help,
      labelNames,
      registers: [this.registry],
      aggregator: def.aggregate ?? 'sum',
    };
    if (def.type === 'gauge') {
      new Gauge({
        ...common,
        async collect() {
          this.reset();
          for (const s of await samples()) this.set(s.labels ?? {}, s.value);
        },
      });
    } else {
      new Counter({
        ...common,
        async collect() {
          this.reset();
          for (const s of await samples()) this.inc(s.labels ?? {}, s.value);
        },
      });
    }
  }
}
