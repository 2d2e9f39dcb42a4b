import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  OBJECTS,
  PASSWORD_LOGIN,
  PermissionDeniedError,
  PlinthError,
  Public,
  ValidationError,
  type ObjectsService,
  type PasswordLogin,
} from '@plinth/plugin-sdk';

interface ProvisionBody {
  username?: unknown;
  password?: unknown;
  description?: unknown;
  write_enabled?: unknown;
  expires?: unknown;
}

/** 429 with Retry-After: too many failed logins for this username or address. */
export class TooManyAttemptsError extends PlinthError {
  constructor(readonly retryAfter: number) {
    super(429, `Too many failed login attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`);
  }
}

/**
 * `POST /api/users/tokens/provision/`: exchange a username and password for a new API token
 * (as NetBox offers), so automation can bootstrap itself without the web UI. The password check
 * is core's: locked out after repeated failures, the same time whether the user exists or not.
 */
@Controller('api/users/tokens/provision')
export class TokenProvisionController {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @Inject(PASSWORD_LOGIN) private readonly passwords: PasswordLogin,
  ) {}

  @Public()
  @Post()
  @HttpCode(201)
  async provision(
    @Body() body: ProvisionBody,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const errors: Record<string, string[]> = {};
    if (typeof body?.username !== 'string' || !body.username) errors.username = ['This field is required.'];
    if (typeof body?.password !== 'string' || !body.password) errors.password = ['This field is required.'];
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const result = await this.passwords.login(String(body.username), String(body.password), {
      ip: req.ip ?? '',
    });
    if (!result.ok && result.reason === 'locked') {
      res.setHeader('Retry-After', String(result.retry_after));
      throw new TooManyAttemptsError(result.retry_after);
    }
    if (!result.ok) throw new PermissionDeniedError('Invalid username/password.');
    const actor = result.user;
    let key = '';
    await this.objects.transaction(
      async (tx) => {
        const [token] = await tx.objects.create('users.token', [
          {
            user: actor.id,
            description: typeof body.description === 'string' ? body.description : 'Provisioned token',
            ...(body.write_enabled !== undefined ? { write_enabled: body.write_enabled } : {}),
            ...(body.expires !== undefined ? { expires: body.expires } : {}),
          },
        ]);
        key = String(token.key);
        return token;
      },
      { user: actor, source: 'api', trusted: true },
    );
    return { key };
  }
}
