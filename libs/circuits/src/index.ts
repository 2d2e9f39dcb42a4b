import { Module } from '@nestjs/common';
import { Navigation, TemplateExtensions, contribute, definePlugin } from '@plinth/plugin-sdk';
import { circuitsNavigation } from './navigation';
import { CircuitsInitial1795317754837 } from './migrations/1795317754837-CircuitsInitial';
import { CircuitsCustomFieldIndexes1796620012418 } from './migrations/1796620012418-CircuitsCustomFieldIndexes';
import { CIRCUITS_MODELS } from './models';
import { circuitTerminations } from './ui/circuit-ui';
import { CircuitTerminationTraceController } from './trace.controller';
import { TraceService } from '@plinth/dcim';

export * from './entities';
export * from './models';
export * from './rules';

@Module({
  controllers: [CircuitTerminationTraceController],
  providers: [TraceService],
})
export class CircuitsModule {}

export default definePlugin({
  name: 'circuits',
  verbose_name: 'Circuits',
  version: '0.2.0',
  description: 'Providers, provider networks, circuit types, circuits and circuit terminations.',
  dependsOn: ['extras', 'tenancy', 'dcim'],
  module: CircuitsModule,
  models: CIRCUITS_MODELS,
  migrations: [CircuitsInitial1795317754837, CircuitsCustomFieldIndexes1796620012418],
  contributions: [
    contribute(Navigation, circuitsNavigation),
    contribute(TemplateExtensions, circuitTerminations),
  ],
});
