import { type PlinthContext, type QueueService, API_VERSION, PLINTH_VERSION } from '@plinth/core';

/** How long `/api/status/` waits for the queue's answer before calling it unavailable. */
const QUEUE_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

/** What `/api/status/` reports: versions, database, queue, plugins, workers. */
export class StatusService {
  constructor(
    private readonly ctx: PlinthContext,
    private readonly queue: QueueService,
  ) {}

  /** Is the database answering? (Every status request asks: an outage must show at once.) */
  async database(): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
    try {
      return { ok: true, version: await this.ctx.database.version() };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  async status(): Promise<{ healthy: boolean; body: Record<string, unknown> }> {
    const db = await this.database();
    let queueStatus = 'ok';
    const workers = await withTimeout(this.queue.workers(), QUEUE_TIMEOUT_MS).catch(() => {
      queueStatus = 'unavailable';
      return [];
    });
    return {
      healthy: db.ok,
      body: {
        'plinth-version': PLINTH_VERSION,
        'api-version': API_VERSION,
        'node-version': process.version.replace(/^v/, ''),
        database: db.ok
          ? { kind: this.ctx.database.kind, version: db.version, status: 'ok' }
          : { kind: this.ctx.database.kind, status: 'unavailable', error: db.error },
        queue: this.queue.driver.kind,
        'queue-status': queueStatus,
        plugins: Object.fromEntries(
          this.ctx.plugins.filter((p) => !p.builtin).map((p) => [p.name, p.version]),
        ),
        'installed-apps': Object.fromEntries(this.ctx.plugins.map((p) => [p.name, p.version])),
        'workers-running': workers.length,
        workers,
      },
    };
  }
}
