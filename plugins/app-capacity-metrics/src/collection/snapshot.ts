import { Injectable } from '@nestjs/common';
import {
  InjectSql,
  RequestContext,
  boundSeries,
  type MetricSample,
  type Sql,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { capacityMetricsSettings, type CapacityMetricsSettings } from '../settings';
import * as q from './queries';

/** VLAN IDs a VLAN group can hold: groups have no range of their own here, so the whole 1-4094. */
export const VLAN_GROUP_SIZE = 4094;

/** Used and total addresses (or VLANs) of one series, and their ratio. */
export interface Usage extends MetricSample {
  /** `value` is the used count. */
  size: number;
}

/** Every metric's series of one computation, already bounded to `max_series`. */
export interface CapacitySeries {
  devices: MetricSample[];
  interfaces: MetricSample[];
  prefixes: Usage[];
  namespacePrefixes: Usage[];
  vlanGroups: Usage[];
  ipAddresses: MetricSample[];
  jobResults: MetricSample[];
  webhookDeliveries: MetricSample[];
}

export interface CapacitySnapshot {
  series: CapacitySeries;
  /** When the computation finished. */
  computed_at: Date;
  duration_seconds: number;
  /** SQL statements the computation ran. */
  queries: number;
  /** The request (scrape) it was computed for. */
  request_id?: string;
}

const sumUsage = (rest: readonly Usage[], labels: Readonly<Record<string, string>>): Usage => ({
  labels,
  value: rest.reduce((n, r) => n + r.value, 0),
  size: rest.reduce((n, r) => n + r.size, 0),
});

/**
 * Computes every metric in one pass of aggregate queries and keeps the result for
 * `cache_ttl_seconds`; concurrent scrapes share one computation. Per process: with several
 * server processes each keeps its own (the metrics are declared `first`/`max`, so a scrape
 * reports one value).
 */
@Injectable()
export class CapacitySnapshots {
  private cached: CapacitySnapshot | null = null;
  private running: Promise<CapacitySnapshot> | null = null;
  /** Computations this process ran (each scrape past the TTL runs one). */
  computations = 0;

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @capacityMetricsSettings.inject() readonly settings: CapacityMetricsSettings,
  ) {}

  /** The last computation, without computing (null before the first scrape). */
  last(): CapacitySnapshot | null {
    return this.cached;
  }

  /** The cached computation while it is younger than the TTL, else a new one. */
  current(): Promise<CapacitySnapshot> {
    const c = this.cached;
    const request = RequestContext.current()?.request_id;
    // Every metric of one scrape reads the same computation, even with TTL 0 and whatever order
    // the registry collects them in.
    if (
      c &&
      ((request !== undefined && c.request_id === request) ||
        Date.now() - c.computed_at.getTime() < this.settings.cache_ttl_seconds * 1000)
    )
      return Promise.resolve(c);
    this.running ??= this.compute().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async compute(): Promise<CapacitySnapshot> {
    const started = process.hrtime.bigint();
    let queries = 0;
    const db: SqlRunner = {
      query: <R extends Record<string, unknown>>(s: Sql) => {
        queries++;
        return this.db.query<R>(s);
      },
      one: <R extends Record<string, unknown>>(s: Sql) => {
        queries++;
        return this.db.one<R>(s);
      },
    };
    const { max_series: max } = this.settings;
    // One statement after the other: a scrape holds at most one pooled connection, leaving the
    // rest to requests.
    const devices = await q.devicesByLocationStatusRole(db);
    const interfaces = await q.interfacesByTypeStatusCable(db);
    const prefixes = await q.prefixUsage(db, {
      ipv4: this.settings.prefix_max_length_ipv4,
      ipv6: this.settings.prefix_max_length_ipv6,
    });
    const vlans = await q.vlansByGroup(db);
    const ips = await q.ipAddressesByNamespace(db);
    const jobs = await q.jobResultsByJobStatus(db);
    const deliveries = await q.webhookDeliveriesByWebhookStatus(db);
    const usage = prefixes.map((p) => ({ row: p, usage: usedAndSize(p) }));
    const byNamespace = new Map<string, Usage>();
    for (const { row, usage: u } of usage) {
      if (!row.top) continue;
      const sum = byNamespace.get(row.namespace) ?? {
        labels: { namespace: row.namespace },
        value: 0,
        size: 0,
      };
      sum.value += u.value;
      sum.size += u.size;
      byNamespace.set(row.namespace, sum);
    }
    const series: CapacitySeries = {
      devices: boundSeries(
        devices.map((r) => ({
          labels: { location: r.location, status: r.status, role: r.role },
          value: r.n,
        })),
        max,
        { labelNames: ['location', 'status', 'role'] },
      ),
      interfaces: boundSeries(
        interfaces.map((r) => ({
          labels: { type: r.type, status: r.status, connected: String(r.connected) },
          value: r.n,
        })),
        max,
        { labelNames: ['type', 'status', 'connected'] },
      ),
      // Ranked by size: the largest prefixes keep their own series.
      prefixes: boundSeries(
        usage
          .filter((p) => p.row.listed)
          .map(({ row, usage: u }) => ({
            ...u,
            labels: { namespace: row.namespace, prefix: row.prefix, type: row.type },
          })),
        max,
        { labelNames: ['namespace', 'prefix', 'type'], rank: (r) => r.size, merge: sumUsage },
      ),
      namespacePrefixes: boundSeries([...byNamespace.values()], max, {
        labelNames: ['namespace'],
        rank: (r) => r.size,
        merge: sumUsage,
      }),
      vlanGroups: boundSeries(
        vlans.map((r) => ({ labels: { vlan_group: r.vlan_group }, value: r.n, size: VLAN_GROUP_SIZE })),
        max,
        { labelNames: ['vlan_group'], merge: sumUsage },
      ),
      ipAddresses: boundSeries(
        ips.map((r) => ({ labels: { namespace: r.namespace }, value: r.n })),
        max,
        { labelNames: ['namespace'] },
      ),
      jobResults: boundSeries(
        jobs.map((r) => ({ labels: { job: r.job, status: r.status }, value: r.n })),
        max,
        { labelNames: ['job', 'status'] },
      ),
      webhookDeliveries: boundSeries(
        deliveries.map((r) => ({ labels: { webhook: r.webhook, status: r.status }, value: r.n })),
        max,
        { labelNames: ['webhook', 'status'] },
      ),
    };
    this.computations++;
    this.cached = {
      series,
      request_id: RequestContext.current()?.request_id,
      computed_at: new Date(),
      duration_seconds: Number(process.hrtime.bigint() - started) / 1e9,
      queries,
    };
    return this.cached;
  }
}

/**
 * A prefix's used and total addresses; an IPv4 network wider than /31 whose network and
 * broadcast addresses are both unused does not count them (Nautobot's rule).
 */
export function usedAndSize(p: q.PrefixUsageRow): { value: number; size: number } {
  let size = Number(p.size);
  if (p.type === 'network' && p.family === 4 && size > 2 && !p.edge_used) size -= 2;
  return { value: Number(p.used), size };
}
