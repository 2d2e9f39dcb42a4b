import { Inject, Injectable } from '@nestjs/common';
import {
  PLATFORM_HEALTH,
  type HealthCheck,
  type HealthCheckResult,
  type PlatformHealth,
} from '@plinth/plugin-sdk';

/** Redis answers a PING (skipped in embedded mode, where no Redis is configured). */
@Injectable()
export class RedisCheck implements HealthCheck {
  readonly name = 'redis';
  readonly label = 'Redis';

  constructor(@Inject(PLATFORM_HEALTH) private readonly platform: PlatformHealth) {}

  async run(): Promise<HealthCheckResult> {
    const latency = await this.platform.pingRedis();
    if (latency === null)
      return { status: 'skipped', message: 'No Redis is configured (embedded mode: in-process job queue).' };
    return { status: 'ok', message: `PING answered in ${latency} ms.`, data: { latency_ms: latency } };
  }
}
