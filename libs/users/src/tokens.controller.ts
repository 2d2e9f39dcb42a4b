import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  OBJECTS,
  PermissionDeniedError,
  Public,
  ValidationError,
  verifyPassword,
  type ObjectsService,
} from '@plinth/plugin-sdk';

interface ProvisionBody {
  username?: unknown;
  password?: unknown;
  description?: unknown;
  write_enabled?: unknown;
  expires?: unknown;
}

/**
 * `POST /api/users/tokens/provision/`: exchange a username and password for a new API token
 * (as NetBox offers), so automation can bootstrap itself without the web UI.
 */
@Controller('api/users/tokens/provision')
export class TokenProvisionController {
  constructor(@Inject(OBJECTS) private readonly objects: ObjectsService) {}

  @Public()
  @Post()
  @HttpCode(201)
  async provision(@Body() body: ProvisionBody) {
    const errors: Record<string, string[]> = {};
    if (typeof body?.username !== 'string' || !body.username) errors.username = ['This field is required.'];
    if (typeof body?.password !== 'string' || !body.password) errors.password = ['This field is required.'];
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const system = this.objects.as({ user: null, source: 'api' });
    const [user] = await system.find('users.user', { username: String(body.username) });
    if (
      !user ||
      !user.is_active ||
      !(await verifyPassword(String(body.password), String(user.password ?? '')))
    ) {
      throw new PermissionDeniedError('Invalid username/password.');
    }
    const actor = {
      id: String(user.id),
      username: String(user.username),
      is_superuser: !!user.is_superuser,
      is_active: true,
    };
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
