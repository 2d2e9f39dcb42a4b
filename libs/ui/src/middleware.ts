import type { NextFunction, Request, Response } from 'express';
import { LoginMethods, PermissionDeniedError } from '@plinth/plugin-sdk';
import { isApiPath, type PlinthRequest } from '@plinth/core';
import type { UiService } from './ui.service';
import type { PublicPages } from './public-pages';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Paths the UI leaves alone: the API (its own guard), assets, the login page, GraphiQL. */
const NOT_UI = [/^\/api(\/|$)/i, /^\/static\//i, /^\/login\/?$/i, /^\/graphql(\/|$)/i];

/** Also left alone: external logins' routes (an OIDC start and callback happen before login). */
function isUiPath(path: string, loginRoutes: readonly string[]): boolean {
  return !NOT_UI.some((r) => r.test(path)) && !loginRoutes.some((prefix) => path.startsWith(prefix));
}

/**
 * Every page needs a logged-in user (anonymous visitors go to `/login/?next=...`) unless its
 * route is marked `@Public()`, and every form POST needs the CSRF token (the session's; before
 * login, the cookie's).
 */
export function uiGuardMiddleware(ui: UiService, publicPages: PublicPages) {
  const loginRoutes = ui.ctx.registries.get(LoginMethods);
  return (req: Request, res: Response, next: NextFunction): void => {
    const preq = req as PlinthRequest;
    if (isApiPath(req.path)) return next();
    if (!SAFE_METHODS.has(req.method) && preq.auth?.method !== 'token' && !ui.checkCsrf(req)) {
      return next(new PermissionDeniedError('CSRF token missing or incorrect.'));
    }
    if (
      !preq.plinth?.user &&
      !publicPages.has(req.method, req.path) &&
      isUiPath(
        req.path,
        loginRoutes.items().map((p) => p.path),
      )
    ) {
      if (SAFE_METHODS.has(req.method))
        return res.redirect(302, `/login/?next=${encodeURIComponent(req.originalUrl)}`);
      return next(new PermissionDeniedError('Log in first.'));
    }
    next();
  };
}
