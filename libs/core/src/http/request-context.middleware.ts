import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext, type RequestState } from '@plinth/plugin-sdk';
import type { QueryParams } from '../query/filter-engine';
import type { PlinthConfig } from '../config/config';
import { API_VERSION } from '../version';
import { isApiPath } from './paths';

export interface PlinthRequest extends Request {
  plinth: RequestState;
  auth?: {
    method: 'token' | 'session';
    token?: { id: string; write_enabled: boolean };
    session?: { id: string; csrf_token: string };
  };
}

/**
 * First middleware of every request: request id, absolute base URL, the async request context
 * (user, SQL counter), the `API-Version` header, and `X-SQL-Queries` when PLINTH_DEBUG_SQL=1.
 */
export function requestContextMiddleware(config: PlinthConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const isApi = isApiPath(req.path);
    const state: RequestState = {
      request_id: randomUUID(),
      user: null,
      base_url: config.baseUrl ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`,
      source: isApi ? 'api' : 'web',
      sql_count: 0,
    };
    (req as PlinthRequest).plinth = state;
    res.setHeader('X-Request-Id', state.request_id);
    if (isApi) res.setHeader('API-Version', API_VERSION);
    if (config.debugSql) {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
      res.writeHead = ((...args: unknown[]) => {
        if (!res.headersSent) res.setHeader('X-SQL-Queries', String(state.sql_count));
        return writeHead(...args);
      }) as typeof res.writeHead;
    }
    RequestContext.run(state, () => next());
  };
}

/** Multi-valued query parameters exactly as sent (`?a=1&a=2` -> `{a: ['1','2']}`). */
export function queryParams(req: Request): QueryParams {
  const url = new URL(req.originalUrl, 'http://x');
  // A Map first: parameter names such as `__proto__` or `constructor` must stay plain keys.
  const found = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) {
    const list = found.get(k);
    if (list) list.push(v);
    else found.set(k, [v]);
  }
  return Object.fromEntries(found);
}
