import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBoolean } from '@plinth/plugin-sdk';
import type { RequestLimits } from '../http/limits';

/** Effective configuration: environment variables, then the optional config file. */
export interface PlinthConfig {
  port: number;
  host: string;
  /** Embedded database directory (PGlite). */
  dataDir: string;
  /** PostgreSQL connection string; null = embedded PGlite. */
  databaseUrl: string | null;
  /** Redis for the Bull queue driver; null = in-process queue. */
  redisUrl: string | null;
  /**
   * Prefix of every Redis key of this installation's queue (PLINTH_QUEUE_PREFIX, default
   * `plinth`): installations sharing one Redis must differ, or their workers take each other's jobs.
   */
  queuePrefix: string;
  /** Third-party plugin packages to enable (built-in domains are always on). */
  plugins: string[];
  /** Settings per plugin name, as the operator gave them. */
  pluginsConfig: Record<string, Record<string, unknown>>;
  debugSql: boolean;
  superuser: { name: string; password: string; email: string; token: string | null } | null;
  /** Absolute base URL for links when Plinth sits behind a proxy that rewrites Host. */
  baseUrl: string | null;
  trustProxy: boolean;
  dbPoolSize: number;
  /**
   * Server processes per host asked for (PLINTH_WORKERS); null: one per core on PostgreSQL.
   * Embedded PGlite always serves from one process.
   */
  workers: number | null;
  /**
   * How far a server process's JavaScript heap may grow past what the last full collection kept
   * before the next one, in percent (PLINTH_HEAP_GROWTH_PERCENT); 0 leaves it to V8.
   */
  heapGrowthPercent: number;
  changelogRetentionDays: number;
  sessionTtlHours: number;
  /** Directory plugin packages are resolved from. */
  cwd: string;
  configFile: string | null;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** Limits of GraphQL operations (PLINTH_GRAPHQL_MAX_DEPTH, _MAX_COST, _MAX_ALIASES, _INTROSPECTION...). */
  graphql: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    /** Deepest nesting of an introspection query (`__schema { types { fields { type { ofType ...`). */
    maxIntrospectionDepth: number;
    /** Who may introspect the schema: everyone authenticated, staff and superusers only, or nobody. */
    introspection: 'all' | 'staff' | 'off';
  };
  /** Request body size, items per bulk request, JSON nesting depth. */
  limits: RequestLimits;
  /** Password logins (web UI, token provisioning, LDAP) and account policy. */
  auth: AuthSettings;
  /** Delivery of change events (event subscribers, webhooks) through the outbox. */
  events: EventSettings;
  /** The Prometheus endpoint `/metrics`. */
  metrics: MetricsSettings;
  /** Git repositories (extras): where checkouts live, which hosts and paths they may come from. */
  git: GitSettings;
}

export interface GitSettings {
  /** Directory of the repositories' checkouts (PLINTH_GIT_ROOT, default `<data dir>/git`). */
  root: string;
  /**
   * Hosts and networks http(s) remotes may reach although loopback, link-local or private
   * (PLINTH_GIT_ALLOWED_HOSTS: comma-separated host names, addresses or CIDRs).
   */
  allowedHosts: string[];
  /** Directories `file://` remotes may be under (PLINTH_GIT_FILE_ROOTS; empty: no file:// remotes). */
  fileRoots: string[];
  /**
   * Repositories may provide jobs (`extras.job`): fetched code, run in a sandboxed child process
   * (PLINTH_GIT_JOBS, default off: the operator opts in).
   */
  jobs: boolean;
}

export interface EventSettings {
  /** First retry after this many ms; each later one waits twice as long (PLINTH_EVENTS_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Attempts before a delivery is given up and kept as failed (PLINTH_EVENTS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** How often a worker looks for due retries and events a crash left behind (PLINTH_EVENTS_SWEEP_MS). */
  sweepMs: number;
  /**
   * Hosts and networks webhooks may reach although they are loopback, link-local or private
   * (PLINTH_WEBHOOK_ALLOWED_HOSTS: comma-separated host names, addresses or CIDRs).
   */
  webhookAllowedHosts: string[];
}

export interface MetricsSettings {
  enabled: boolean;
  /** Addresses or CIDRs allowed without a token (PLINTH_METRICS_ALLOWED_IPS). */
  allowedIps: string[];
  /** How long object counts per model are cached (PLINTH_METRICS_OBJECT_COUNT_TTL_S). */
  objectCountTtlSeconds: number;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface AuthSettings {
  /** Failed logins of one username (or from one address) before it is locked out. */
  maxFailures: number;
  /** How long a lockout lasts, and the window failures are counted in. */
  lockoutMinutes: number;
  /** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
  retryAfterSeconds: number;
}

export class ConfigError extends Error {}

const CONFIG_FILES = ['plinth.config.json', 'plinth.config.js', 'plinth.config.ts'];

interface FileConfig {
  plugins?: string[];
  plugins_config?: Record<string, Record<string, unknown>>;
}

function readConfigFile(file: string): FileConfig {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as FileConfig;
    } catch (e) {
      throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
    }
  }
  if (file.endsWith('.ts')) return loadTsConfig(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as { default?: FileConfig } & FileConfig;
  return mod.default ?? mod;
}

/** A TypeScript config file is transpiled in memory (types are not checked). */
function loadTsConfig(file: string): FileConfig {
  let ts: typeof import('typescript');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ts = require('typescript') as typeof import('typescript');
  } catch {
    throw new ConfigError(
      `config file ${file}: install "typescript" to use a .ts config, or use plinth.config.json`,
    );
  }
  const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: file,
  });
  const mod: { exports: { default?: FileConfig } & FileConfig } = { exports: {} };
  const fn = new Function('module', 'exports', 'require', '__filename', '__dirname', out.outputText) as (
    ...args: unknown[]
  ) => void;
  fn(mod, mod.exports, require, file, path.dirname(file));
  return mod.exports.default ?? mod.exports;
}

function bool(v: string | undefined, fallback = false): boolean {
  if (v === undefined || v === '') return fallback;
  return parseBoolean(v) === true;
}

function int(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlinthConfig {
  let configFile: string | null;
  if (env.PLINTH_CONFIG) {
    configFile = path.resolve(cwd, env.PLINTH_CONFIG);
    if (!fs.existsSync(configFile))
      throw new ConfigError(`PLINTH_CONFIG points at ${configFile}, which does not exist`);
  } else {
    configFile = CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f)) ?? null;
  }
  const file = configFile ? readConfigFile(configFile) : {};
  if (file.plugins !== undefined && !Array.isArray(file.plugins)) {
    throw new ConfigError(`config file ${configFile}: "plugins" must be a list of package names`);
  }

  const envPlugins = (env.PLINTH_PLUGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const plugins = [...new Set([...(file.plugins ?? []), ...envPlugins])];

  let envPluginsConfig: Record<string, Record<string, unknown>> = {};
  if (env.PLINTH_PLUGINS_CONFIG) {
    try {
      envPluginsConfig = JSON.parse(env.PLINTH_PLUGINS_CONFIG) as Record<string, Record<string, unknown>>;
    } catch (e) {
      throw new ConfigError(`PLINTH_PLUGINS_CONFIG is not valid JSON: ${(e as Error).message}`);
    }
    if (
      typeof envPluginsConfig !== 'object' ||
      envPluginsConfig === null ||
      Array.isArray(envPluginsConfig)
    ) {
      throw new ConfigError('PLINTH_PLUGINS_CONFIG must be a JSON object keyed by plugin name');
    }
  }
  const pluginsConfig: Record<string, Record<string, unknown>> = { ...(file.plugins_config ?? {}) };
  for (const [k, v] of Object.entries(envPluginsConfig))
    pluginsConfig[k] = { ...(pluginsConfig[k] ?? {}), ...v };

  const name = env.PLINTH_SUPERUSER_NAME;
  const password = env.PLINTH_SUPERUSER_PASSWORD;
  const token = env.PLINTH_SUPERUSER_API_TOKEN || null;
  if (token !== null && !/^[0-9a-fA-F]{40}$/.test(token)) {
    throw new ConfigError('PLINTH_SUPERUSER_API_TOKEN must be 40 hexadecimal characters');
  }

  const logLevel = (env.PLINTH_LOG_LEVEL ?? 'log') as PlinthConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) {
    throw new ConfigError('PLINTH_LOG_LEVEL must be one of error, warn, log, debug');
  }
  const queuePrefix = env.PLINTH_QUEUE_PREFIX || 'plinth';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(queuePrefix)) {
    throw new ConfigError('PLINTH_QUEUE_PREFIX must be 1-64 letters, digits, _, . or -');
  }
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const dataDir = path.resolve(cwd, env.PLINTH_DATA_DIR || '.plinth');
  return {
    port: int('PORT', env.PORT, 8080),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    redisUrl: env.REDIS_URL || null,
    queuePrefix,
    plugins,
    pluginsConfig,
    debugSql: bool(env.PLINTH_DEBUG_SQL),
    superuser: name && password ? { name, password, email: env.PLINTH_SUPERUSER_EMAIL ?? '', token } : null,
    baseUrl: env.PLINTH_BASE_URL ? env.PLINTH_BASE_URL.replace(/\/+$/, '') : null,
    trustProxy: bool(env.PLINTH_TRUST_PROXY),
    dbPoolSize: int('PLINTH_DB_POOL_SIZE', env.PLINTH_DB_POOL_SIZE, 10),
    workers: env.PLINTH_WORKERS ? positive('PLINTH_WORKERS', env.PLINTH_WORKERS, 1) : null,
    heapGrowthPercent: int('PLINTH_HEAP_GROWTH_PERCENT', env.PLINTH_HEAP_GROWTH_PERCENT, 25),
    changelogRetentionDays: int('PLINTH_CHANGELOG_RETENTION_DAYS', env.PLINTH_CHANGELOG_RETENTION_DAYS, 90),
    sessionTtlHours: int('PLINTH_SESSION_TTL_HOURS', env.PLINTH_SESSION_TTL_HOURS, 24 * 14),
    cwd,
    configFile,
    logLevel,
    graphql: {
      maxDepth: int('PLINTH_GRAPHQL_MAX_DEPTH', env.PLINTH_GRAPHQL_MAX_DEPTH, 8),
      maxCost: int('PLINTH_GRAPHQL_MAX_COST', env.PLINTH_GRAPHQL_MAX_COST, 1_000_000),
      maxAliases: int('PLINTH_GRAPHQL_MAX_ALIASES', env.PLINTH_GRAPHQL_MAX_ALIASES, 50),
      maxIntrospectionDepth: int(
        'PLINTH_GRAPHQL_MAX_INTROSPECTION_DEPTH',
        env.PLINTH_GRAPHQL_MAX_INTROSPECTION_DEPTH,
        20,
      ),
      introspection: oneOf('PLINTH_GRAPHQL_INTROSPECTION', env.PLINTH_GRAPHQL_INTROSPECTION, [
        'all',
        'staff',
        'off',
      ] as const),
    },
    limits: {
      maxBodyBytes: positive('PLINTH_MAX_BODY_SIZE_MB', env.PLINTH_MAX_BODY_SIZE_MB, 10) * 1024 * 1024,
      maxBulkItems: positive('PLINTH_MAX_BULK_ITEMS', env.PLINTH_MAX_BULK_ITEMS, 1000),
      maxJsonDepth: positive('PLINTH_MAX_JSON_DEPTH', env.PLINTH_MAX_JSON_DEPTH, 32),
    },
    auth: {
      maxFailures: positive('PLINTH_LOGIN_MAX_FAILURES', env.PLINTH_LOGIN_MAX_FAILURES, 5),
      lockoutMinutes: positive('PLINTH_LOGIN_LOCKOUT_MINUTES', env.PLINTH_LOGIN_LOCKOUT_MINUTES, 15),
      retryAfterSeconds: positive('PLINTH_RETRY_AFTER_SECONDS', env.PLINTH_RETRY_AFTER_SECONDS, 5),
    },
    events: {
      retryBaseMs: positive('PLINTH_EVENTS_RETRY_BASE_MS', env.PLINTH_EVENTS_RETRY_BASE_MS, 10_000),
      maxAttempts: positive('PLINTH_EVENTS_MAX_ATTEMPTS', env.PLINTH_EVENTS_MAX_ATTEMPTS, 8),
      sweepMs: positive('PLINTH_EVENTS_SWEEP_MS', env.PLINTH_EVENTS_SWEEP_MS, 30_000),
      webhookAllowedHosts: list(env.PLINTH_WEBHOOK_ALLOWED_HOSTS),
    },
    git: {
      root: path.resolve(cwd, env.PLINTH_GIT_ROOT || path.join(dataDir, 'git')),
      allowedHosts: list(env.PLINTH_GIT_ALLOWED_HOSTS),
      fileRoots: list(env.PLINTH_GIT_FILE_ROOTS).map((d) => path.resolve(cwd, d)),
      jobs: bool(env.PLINTH_GIT_JOBS),
    },
    metrics: {
      enabled: bool(env.PLINTH_METRICS_ENABLED, true),
      allowedIps: list(env.PLINTH_METRICS_ALLOWED_IPS),
      objectCountTtlSeconds: int(
        'PLINTH_METRICS_OBJECT_COUNT_TTL_S',
        env.PLINTH_METRICS_OBJECT_COUNT_TTL_S,
        60,
      ),
    },
  };
}

function positive(name: string, v: string | undefined, fallback: number): number {
  const n = int(name, v, fallback);
  if (n === 0) throw new ConfigError(`${name} must be at least 1`);
  return n;
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T {
  if (v === undefined || v === '') return allowed[0];
  if (!allowed.includes(v as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}
