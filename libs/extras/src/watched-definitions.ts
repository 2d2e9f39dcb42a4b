import {
  Injectable,
  Logger,
  type NestMiddleware,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectSql, type SqlRunner } from '@plinth/plugin-sdk';
import type { NextFunction, Request, Response } from 'express';

/**
 * Definitions operators write at run time (custom fields, relationships) as this process keeps
 * them: filters (`cf_<key>`, `cr_<key>__<side>`) are resolved synchronously while a query is
 * compiled, so they read this copy. A write of a definition in this process marks it stale and
 * the next request reloads it first; DefinitionsRefreshMiddleware looks for changes made by
 * other server replicas every second (outside requests, so requests' query counts do not
 * change). `version` is bumped when the definitions change (the GraphQL schema is rebuilt on it).
 */
export class WatchedDefinitions<T> {
  protected all: T[] = [];
  private stamped = '';
  /** Written in this process since the last load: reload before the next request. */
  stale = true;
  version = 0;

  constructor(
    /** What changes when a definition is written (compared to reload only on change). */
    private readonly stamp: (db: SqlRunner) => Promise<string>,
    private readonly load: (db: SqlRunner) => Promise<T[]>,
  ) {}

  /**
   * Reload when the tables changed since the last look; answers the current version. Only a
   * request's refresh (`forRequest`) clears `stale`: the watcher may run while the writing
   * transaction is still open, and the writer's next request must see its own change.
   */
  async refresh(db: SqlRunner, forRequest = false): Promise<number> {
    // Cleared before reading: a write landing meanwhile marks it stale again.
    const wasStale = this.stale;
    if (forRequest) this.stale = false;
    try {
      const now = await this.stamp(db);
      if (now !== this.stamped) {
        const defs = await this.load(db);
        if (JSON.stringify(defs) !== JSON.stringify(this.all)) this.version += 1;
        this.all = defs;
        this.stamped = now;
      }
    } catch (e) {
      if (forRequest && wasStale) this.stale = true;
      throw e;
    }
    return this.version;
  }

  /** Forget the stamp: the next refresh reloads (after a write in this process). */
  invalidate(): void {
    this.stamped = '';
    this.stale = true;
  }
}

/** Every process-wide copy of definitions the middleware keeps current. */
const WATCHED: WatchedDefinitions<unknown>[] = [];

export function watch<D extends WatchedDefinitions<unknown>>(definitions: D): D {
  WATCHED.push(definitions);
  return definitions;
}

/** How often a server looks for definitions changed by another replica. */
const WATCH_INTERVAL_MS = 1000;

/**
 * Keeps this process's definitions current: loaded at start-up, reloaded before the next
 * request after a definition was written here, and checked every second for changes made by
 * other server replicas (one small query each, outside any request).
 */
@Injectable()
export class DefinitionsRefreshMiddleware
  implements NestMiddleware, OnApplicationBootstrap, OnApplicationShutdown
{
  private timer?: NodeJS.Timeout;
  private checking = false;
  private readonly logger = new Logger('Definitions');

  constructor(@InjectSql() private readonly db: SqlRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    // Not yet migrated (CLI commands that check or run migrations): the first request loads them.
    await this.check(true);
    this.timer = setInterval(() => void this.check(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async check(initial = false): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const d of WATCHED) await d.refresh(this.db, initial);
    } catch (e) {
      // A database outage: requests report it themselves; the copies stay until it is back.
      this.logger.debug(`definition check failed: ${(e as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  async use(_req: Request, _res: Response, next: NextFunction): Promise<void> {
    for (const d of WATCHED) {
      if (!d.stale) continue;
      try {
        await d.refresh(this.db, true);
      } catch {
        // As above: the request's own queries report an outage.
      }
    }
    next();
  }
}
