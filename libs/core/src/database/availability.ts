import { PlinthError } from '@plinth/plugin-sdk';

/** Socket errors of a database connection that is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** PostgreSQL states of a server that is shutting down, starting or out of connections. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);

const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection (is )?closed/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  // An operator closed the database (ALLOW_CONNECTIONS false) during maintenance; SQLSTATE 55000
  // is too general to go by.
  /is not currently accepting connections/i,
];

/**
 * Is this error the database being unavailable (as opposed to a bad query)? Such requests answer
 * 503 with Retry-After: the pool reconnects by itself once the server is back.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && typeof x === 'object' && i < 4; i++) {
    const err = x as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
    if (typeof err.message === 'string' && MESSAGES.some((m) => m.test(err.message as string))) return true;
    x = err.driverError ?? err.cause;
  }
  return false;
}

/** 503 Service Unavailable: the database cannot be reached; the client should retry later. */
export class DatabaseUnavailableError extends PlinthError {
  constructor(message = 'The database is unavailable. Try again shortly.') {
    super(503, message);
  }
}
