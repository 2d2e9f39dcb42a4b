import { Module } from '@nestjs/common';
import { Metrics, Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { CAPACITY_METRIC_PROVIDERS } from './collection/metrics';
import { CapacitySnapshots } from './collection/snapshot';
import { capacityMetricsSettings } from './settings';
import { CapacityMetricsPageController, capacityNavigation } from './ui/page';

export { CAPACITY_METRICS } from './collection/metrics';
export { CapacitySnapshots } from './collection/snapshot';

@Module({
  controllers: [CapacityMetricsPageController],
  providers: [CapacitySnapshots, ...CAPACITY_METRIC_PROVIDERS],
})
export class CapacityMetricsModule {}

export default definePlugin({
  name: 'capacity_metrics',
  verbose_name: 'Capacity Metrics',
  version: '1.0.0',
  description:
    'Prometheus metrics from the source of truth: devices, interfaces, prefix and VLAN-group utilization, IP addresses, job results and webhook deliveries, computed in SQL and cached.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'capacity-metrics',
  min_version: '0.1.0',
  dependsOn: ['extras', 'dcim', 'ipam'],
  settings: capacityMetricsSettings,
  module: CapacityMetricsModule,
  contributions: [
    contribute(Metrics, ...CAPACITY_METRIC_PROVIDERS),
    contribute(Navigation, ...capacityNavigation),
  ],
});
