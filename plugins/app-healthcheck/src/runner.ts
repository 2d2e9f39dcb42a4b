import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  HealthChecks,
  InjectRegistry,
  type HealthCheck,
  type HealthCheckResult,
  type HealthStatus,
  type Registry,
} from '@plinth/plugin-sdk';
import { healthcheckSettings, type HealthcheckSettings } from './settings';

/** One check's outcome in a run. */
export interface CheckOutcome extends HealthCheckResult {
  name: string;
  label: string;
  /** Contributing plugin. */
  plugin: string;
  duration_ms: number;
}

export interface HealthReport {
  /** `failing` when any check fails (the endpoint answers 503). */
  status: 'ok' | 'failing';
  checks: CheckOutcome[];
  checked_at: string;
}

class CheckTimeout extends Error {}

function errorMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'failed';
}

/**
 * Runs every contributed health check concurrently, each within the configured time limit (its
 * signal aborts then, and the check fails as timed out). Requests arriving while a run is under
 * way share it; a finished run is reused for `cache_seconds`.
 */
@Injectable()
export class HealthRunner implements OnApplicationBootstrap {
  private current: Promise<HealthReport> | null = null;
  private last: { report: HealthReport; at: number } | null = null;

  constructor(
    @InjectRegistry(HealthChecks) private readonly checks: Registry<HealthCheck>,
    @healthcheckSettings.inject() private readonly settings: HealthcheckSettings,
  ) {}

  /**
   * Stop start-up on two checks of one name (indistinguishable in the summary) and on
   * `disabled_checks` naming no check (a typo would leave the check running unnoticed).
   */
  onApplicationBootstrap(): void {
    const seen = new Map<string, string>();
    for (const { item, plugin } of this.checks.entries()) {
      const other = seen.get(item.name);
      if (other)
        throw new Error(
          `healthcheck: plugins "${other}" and "${plugin}" both contribute a check named "${item.name}"`,
        );
      seen.set(item.name, plugin);
    }
    const unknown = this.settings.disabled_checks.filter((n) => !seen.has(n));
    if (unknown.length)
      throw new Error(
        `healthcheck: setting "disabled_checks" names no check: ${unknown.join(', ')} (checks: ${[...seen.keys()].join(', ')})`,
      );
  }

  run(): Promise<HealthReport> {
    if (this.last && Date.now() - this.last.at < this.settings.cache_seconds * 1000)
      return Promise.resolve(this.last.report);
    this.current ??= this.runAll().then(
      (report) => {
        this.current = null;
        this.last = { report, at: Date.now() };
        return report;
      },
      (e: unknown) => {
        this.current = null;
        throw e;
      },
    );
    return this.current;
  }

  private async runAll(): Promise<HealthReport> {
    const checks = await Promise.all(
      this.checks.entries().map(({ item, plugin }) => this.runOne(item, plugin)),
    );
    return {
      status: checks.some((c) => c.status === 'failing') ? 'failing' : 'ok',
      checks,
      checked_at: new Date().toISOString(),
    };
  }

  private async runOne(check: HealthCheck, plugin: string): Promise<CheckOutcome> {
    const base = { name: check.name, label: check.label ?? check.name, plugin };
    if (this.settings.disabled_checks.includes(check.name))
      return {
        ...base,
        status: 'skipped' as HealthStatus,
        message: 'Disabled in the settings.',
        duration_ms: 0,
      };
    const timeoutMs = this.settings.timeout_ms;
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new CheckTimeout());
        // After the rejection: a check that answers on abort must not win the race.
        controller.abort(new CheckTimeout());
      }, timeoutMs);
    });
    let result: HealthCheckResult;
    try {
      // Called inside the race: a check that throws before returning a promise fails, too.
      result = await Promise.race([
        Promise.resolve().then(() => check.run({ signal: controller.signal })),
        timeout,
      ]);
    } catch (e) {
      result = { status: 'failing', message: errorMessage(e) };
    } finally {
      clearTimeout(timer);
    }
    if (timedOut) result = { status: 'failing', message: `No answer within ${timeoutMs} ms (timed out).` };
    return {
      ...base,
      status: result.status,
      message: result.message,
      ...(result.data ? { data: result.data } : {}),
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    };
  }
}
