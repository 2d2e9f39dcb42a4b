import { Module } from '@nestjs/common';
import {
  CORE_NAV_TABS,
  CliCommands,
  HealthChecks,
  Navigation,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { healthcheckCommand } from './cli';
import { DatabaseCheck } from './checks/database';
import { DiskCheck } from './checks/disk';
import { MigrationsCheck } from './checks/migrations';
import { QueueCheck } from './checks/queue';
import { RedisCheck } from './checks/redis';
import { HealthController } from './http/health.controller';
import { HealthcheckInitial1796643178613 } from './migrations/1796643178613-HealthcheckInitial';
import { HealthProbe } from './probe.entity';
import { HealthRunner } from './runner';
import { healthcheckSettings } from './settings';

export { HealthRunner, type CheckOutcome, type HealthReport } from './runner';
export { healthcheckSettings, type HealthcheckSettings, BUILTIN_CHECKS } from './settings';

const CHECKS = [DatabaseCheck, RedisCheck, QueueCheck, MigrationsCheck, DiskCheck];

@Module({
  controllers: [HealthController],
  providers: [HealthRunner, ...CHECKS],
})
export class HealthcheckModule {}

export default definePlugin({
  name: 'healthcheck',
  verbose_name: 'Health checks',
  version: '1.0.0',
  description:
    'Health checks at /plugins/healthcheck/ (JSON and HTML): database read and write, Redis, job queue and workers, pending migrations, disk space; other plugins add their own through HealthChecks.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'healthcheck',
  min_version: '0.1.0',
  max_version: '0.9',
  settings: healthcheckSettings,
  module: HealthcheckModule,
  entities: [HealthProbe],
  migrations: [HealthcheckInitial1796643178613],
  contributions: [
    // The app's own checks go through the same registry as every other plugin's.
    contribute(HealthChecks, ...CHECKS),
    contribute(CliCommands, healthcheckCommand),
    contribute(Navigation, {
      name: 'Plugins',
      weight: CORE_NAV_TABS.Plugins,
      groups: [{ name: 'Health', items: [{ label: 'Health checks', link: '/plugins/healthcheck/' }] }],
    }),
  ],
});
