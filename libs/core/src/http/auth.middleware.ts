import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import { PermissionDeniedError } from '@plinth/plugin-sdk';
import type { PlinthRequest } from './request-context.middleware';
import type { AuthenticationService } from '../auth/authentication.service';
import { isDatabaseUnavailable } from '../database/availability';

/** `/api/status/` reports an outage itself, so credentials it cannot check do not stop it. */
const STATUS_PATH = /^\/api\/status\/?$/i;

export const SESSION_COOKIE = 'plinth_session';

/**
 * Authenticates every request (API and UI alike) from `Authorization: Token <key>` or the session
 * cookie, so that plugin middleware and handlers all see the same user. It rejects bad tokens but
 * never anonymous requests: what needs a user is decided by the API guard and the UI.
 */
export function authMiddleware(auth: AuthenticationService) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const preq = req as PlinthRequest;
    const run = async (): Promise<void> => {
      const header = req.headers.authorization;
      const token = header ? /^(?:Token|Bearer)\s+(\S+)\s*$/i.exec(header) : null;
      if (token) {
        const result = await auth.fromToken(token[1]);
        if ('error' in result) throw new PermissionDeniedError(result.error);
        preq.plinth.user = result.user;
        preq.plinth.token = result.token;
        preq.auth = { method: 'token', token: result.token };
        return;
      }
      const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
      if (cookie) {
        const session = await auth.fromSession(cookie);
        if (session) {
          preq.plinth.user = session.user;
          preq.auth = { method: 'session', session: session.session };
        }
      }
    };
    run().then(
      () => next(),
      (e: unknown) => next(STATUS_PATH.test(req.path) && isDatabaseUnavailable(e) ? undefined : e),
    );
  };
}
