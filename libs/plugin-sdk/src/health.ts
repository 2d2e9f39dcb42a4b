import { Inject } from '@nestjs/common';
import { createRegistry } from './registry';

/**
 * Health checks (django-health-check style): small probes of what the installation depends on.
 * Any plugin contributes checks to `HealthChecks`; the healthcheck app (`@plinth/app-healthcheck`)
 * runs them all, each with a time limit, and serves the outcome at `/plugins/healthcheck/`.
 */

/** `ok`: working; `failing`: broken (the endpoint answers 503); `skipped`: not configured here. */
export type HealthStatus = 'ok' | 'failing' | 'skipped';

/** What one run of a check found. */
export interface HealthCheckResult {
  status: HealthStatus;
  /** One line for operators. Shown to authenticated users only: it may name hosts or paths. */
  message: string;
  /** Figures behind the message (queue depth, free bytes), for authenticated users only. */
  data?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface HealthCheckContext {
  /** Aborted when the check's time limit passes: stop waiting and return (the run already failed). */
  signal: AbortSignal;
}

/**
 * One check. `run` may throw: the check then fails with the error's message. A check that does
 * not answer within the configured time limit fails as timed out. Classes are instantiated
 * through Nest's injector (inject services and settings as any provider).
 */
export interface HealthCheck {
  /**
   * Unique name, shown in the public summary: lower-case letters, digits and `_`. Prefix
   * checks of your plugin with its name (`acme_inventory_sync`); unprefixed names are the
   * healthcheck app's own (`database`, `redis`, `queue`, `migrations`, `disk`).
   */
  name: string;
  /** Human name for the page (default: the name). */
  label?: string;
  run(ctx: HealthCheckContext): Promise<HealthCheckResult>;
}
export const HealthChecks = createRegistry<HealthCheck>('health-checks');

/** A job worker as its heartbeat records it. */
export interface WorkerHeartbeat {
  name: string;
  driver: 'in-process' | 'bull';
  /** ISO timestamps. */
  started: string;
  last_seen: string;
  /** Jobs the worker has finished since it started. */
  processed: number;
}

export interface QueueHealth {
  /** `in-process`: embedded mode, jobs run inside the server; `bull`: Redis and worker processes. */
  driver: 'in-process' | 'bull';
  /** Jobs waiting to run (queued or delayed). */
  depth: number;
  /**
   * Workers with a live heartbeat (Bull workers refresh a Redis key every 10 s that expires after
   * 30 s); the in-process runner lists itself once the server has started it.
   */
  workers: readonly WorkerHeartbeat[];
}

/**
 * What the platform knows about its own state, for health checks (`@Inject(PLATFORM_HEALTH)`).
 * Calls throw when the dependency does not answer (Redis down): callers apply their own time limits.
 */
export interface PlatformHealth {
  /** The queue's driver: `in-process` (no Redis configured) or `bull`. */
  readonly queueDriver: 'in-process' | 'bull';
  /** Round trip of a Redis PING in ms; null when no Redis is configured (embedded mode). */
  pingRedis(): Promise<number | null>;
  queue(): Promise<QueueHealth>;
  /** Migrations of the enabled plugins (core included) not applied to the database yet. */
  pendingMigrations(): Promise<readonly { plugin: string; migration: string }[]>;
  /** Directories the platform writes to: `git` holds the Git repositories' checkouts (PLINTH_GIT_ROOT). */
  readonly paths: Readonly<{ git: string }>;
}
export const PLATFORM_HEALTH = Symbol.for('plinth:platform-health');
export const InjectPlatformHealth = (): ParameterDecorator & PropertyDecorator => Inject(PLATFORM_HEALTH);
