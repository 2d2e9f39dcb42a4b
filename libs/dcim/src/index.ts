import { Module } from '@nestjs/common';
import { Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { dcimNavigation } from './navigation';
import { DcimInitial1795317715448 } from './migrations/1795317715448-DcimInitial';
import { InterfaceTaggedVlan } from './entities/devices';
import { DCIM_MODELS } from './models';
import { DCIM_UI_CONTRIBUTIONS, DCIM_UI_PROVIDERS } from './ui';

export * from './choices';
export * from './component-choices';
export * from './entities/locations';
export * from './entities/device-types';
export * from './entities/devices';
export * from './models';
export { naturalize } from './naturalize';
export * from './ui';

@Module({ providers: DCIM_UI_PROVIDERS })
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
  contributions: [contribute(Navigation, ...dcimNavigation), ...DCIM_UI_CONTRIBUTIONS],
});
