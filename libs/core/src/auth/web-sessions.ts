import type { Request, Response } from 'express';
import type { AuthUser, WebSessions } from '@plinth/plugin-sdk';
import { SESSION_COOKIE } from '../http/auth.middleware';
import type { AuthenticationService } from './authentication.service';

/**
 * Log a user in on a browser: a new session whose cookie is HttpOnly, SameSite=Lax, and Secure
 * when the request came over HTTPS (directly, or through a proxy trusted with PLINTH_TRUST_PROXY).
 * The login form and external logins (OIDC callbacks) both start sessions here.
 */
export class WebSessionService implements WebSessions {
  constructor(private readonly auth: AuthenticationService) {}

  async start(req: unknown, res: unknown, user: AuthUser): Promise<void> {
    const session = await this.auth.createSession(user);
    (res as Response).cookie(SESSION_COOKIE, session.cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure: (req as Request).secure,
      path: '/',
      expires: session.expires,
    });
  }
}
