import { Module } from '@nestjs/common';
import { Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { dcimNavigation } from './navigation';
import { DcimInitial1795317715448 } from './migrations/1795317715448-DcimInitial';
import { InterfaceTaggedVlan } from './entities/devices';
import { DCIM_MODELS } from './models';

export * from './choices';
export * from './component-choices';
export * from './entities/locations';
export * from './entities/device-types';
export * from './entities/devices';
export * from './models';
export { naturalize } from './naturalize';

@Module({})
export class DcimModule {}

export default definePlugin({
  name: 'dcim',
  verbose_name: 'DCIM',
  version: '0.1.0',
  description: 'Locations, racks, device types, devices, their components and cables.',
  dependsOn: ['extras', 'tenancy'],
  module: DcimModule,
  models: DCIM_MODELS,
  entities: [InterfaceTaggedVlan],
  migrations: [DcimInitial1795317715448],
  contributions: [contribute(Navigation, ...dcimNavigation)],
});
