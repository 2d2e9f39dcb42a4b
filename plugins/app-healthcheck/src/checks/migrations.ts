import { Inject, Injectable } from '@nestjs/common';
import {
  PLATFORM_HEALTH,
  type HealthCheck,
  type HealthCheckResult,
  type PlatformHealth,
} from '@plinth/plugin-sdk';

/** Every migration of the enabled plugins (core included) is applied (`plinth migrate`). */
@Injectable()
export class MigrationsCheck implements HealthCheck {
  readonly name = 'migrations';
  readonly label = 'Migrations';

  constructor(@Inject(PLATFORM_HEALTH) private readonly platform: PlatformHealth) {}

  async run(): Promise<HealthCheckResult> {
    const pending = await this.platform.pendingMigrations();
    if (pending.length === 0)
      return { status: 'ok', message: 'Every migration is applied.', data: { pending: 0 } };
    const shown = pending.slice(0, 5).map((p) => `${p.plugin}/${p.migration}`);
    const more = pending.length > shown.length ? ` and ${pending.length - shown.length} more` : '';
    return {
      status: 'failing',
      message: `${pending.length} migration${pending.length === 1 ? '' : 's'} not applied (run plinth migrate): ${shown.join(', ')}${more}.`,
      data: { pending: pending.length },
    };
  }
}
