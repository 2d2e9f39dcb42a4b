import { Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectSql, type SqlRunner } from '@plinth/plugin-sdk';
import type { NextFunction, Request, Response } from 'express';
import { customFieldDefinitions } from './definitions';

/**
 * Keeps this process's custom field definitions current before each API or UI request (one
 * small query; a reload only when they changed), so `cf_<key>` filters, forms and the GraphQL
 * schema know a field another server replica added.
 */
@Injectable()
export class CustomFieldsRefreshMiddleware implements NestMiddleware {
  constructor(@InjectSql() private readonly db: SqlRunner) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    if (!req.path.startsWith('/static/')) {
      try {
        await customFieldDefinitions.refresh(this.db);
      } catch {
        // The request's own queries report a database outage (503); the old copy stays meanwhile.
      }
    }
    next();
  }
}
