import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { AuthenticationService, SESSION_COOKIE, queryParams } from '@plinth/core';
import { UiService } from '../ui.service';
import { safeReturn } from '../views/edit.view';
import { one, type FormBody } from '../views/forms';

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
    const user = username ? await this.auth.checkPassword(username, one(body.password)) : null;
    if (!user) {
      return this.ui.send(
        req,
        res,
        'login.njk',
        { title: 'Log in', next, username, error: 'Please enter a correct username and password.' },
        400,
      );
    }
    const session = await this.auth.createSession(user);
    res.cookie(SESSION_COOKIE, session.cookie, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      expires: session.expires,
    });
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
