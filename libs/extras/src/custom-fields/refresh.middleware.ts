import {
  Injectable,
  Logger,
  type NestMiddleware,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectSql, type SqlRunner } from '@plinth/plugin-sdk';
import type { NextFunction, Request, Response } from 'express';
import { customFieldDefinitions } from './definitions';

/** How often a server looks for custom fields changed by another replica. */
const WATCH_INTERVAL_MS = 1000;

/**
 * Keeps this process's custom field definitions current: loaded at start-up, reloaded before
 * the next request after a custom field was written here, and checked every second for changes
 * made by other server replicas (one small query, outside any request). `cf_<key>` filters,
 * forms and the GraphQL schema follow.
 */
@Injectable()
export class CustomFieldsRefreshMiddleware
  implements NestMiddleware, OnApplicationBootstrap, OnApplicationShutdown
{
  private timer?: NodeJS.Timeout;
  private checking = false;
  private readonly logger = new Logger('CustomFields');

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
      await customFieldDefinitions.refresh(this.db, initial);
    } catch (e) {
      // A database outage: requests report it themselves; the copy stays until it is back.
      this.logger.debug(`custom field check failed: ${(e as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  async use(_req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (customFieldDefinitions.stale) {
      try {
        await customFieldDefinitions.refresh(this.db, true);
      } catch {
        // As above: the request's own queries report an outage.
      }
    }
    next();
  }
}
