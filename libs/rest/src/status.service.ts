import { type PlinthContext, type QueueService, API_VERSION, PLINTH_VERSION } from '@plinth/core';

/** What `/api/status/` reports: versions, database, plugins, workers. */
export class StatusService {
  private dbVersion: Promise<string> | null = null;

  constructor(
    private readonly ctx: PlinthContext,
    private readonly queue: QueueService,
  ) {}

  async status(): Promise<Record<string, unknown>> {
    this.dbVersion ??= this.ctx.database.version();
    const workers = await this.queue.workers().catch(() => []);
    return {
      'plinth-version': PLINTH_VERSION,
      'api-version': API_VERSION,
      'node-version': process.version.replace(/^v/, ''),
      database: { kind: this.ctx.database.kind, version: await this.dbVersion },
      queue: this.queue.driver.kind,
      plugins: Object.fromEntries(this.ctx.plugins.filter((p) => !p.builtin).map((p) => [p.name, p.version])),
      'installed-apps': Object.fromEntries(this.ctx.plugins.map((p) => [p.name, p.version])),
      'workers-running': workers.length,
      workers,
    };
  }
}
