import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import {
  InjectRegistry,
  LoginMethods,
  type LoginMethod,
  type LoginMethodProvider,
  type Registry,
  safeReturn,
} from '@plinth/plugin-sdk';
import { AuthenticationService, SESSION_COOKIE, WebSessionService, queryParams } from '@plinth/core';
import { UiService } from '../ui.service';
import { one, type FormBody } from '../views/forms';

/** Session login and logout. The cookie is HttpOnly and SameSite=Lax; only its hash is stored. */
@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    @Inject(UiService) private readonly ui: UiService,
    @Inject(AuthenticationService) private readonly auth: AuthenticationService,
    @Inject(WebSessionService) private readonly sessions: WebSessionService,
    @InjectRegistry(LoginMethods) private readonly loginMethods: Registry<LoginMethodProvider>,
  ) {}

  /** Buttons of external logins (OIDC), each going through its plugin's route with `next`. */
  private methods(next: string): LoginMethod[] {
    return this.loginMethods
      .items()
      .flatMap((p) => p.methods())
      .map((m) => ({ label: m.label, url: `${m.url}?next=${encodeURIComponent(next)}` }));
  }

  @Get('login')
  async loginForm(@Req() req: Request, @Res() res: Response) {
    const params = queryParams(req);
    const next = safeReturn(params.next?.[0], '/');
    if (this.ui.user(req)) return this.ui.redirect(res, next);
    // A failed external login comes back with a code; only its provider's fixed message is shown.
    const code = params.login_error?.[0];
    const error = code
      ? (this.loginMethods
          .items()
          .map((p) => p.errorMessage(code))
          .find((m) => m !== undefined) ?? 'The login did not succeed.')
      : null;
    await this.ui.send(
      req,
      res,
      'login.njk',
      { title: 'Log in', next, username: '', error, methods: this.methods(next) },
      error ? 400 : 200,
    );
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
          methods: this.methods(next),
        },
        locked ? 429 : 400,
      );
    }
    await this.sessions.start(req, res, result.user);
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
