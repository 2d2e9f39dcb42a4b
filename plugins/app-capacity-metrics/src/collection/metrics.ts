import { Inject, Injectable, type Type } from '@nestjs/common';
import type { MetricDefinition, MetricSample } from '@plinth/plugin-sdk';
import { CapacitySnapshots, type CapacitySeries, type CapacitySnapshot, type Usage } from './snapshot';

/** One metric of the app: its Prometheus description and how its samples come from a computation. */
export interface CapacityMetricSpec {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
  /** How the values of several server processes combine (see `MetricDefinition.aggregate`). */
  aggregate: NonNullable<MetricDefinition['aggregate']>;
  samples(snapshot: CapacitySnapshot, snapshots: CapacitySnapshots): readonly MetricSample[];
}

const ratio = (u: Usage): MetricSample => ({ labels: u.labels, value: u.size === 0 ? 0 : u.value / u.size });

/** The three metrics of a used/size pair: used, size and their ratio (the `other` series too). */
function usageMetrics(
  prefix: string,
  what: string,
  unit: string,
  labelNames: readonly string[],
  pick: (s: CapacitySeries) => Usage[],
  /** The unit in help texts. */
  unitText = unit,
): CapacityMetricSpec[] {
  const common = { type: 'gauge' as const, labelNames, aggregate: 'first' as const };
  return [
    {
      ...common,
      name: `capacity_metrics_${prefix}_used_${unit}`,
      help: `Used ${unitText} of ${what}.`,
      samples: (s) => pick(s.series).map((u) => ({ labels: u.labels, value: u.value })),
    },
    {
      ...common,
      name: `capacity_metrics_${prefix}_size_${unit}`,
      help: `Total ${unitText} of ${what}.`,
      samples: (s) => pick(s.series).map((u) => ({ labels: u.labels, value: u.size })),
    },
    {
      ...common,
      name: `capacity_metrics_${prefix}_utilization_ratio`,
      help: `Used over total ${unitText} of ${what} (0 to 1).`,
      samples: (s) => pick(s.series).map(ratio),
    },
  ];
}

const counts = (
  name: string,
  help: string,
  labelNames: readonly string[],
  pick: (s: CapacitySeries) => MetricSample[],
): CapacityMetricSpec => ({
  name: `capacity_metrics_${name}`,
  help,
  type: 'gauge',
  labelNames,
  aggregate: 'first',
  samples: (s) => pick(s.series),
});

/** Every metric the app contributes (the README's table lists them in this order). */
export const CAPACITY_METRICS: readonly CapacityMetricSpec[] = [
  counts(
    'devices',
    'Devices by location, status and role.',
    ['location', 'status', 'role'],
    (s) => s.devices,
  ),
  counts(
    'interfaces',
    'Device interfaces by type, status and whether a cable is attached (connected="true").',
    ['type', 'status', 'connected'],
    (s) => s.interfaces,
  ),
  ...usageMetrics(
    'prefix',
    'a container or network prefix (child prefixes of containers, IP addresses and pools of networks)',
    'addresses',
    ['namespace', 'prefix', 'type'],
    (s) => s.prefixes,
  ),
  ...usageMetrics(
    'namespace',
    "a namespace's top-level container and network prefixes",
    'addresses',
    ['namespace'],
    (s) => s.namespacePrefixes,
  ),
  ...usageMetrics(
    'vlan_group',
    'a VLAN group (VLAN IDs 1-4094)',
    'vlans',
    ['vlan_group'],
    (s) => s.vlanGroups,
    'VLANs',
  ),
  counts('ip_addresses', 'IP addresses by namespace.', ['namespace'], (s) => s.ipAddresses),
  counts('job_results', 'Job results by job and status.', ['job', 'status'], (s) => s.jobResults),
  counts(
    'webhook_deliveries',
    'Webhook deliveries in the delivery log by webhook and status.',
    ['webhook', 'status'],
    (s) => s.webhookDeliveries,
  ),
  {
    name: 'capacity_metrics_last_computed_timestamp_seconds',
    help: 'When the capacity metrics were last computed (Unix time; cached for cache_ttl_seconds).',
    type: 'gauge',
    labelNames: [],
    aggregate: 'max',
    samples: (s) => [{ value: s.computed_at.getTime() / 1000 }],
  },
  {
    name: 'capacity_metrics_computation_duration_seconds',
    help: 'How long the last computation of the capacity metrics took.',
    type: 'gauge',
    labelNames: [],
    aggregate: 'max',
    samples: (s) => [{ value: s.duration_seconds }],
  },
  {
    name: 'capacity_metrics_computation_sql_queries',
    help: 'SQL statements the last computation of the capacity metrics ran.',
    type: 'gauge',
    labelNames: [],
    aggregate: 'max',
    samples: (s) => [{ value: s.queries }],
  },
  {
    name: 'capacity_metrics_computations_total',
    help: 'Computations of the capacity metrics run by this process (scrapes within the TTL run none).',
    type: 'counter',
    labelNames: [],
    aggregate: 'sum',
    samples: (_s, snapshots) => [{ value: snapshots.computations }],
  },
];

/** A Nest provider per metric (contributions are instances built by Nest, with the snapshot service). */
function metricProvider(spec: CapacityMetricSpec): Type<MetricDefinition> {
  @Injectable()
  class CapacityMetric implements MetricDefinition {
    readonly name = spec.name;
    readonly help = spec.help;
    readonly type = spec.type;
    readonly labelNames = spec.labelNames;
    readonly aggregate = spec.aggregate;

    constructor(@Inject(CapacitySnapshots) private readonly snapshots: CapacitySnapshots) {}

    async collect() {
      return spec.samples(await this.snapshots.current(), this.snapshots);
    }
  }
  Object.defineProperty(CapacityMetric, 'name', { value: `CapacityMetric_${spec.name}` });
  return CapacityMetric;
}

export const CAPACITY_METRIC_PROVIDERS: readonly Type<MetricDefinition>[] =
  CAPACITY_METRICS.map(metricProvider);
