import { Inject, Injectable } from '@nestjs/common';
import {
  PLATFORM_HEALTH,
  type HealthCheck,
  type HealthCheckResult,
  type PlatformHealth,
} from '@plinth/plugin-sdk';
import { healthcheckSettings, type HealthcheckSettings } from '../settings';

/**
 * The job queue: jobs waiting (at most `queue.max_depth`) and, with Redis, live worker heartbeats
 * (at least `queue.min_workers`). In embedded mode the server runs jobs itself (in-process
 * runner): there are no worker processes to count, and that is reported, not failed.
 */
@Injectable()
export class QueueCheck implements HealthCheck {
  readonly name = 'queue';
  readonly label = 'Job queue';

  constructor(
    @Inject(PLATFORM_HEALTH) private readonly platform: PlatformHealth,
    @healthcheckSettings.inject() private readonly settings: HealthcheckSettings,
  ) {}

  async run(): Promise<HealthCheckResult> {
    const q = await this.platform.queue();
    const { max_depth, min_workers } = this.settings.queue;
    const data = { driver: q.driver, depth: q.depth, workers: q.workers.length, max_depth };
    const problems: string[] = [];
    if (q.depth > max_depth) problems.push(`${q.depth} jobs waiting (more than ${max_depth})`);
    if (q.driver === 'in-process') {
      const runner = q.workers.length ? 'started' : 'not started in this process';
      if (problems.length) return { status: 'failing', message: `${problems.join('; ')}.`, data };
      return {
        status: 'ok',
        message: `In-process runner (embedded mode, ${runner}): jobs run inside the server; ${q.depth} waiting.`,
        data,
      };
    }
    if (q.workers.length < min_workers)
      problems.push(
        `${q.workers.length} worker heartbeat${q.workers.length === 1 ? '' : 's'} (at least ${min_workers} needed: is a worker running?)`,
      );
    const names = q.workers.map((w) => w.name).join(', ');
    if (problems.length) return { status: 'failing', message: `${problems.join('; ')}.`, data };
    return {
      status: 'ok',
      message: `${q.depth} job${q.depth === 1 ? '' : 's'} waiting; ${q.workers.length} worker${q.workers.length === 1 ? '' : 's'} alive (${names}).`,
      data: { ...data, min_workers },
    };
  }
}
