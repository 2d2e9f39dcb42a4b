import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { PermissionDeniedError, PUBLIC_ROUTE } from '@plinth/plugin-sdk';
import type { PlinthRequest } from './request-context.middleware';
import { isApiPath } from './paths';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What every non-public `/api/` request must satisfy (403 `{"detail": ...}` otherwise, as
 * Nautobot answers): a user; for writes, a token that permits them or, with a session, the CSRF
 * token. The API guard applies it to controllers; the GraphQL endpoint (not a controller, and
 * read-only whatever its HTTP method) applies it with `write: false`.
 */
export function assertApiAccess(req: PlinthRequest, write = !SAFE_METHODS.has(req.method)): void {
  if (!req.plinth?.user) throw new PermissionDeniedError('Authentication credentials were not provided.');
  if (write) {
    if (req.auth?.method === 'token' && req.auth.token && !req.auth.token.write_enabled) {
      throw new PermissionDeniedError('This token does not permit write operations.');
    }
    if (req.auth?.method === 'session') {
      const sent = req.headers['x-csrftoken'] ?? req.headers['x-csrf-token'];
      if (sent !== req.auth.session?.csrf_token)
        throw new PermissionDeniedError('CSRF token missing or incorrect.');
    }
  }
}

/** Every `/api/` route needs `assertApiAccess` unless marked `@Public()`. */
export class ApiGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<PlinthRequest>();
    if (!isApiPath(req.path)) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    assertApiAccess(req);
    return true;
  }
}
