import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  PASSWORD_LOGIN,
  PermissionDeniedError,
  ValidationError,
  type FieldErrors,
  type AuthUser,
  type PasswordLogin,
} from '@plinth/plugin-sdk';
import { WebSessionService } from '@plinth/core';
import { UiService } from '../ui.service';
import { one, type FormBody } from '../views/forms';
import { fieldErrors } from '../views/support';

/**
 * A user's own account, whatever their object permissions (Nautobot's /user/ pages): the
 * profile, a password change checked against the policy, and their API tokens.
 */
@ApiExcludeController()
@Controller('user')
export class AccountController {
  constructor(
    @Inject(UiService) private readonly ui: UiService,
    @Inject(WebSessionService) private readonly sessions: WebSessionService,
    @Inject(PASSWORD_LOGIN) private readonly passwords: PasswordLogin,
  ) {}

  private me(req: Request): AuthUser {
    const user = this.ui.user(req);
    if (!user) throw new PermissionDeniedError('Log in first.');
    return user;
  }

  @Get('profile')
  async profile(@Req() req: Request, @Res() res: Response) {
    const me = this.me(req);
    // Trusted: everyone may see their own account and groups, with or without users.* permissions.
    const system = this.ui.objects.as({ user: me, trusted: true });
    const user = await system.get('users.user', me.id);
    const groups = user ? await system.find('users.group', { id: (user.groups as string[]) ?? [] }) : [];
    await this.ui.send(req, res, 'account.njk', {
      title: 'User profile',
      tab: 'profile',
      account: user,
      groups: groups.map((g) => g.name),
    });
  }

  @Get('password')
  async passwordForm(@Req() req: Request, @Res() res: Response) {
    this.me(req);
    await this.ui.send(req, res, 'account.njk', { title: 'Change password', tab: 'password', errors: {} });
  }

  @Post('password')
  async changePassword(@Req() req: Request, @Res() res: Response) {
    const me = this.me(req);
    const body = (req.body ?? {}) as FormBody;
    const current = one(body.old_password);
    const next = one(body.new_password1);
    const errors: FieldErrors = {};
    if (!current) errors.old_password = ['This field is required.'];
    if (!next) errors.new_password1 = ['This field is required.'];
    else if (next !== one(body.new_password2))
      errors.new_password2 = ["The two password fields didn't match."];
    if (current && Object.keys(errors).length === 0) {
      // The same check as logging in: failures count towards the lockout, so a borrowed session
      // cannot be used to guess the password.
      const check = await this.passwords.login(me.username, current, { ip: req.ip ?? '' });
      if (!check.ok)
        errors.old_password = [
          check.reason === 'locked'
            ? 'Too many failed attempts. Try again later.'
            : 'Your old password was entered incorrectly. Please enter it again.',
        ];
    }
    if (Object.keys(errors).length === 0) {
      try {
        // The write path checks the policy, hashes, change-logs and ends every session of the
        // user; this browser gets a new one, as Django keeps the user logged in.
        await this.ui.objects
          .as({ user: me, source: 'web', trusted: true })
          .update('users.user', [{ id: me.id, password: next }]);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        const found = fieldErrors(e);
        Object.assign(errors, found.password ? { new_password1: found.password } : found);
      }
    }
    if (Object.keys(errors).length > 0) {
      return this.ui.send(
        req,
        res,
        'account.njk',
        { title: 'Change password', tab: 'password', errors },
        400,
      );
    }
    await this.sessions.start(req, res, me);
    this.ui.flash(res, 'success', 'Your password has been changed.');
    this.ui.redirect(res, '/user/profile/');
  }

  @Get('api-tokens')
  async tokens(@Req() req: Request, @Res() res: Response) {
    await this.showTokens(req, res, {});
  }

  private async showTokens(
    req: Request,
    res: Response,
    extra: { errors?: FieldErrors; created_key?: string; form?: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const me = this.me(req);
    const tokens = await this.ui.objects
      .as({ user: me, trusted: true })
      .find('users.token', { user: [me.id] });
    await this.ui.send(
      req,
      res,
      'account.njk',
      { title: 'API tokens', tab: 'api-tokens', tokens, errors: {}, form: {}, ...extra },
      status,
    );
  }

  @Post('api-tokens')
  async createToken(@Req() req: Request, @Res() res: Response) {
    const me = this.me(req);
    const body = (req.body ?? {}) as FormBody;
    const form = {
      description: one(body.description).trim(),
      expires: one(body.expires).trim(),
      write_enabled: one(body.write_enabled) === 'on' ? 'on' : '',
    };
    try {
      // As the user: tokens belong to their user, so this creates one for them and nobody else.
      const [token] = await this.ui.objects.as({ user: me, source: 'web' }).create('users.token', [
        {
          user: me.id,
          description: form.description,
          write_enabled: form.write_enabled === 'on',
          expires: form.expires ? form.expires : null,
        },
      ]);
      await this.showTokens(req, res, { created_key: String((token as { key?: unknown }).key ?? '') }, 201);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      await this.showTokens(req, res, { errors: fieldErrors(e), form }, 400);
    }
  }

  @Post('api-tokens/:id/delete')
  async deleteToken(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const me = this.me(req);
    const mine = await this.ui.objects
      .as({ user: me, trusted: true })
      .find('users.token', { user: [me.id], id: [id] });
    if (mine.length === 0) {
      this.ui.flash(res, 'danger', 'No such token.');
      return this.ui.redirect(res, '/user/api-tokens/');
    }
    await this.ui.objects.as({ user: me, source: 'web' }).delete('users.token', [id]);
    this.ui.flash(res, 'success', `Token ${String(mine[0].key_prefix)}… deleted.`);
    this.ui.redirect(res, '/user/api-tokens/');
  }
}
