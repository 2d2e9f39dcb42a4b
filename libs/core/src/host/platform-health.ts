import type { DataSource } from 'typeorm';
import type { PlatformHealth, QueueHealth } from '@plinth/plugin-sdk';
import { pendingMigrations } from '../database/migrations';
import type { QueueDriver } from '../queue/queue';
import { migrationSets, type PlinthContext } from '../app/context';

/** The platform's own state for health checks (SDK `PLATFORM_HEALTH`), read from the queue driver and the database. */
export class PlatformHealthService implements PlatformHealth {
  readonly queueDriver: 'in-process' | 'bull';
  readonly paths: Readonly<{ git: string }>;

  constructor(
    private readonly ctx: PlinthContext,
    private readonly dataSource: DataSource,
    private readonly driver: QueueDriver,
  ) {
    this.queueDriver = driver.kind;
    this.paths = Object.freeze({ git: ctx.config.git.root });
  }

  pingRedis(): Promise<number | null> {
    return this.driver.ping();
  }

  async queue(): Promise<QueueHealth> {
    const [depth, workers] = await Promise.all([this.driver.depth(), this.driver.workers()]);
    return { driver: this.driver.kind, depth, workers };
  }

  async pendingMigrations(): Promise<readonly { plugin: string; migration: string }[]> {
    return (await pendingMigrations(this.dataSource, migrationSets(this.ctx.plugins))).applied;
  }
}
