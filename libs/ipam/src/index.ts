import { Module } from '@nestjs/common';
import { Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { ipamNavigation } from './navigation';
import { IpamInitial1795317736185 } from './migrations/1795317736185-IpamInitial';
import { IPAM_MODELS } from './models';

export * from './entities';
export * from './models';

@Module({})
export class IpamModule {}

export default definePlugin({
  name: 'ipam',
  verbose_name: 'IPAM',
  version: '0.1.0',
  description: 'Namespaces, RIRs, VRFs and route targets, prefixes, IP addresses, VLANs and services.',
  dependsOn: ['extras', 'tenancy', 'dcim'],
  module: IpamModule,
  models: IPAM_MODELS,
  migrations: [IpamInitial1795317736185],
  contributions: [contribute(Navigation, ipamNavigation)],
});
