import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { PlinthError, ProtectedError, ValidationError } from '@plinth/plugin-sdk';
import { isDatabaseUnavailable } from '../database/availability';
import { isApiPath } from './paths';

/** A renderer for non-API requests (the web UI installs one); returns false to fall back to JSON. */
export type HtmlErrorRenderer = (status: number, message: string, req: Request, res: Response) => boolean;

/** Database errors caused by user input (bad regex in a filter, value out of range). */
const USER_SQL_ERRORS: Record<string, string> = {
  '2201B': 'Invalid regular expression.',
  '22P02': 'Invalid value.',
  '22003': 'Numeric value out of range.',
  '22001': 'Value too long.',
  '22007': 'Invalid date/time value.',
  '22008': 'Date/time value out of range.',
  // PostgreSQL cannot store NUL characters in text or jsonb (safety net; the edges refuse them).
  '22P05': 'Null characters are not allowed.',
  '22021': 'Null characters are not allowed.',
  '54001': 'The value is too complex.',
};

/**
 * Every error becomes a JSON answer with a status: 400 `{field: [msg]}` (a list for bulk
 * writes), 403/404 `{"detail": ...}`, 409 with the dependent objects. Unexpected errors are
 * logged and answered 500 without internals.
 */
@Catch()
export class PlinthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Plinth');
  static htmlRenderer: HtmlErrorRenderer | null = null;
  /** Retry-After of 503 answers while the database is unavailable (PLINTH_RETRY_AFTER_SECONDS). */
  static retryAfterSeconds = 5;

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (res.headersSent) return;
    const [status, body] = this.describe(exception);
    if (status === 503) {
      res.setHeader('Retry-After', String(PlinthExceptionFilter.retryAfterSeconds));
      this.logger.warn(`${req.method} ${req.originalUrl}: ${(exception as Error)?.message ?? 'unavailable'}`);
    } else if (status >= 500)
      this.logger.error(
        `${req.method} ${req.originalUrl}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    const isApi = isApiPath(req.path);
    if (!isApi && PlinthExceptionFilter.htmlRenderer) {
      const message =
        typeof body === 'object' && body && 'detail' in body
          ? String((body as { detail: unknown }).detail)
          : JSON.stringify(body);
      if (PlinthExceptionFilter.htmlRenderer(status, message, req, res)) return;
    }
    res.status(status).json(body);
  }

  describe(exception: unknown): [number, unknown] {
    if (exception instanceof ValidationError) return [400, exception.errors];
    if (exception instanceof ProtectedError) {
      return [409, { detail: exception.message, dependent_objects: exception.dependents }];
    }
    if (exception instanceof PlinthError) return [exception.status, { detail: exception.message }];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (status === 404) return [404, { detail: 'Not found.' }];
      const message =
        typeof response === 'string'
          ? response
          : ((response as { message?: unknown }).message ?? exception.message);
      return [status, { detail: Array.isArray(message) ? message.join(' ') : String(message) }];
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string }).code ?? '';
      if (USER_SQL_ERRORS[code]) return [400, { detail: `${USER_SQL_ERRORS[code]} ${exception.message}` }];
    }
    if (isDatabaseUnavailable(exception))
      return [503, { detail: 'The database is unavailable. Try again shortly.' }];
    // Errors of Express middleware (body parsing, static files) carry a client error status.
    const e = exception as { type?: string; status?: number; statusCode?: number };
    const clientStatus = e && typeof e === 'object' ? (e.status ?? e.statusCode) : undefined;
    if (typeof clientStatus === 'number' && clientStatus >= 400 && clientStatus < 500) {
      return [clientStatus, { detail: (exception as Error).message }];
    }
    return [500, { detail: 'Internal server error. The error has been logged.' }];
  }
}
