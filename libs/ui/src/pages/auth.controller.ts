import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import type { AuthUser } from '@plinth/plugin-sdk';
import { AuthenticationService, SESSION_COOKIE, queryParams } from '@plinth/core';
import { UiService } from '../ui.service';
import { safeReturn } from '../views/edit.view';
import { one, type FormBody } from '../views/forms';

/**
 * Log a user in: a new session whose cookie is HttpOnly, SameSite=Lax, and Secure when the
 * request came over HTTPS (directly, or through a proxy trusted with PLINTH_TRUST_PROXY).
 */
export async function startSession(
  auth: AuthenticationService,
  req: Request,
  res: Response,
  user: AuthUser,
): Promise<void> {
  const session = await auth.createSession(user);
  res.cookie(SESSION_COOKIE, session.cookie, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    expires: session.expires,
  });
}

/** Session login and logout. The cookie is HttpOnly and SameSite=Lax; only its hash is stored. */
@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    @Inject(UiService) private readonly ui: UiService,
    @Inject(AuthenticationService) private readonly auth: AuthenticationService,
  ) {}

  @Get('login')
  async loginForm(@Req() req: Request, @Res() res: Response) {
    const next = safeReturn(queryParams(req).next?.[0], '/');
    if (this.ui.user(req)) return this.ui.redirect(res, next);
    await this.ui.send(req, res, 'login.njk', { title: 'Log in', next, username: '', error: null });
  }

  @Post('login')
  async login(@Req() req: Request, @Res() res: Response) {
    const body = (req.body ?? {}) as FormBody;
    const username = one(body.username).trim();
    const next = safeReturn(one(body.next), '/');
    const result = username
      ? await this.auth.login(username, one(body.password), { ip: req.ip ?? '' })
      : ({ ok: false, reason: 'invalid' } as const);
    if (!result.ok) {
      const locked = result.reason === 'locked';
      if (locked) res.setHeader('Retry-After', String(result.retry_after));
      return this.ui.send(
        req,
        res,
        'login.njk',
        {
          title: 'Log in',
          next,
          username,
          error: locked
            ? `Too many failed login attempts. Try again in ${Math.ceil(result.retry_after / 60)} minute(s).`
            : 'Please enter a correct username and password.',
        },
        locked ? 429 : 400,
      );
    }
    await startSession(this.auth, req, res, result.user);
    this.ui.redirect(res, next);
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    const cookie = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
    if (cookie) await this.auth.destroySession(cookie);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    this.ui.redirect(res, '/login/');
  }
}
