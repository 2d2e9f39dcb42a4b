import {
  Injectable,
  Logger,
  type NestMiddleware,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectSql, type SqlRunner } from '@plinth/plugin-sdk';
import type { NextFunction, Request, Response } from 'express';
import { relationshipDefinitions } from './definitions';

const WATCH_INTERVAL_MS = 1000;

/**
 * Keeps this process's relationships current, as CustomFieldsRefreshMiddleware does for custom
 * fields: loaded at start-up, reloaded before the next request after a write here, and checked
 * every second for other replicas' changes (outside requests).
 */
@Injectable()
export class RelationshipsRefreshMiddleware
  implements NestMiddleware, OnApplicationBootstrap, OnApplicationShutdown
{
  private timer?: NodeJS.Timeout;
  private checking = false;
  private readonly logger = new Logger('Relationships');

  constructor(@InjectSql() private readonly db: SqlRunner) {}

  async onApplicationBootstrap(): Promise<void> {
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
      await relationshipDefinitions.refresh(this.db, initial);
    } catch (e) {
      this.logger.debug(`relationship check failed: ${(e as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  async use(_req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (relationshipDefinitions.stale) {
      try {
        await relationshipDefinitions.refresh(this.db, true);
      } catch {
        // The request's own queries report an outage.
      }
    }
    next();
  }
}
