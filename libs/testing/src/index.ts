import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  createApp,
  ensureSuperuser,
  QueueService,
  type ContextOptions,
  type PlinthContext,
} from '@plinth/core';
import {
  OBJECTS,
  generateTokenKey,
  type ObjectsApi,
  type ObjectsService,
  type AnyRecord,
} from '@plinth/plugin-sdk';
import { serverSurfaces } from '@plinth/server';
import { freshContext, testDatabaseKind } from './databases';

export { testDatabaseKind } from './databases';
export { UiSession, text } from './ui-session';

/**
 * Poll `fn` until it returns something truthy (returned), for what happens after a request
 * returns: after-commit events, webhook deliveries, queued jobs. Fails naming `what` after `ms`.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false | null>,
  ms = 20000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface TestAppOptions extends ContextOptions {
  /** Third-party plugin packages to enable (PLINTH_PLUGINS). */
  plugins?: string[];
  /** `plugins_config` as the operator would write it. */
  pluginsConfig?: Record<string, Record<string, unknown>>;
  /** Extra environment (PLINTH_DEBUG_SQL is always on in tests). */
  env?: Record<string, string>;
  /** Where relative plugin paths and a config file are looked up (default: the working directory). */
  cwd?: string;
  /**
   * Run queued jobs in this app, as `plinth start` does (its embedded worker; Bull workers when
   * `env.REDIS_URL` is set): for suites that run jobs through REST or the UI.
   */
  worker?: boolean;
}

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, string>;
  /** SQL statements the request ran (X-SQL-Queries). */
  queries: number;
}

/** A JSON client for the REST API, authenticated with a token. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  private async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    let req = request(this.baseUrl)[method.toLowerCase() as 'get'](path);
    if (this.token) req = req.set('Authorization', `Token ${this.token}`);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
    const res = await req;
    return {
      status: res.status,
      body: res.body,
      headers: res.headers as Record<string, string>,
      queries: Number(res.headers['x-sql-queries'] ?? NaN),
    };
  }

  get(path: string): Promise<ApiResponse> {
    return this.send('GET', path);
  }
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
    return this.send('POST', path, body, headers);
  }
  put(path: string, body: unknown): Promise<ApiResponse> {
    return this.send('PUT', path, body);
  }
  patch(path: string, body: unknown): Promise<ApiResponse> {
    return this.send('PATCH', path, body);
  }
  delete(path: string, body?: unknown): Promise<ApiResponse> {
    return this.send('DELETE', path, body);
  }
  options(path: string): Promise<ApiResponse> {
    return this.send('OPTIONS', path);
  }
}

export interface PermissionSpec {
  actions: string[];
  object_types: string[];
  constraints?: Record<string, unknown> | Record<string, unknown>[] | null;
}

export interface TestApp {
  app: INestApplication;
  ctx: PlinthContext;
  /** `http://127.0.0.1:<port>`: the app listens on a free loopback port. */
  baseUrl: string;
  /** Superuser API client. */
  api: ApiClient;
  /** Writes as the system (no permission checks). */
  objects: ObjectsApi;
  /** The raw supertest agent (for non-JSON requests and UI pages). */
  http(): ReturnType<typeof request>;
  /** A regular user with the given permissions, and a client using its token. */
  createUser(
    username: string,
    permissions?: PermissionSpec[],
    opts?: { write_enabled?: boolean; password?: string },
  ): Promise<{ user: AnyRecord; api: ApiClient; token: string }>;
  /** Raw SQL on the app's database. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Run queued jobs in this process, as `apps/worker` does (with Redis: a Bull worker with its
   * heartbeat; embedded: the in-process runner the server starts). Test apps start none themselves.
   */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boot the real app (core, built-in domains, the given plugins, the web UI) on a fresh database:
 * an in-memory PGlite from a cached, migrated template, or — when the suite runs against
 * PostgreSQL — a new database cloned from a migrated template database.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const env: Record<string, string> = {
    PLINTH_DEBUG_SQL: '1',
    PLINTH_LOG_LEVEL: 'error',
    ...(opts.env ?? {}),
  };
  // Suites run in parallel against one Redis: each app gets its own queue, or one app's worker
  // would take another's jobs (and run them against the wrong database).
  if (env.REDIS_URL && !env.PLINTH_QUEUE_PREFIX)
    env.PLINTH_QUEUE_PREFIX = `plinth-test-${randomBytes(4).toString('hex')}`;
  if (opts.plugins?.length) env.PLINTH_PLUGINS = opts.plugins.join(',');
  if (opts.pluginsConfig) env.PLINTH_PLUGINS_CONFIG = JSON.stringify(opts.pluginsConfig);
  const { context, dispose } = await freshContext(env, opts, opts.cwd);
  let app: INestApplication;
  try {
    app = (await createApp(context, { ...serverSurfaces(), logger: ['error'] })) as INestApplication;
  } catch (e) {
    await context.database.close().catch(() => undefined);
    await dispose();
    throw e;
  }
  const token = generateTokenKey();
  await ensureSuperuser(
    app,
    {
      ...context.config,
      superuser: { name: 'admin', password: 'admin-password-1', email: 'admin@example.com', token },
    },
    () => undefined,
  );
  await app.listen(0, '127.0.0.1');
  if (opts.worker) await app.get(QueueService).startWorker();
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const objects = app.get<ObjectsService>(OBJECTS).as({ user: null, source: 'system' });
  const ds = context.database.dataSource;
  return {
    app,
    ctx: context,
    baseUrl,
    api: new ApiClient(baseUrl, token),
    objects,
    http: () => request(baseUrl),
    async createUser(username, permissions = [], userOpts = {}) {
      const [user] = await objects.create('users.user', [
        { username, password: userOpts.password ?? 'user-password-1', is_active: true },
      ]);
      for (const [i, p] of permissions.entries()) {
        await objects.create('users.objectpermission', [
          {
            name: `${username}-${i}`,
            actions: p.actions,
            object_types: p.object_types,
            constraints: p.constraints ?? null,
            users: [user.id],
          },
        ]);
      }
      const key = generateTokenKey();
      await objects.create('users.token', [
        { user: user.id, key, write_enabled: userOpts.write_enabled ?? true },
      ]);
      return { user, api: new ApiClient(baseUrl, key), token: key };
    },
    async sql<T>(text: string, params: unknown[] = []) {
      return (await ds.query(text, params)) as T[];
    },
    startWorker: () => app.get(QueueService).startWorker(),
    async close() {
      await app.close();
      await dispose();
    },
  };
}

/** Describe-block title suffix naming the database the suite runs on. */
export function onDatabase(title: string): string {
  return `${title} [${testDatabaseKind()}]`;
}
