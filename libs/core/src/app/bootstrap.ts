import { Logger, type INestApplication, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  InstallHooks,
  Middleware,
  OBJECTS,
  isClass,
  type MiddlewareContribution,
  type ObjectsService,
  type Registry,
} from '@plinth/plugin-sdk';
import { authMiddleware } from '../http/auth.middleware';
import { AuthenticationService } from '../auth/authentication.service';
import { generatePassword, hashTokenKey } from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';
import { bodyParserMiddleware } from '../http/body-parser.middleware';
import { httpMetricsMiddleware, metricsEndpoint } from '../metrics/endpoint';
import { PlinthMetrics } from '../metrics/metrics';
import { queryParams, requestContextMiddleware } from '../http/request-context.middleware';
import { applyLimits, assertNoNulParams } from '../http/limits';
import { PlinthExceptionFilter } from '../http/exception.filter';
import { securityHeadersMiddleware } from '../http/security-headers';
import { apiVersionMiddleware } from '../http/api-version';
import { pendingMigrations, runMigrations } from '../database/migrations';
import { PlinthAppModule, type AppModuleOptions } from './app.module';
import { PlinthLogger } from './logger';
import {
  buildContext,
  migrationSets,
  PLINTH_CONTEXT,
  type ContextOptions,
  type PlinthContext,
} from './context';

function logLevels(level: PlinthConfig['logLevel']): LogLevel[] {
  const all: LogLevel[] = ['error', 'warn', 'log', 'debug'];
  return all.slice(0, all.indexOf(level) + 1);
}

/** Runs contributed middleware in plugin order (after Plinth has authenticated the request). */
function pluginMiddleware(registry: Registry<MiddlewareContribution>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const items = registry.items();
    let i = 0;
    const step = (err?: unknown): void => {
      if (err) return next(err);
      const item = items[i++];
      if (!item) return next();
      try {
        if (typeof item === 'function' && !isClass(item))
          (item as (a: unknown, b: unknown, c: unknown) => void)(req, res, step);
        else
          void Promise.resolve(
            (item as { use(a: unknown, b: unknown, c: unknown): unknown }).use(req, res, step),
          ).catch(next);
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}

/** Apply pending migrations of core and every plugin (serialised by an advisory lock). */
export async function migrate(ctx: PlinthContext, log: (m: string) => void = () => {}): Promise<number> {
  const report = await runMigrations(ctx.database.dataSource, migrationSets(ctx.plugins), log);
  return report.applied.length;
}

export async function assertMigrated(ctx: PlinthContext): Promise<void> {
  const pending = await pendingMigrations(ctx.database.dataSource, migrationSets(ctx.plugins));
  if (pending.applied.length) {
    const list = pending.applied.map((p) => `${p.plugin}/${p.migration}`).join(', ');
    throw new Error(
      `the database has ${pending.applied.length} unapplied migration(s) (${list}); run "plinth migrate" first`,
    );
  }
}

/** Install hooks (default statuses, ...): idempotent, run as the system after migrations. */
export async function runInstallHooks(app: INestApplicationContext, ctx: PlinthContext): Promise<void> {
  const objects = app.get<ObjectsService>(OBJECTS);
  for (const hook of ctx.registries.get(InstallHooks).items()) {
    await objects.transaction((tx) => hook.run(tx), { user: null, source: 'system' });
  }
}

/**
 * The first user: from PLINTH_SUPERUSER_* when set (and missing), otherwise, on an empty user
 * table, an `admin` superuser whose generated password is printed once.
 */
export async function ensureSuperuser(
  app: INestApplicationContext,
  config: PlinthConfig,
  print: (m: string) => void,
): Promise<void> {
  const objects = app.get<ObjectsService>(OBJECTS);
  const system = objects.as({ user: null, source: 'system' });
  if (config.superuser) {
    const { name, password, email, token } = config.superuser;
    const existing = await system.find('users.user', { username: name });
    let userId = existing[0]?.id as string | undefined;
    if (!userId) {
      const [created] = await system.create('users.user', [
        { username: name, password, email, is_superuser: true, is_staff: true, is_active: true },
      ]);
      userId = String(created.id);
      print(`Created superuser "${name}".`);
    }
    if (token) {
      const ds = app.get<PlinthContext>(PLINTH_CONTEXT).database.dataSource;
      const rows = (await ds.query('SELECT 1 FROM core_token WHERE key_hash = $1', [
        hashTokenKey(token),
      ])) as unknown[];
      if (rows.length === 0) {
        await system.create('users.token', [
          { user: userId, key: token, description: 'PLINTH_SUPERUSER_API_TOKEN' },
        ]);
        print(`Created API token for "${name}".`);
      }
    }
    return;
  }
  if ((await system.count('users.user')) === 0) {
    const password = generatePassword();
    await system.create('users.user', [
      { username: 'admin', password, is_superuser: true, is_staff: true, is_active: true },
    ]);
    print('');
    print('  No users existed, so Plinth created a superuser:');
    print('    username: admin');
    print(`    password: ${password}`);
    print('  This password is shown only once. Change it after logging in.');
    print('');
  }
}

export interface CreateAppOptions extends Partial<AppModuleOptions> {
  /** HTTP set-up of the surfaces (e.g. the REST API's Swagger UI), run before the app starts. */
  configure?: readonly ((app: INestApplication, ctx: PlinthContext) => void)[];
  /** Quieter logs in tests. */
  logger?: LogLevel[] | false;
}

/** Build the Nest app for a context: HTTP (server) or an application context (worker, CLI). */
export async function createApp(
  context: PlinthContext,
  opts: CreateAppOptions = {},
): Promise<INestApplication | INestApplicationContext> {
  const http = opts.http ?? true;
  const module = PlinthAppModule.forRoot(context, { http, modules: opts.modules });
  const logger =
    opts.logger === undefined
      ? new PlinthLogger(context.config.logLevel === 'debug', logLevels(context.config.logLevel))
      : opts.logger;
  if (!http) {
    const appCtx = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
    await appCtx.init();
    return appCtx;
  }
  applyLimits(context.config.limits);
  PlinthExceptionFilter.retryAfterSeconds = context.config.auth.retryAfterSeconds;
  // Routes match case-sensitively (as Nautobot's): `/API/...` is not the API under another name.
  // Set before Nest registers a route, since Express reads it when it creates its router.
  const server = express();
  server.set('case sensitive routing', true);
  // abortOnError: false: a provider that fails while the app is built (e.g. a plugin's GraphQL
  // types clashing) rejects here, so callers report the one-line reason, instead of Nest
  // exiting the process itself.
  const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter(server), {
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  app.set('trust proxy', context.config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestContextMiddleware(context.config));
  const metrics = app.get(PlinthMetrics);
  app.use(httpMetricsMiddleware(metrics));
  app.use(securityHeadersMiddleware());
  app.use((req: Request, _res: Response, next: NextFunction) => {
    try {
      assertNoNulParams(queryParams(req));
      next();
    } catch (e) {
      next(e);
    }
  });
  app.use(apiVersionMiddleware);
  app.use(bodyParserMiddleware(context.config.limits));
  app.use(authMiddleware(app.get(AuthenticationService)));
  app.use(pluginMiddleware(context.registries.get(Middleware)));
  app.use(metricsEndpoint(metrics, context.config.metrics));
  // Surfaces' own routes (Swagger UI) must be registered before init() adds the not-found handler.
  for (const configure of opts.configure ?? []) configure(app, context);
  await app.init();
  metrics.attachPlugins();
  return app;
}

export interface StartOptions extends CreateAppOptions, ContextOptions {
  /** Apply migrations before serving (default: embedded mode, or PLINTH_MIGRATE_ON_START=1). */
  migrate?: boolean;
  print?: (message: string) => void;
  /** Where migration progress goes (default: the Nest logger). */
  migrationLog?: (message: string) => void;
  /**
   * Create the first user (default). Off in the server processes a host's first one started:
   * it created the user already.
   */
  firstUser?: boolean;
}

/**
 * Context, migrations (embedded mode or PLINTH_MIGRATE_ON_START=1; otherwise the database must
 * already be migrated) and the app with install hooks run: what every command that reads or
 * writes data needs, so `plinth generate-demo-data` on a fresh embedded database just works.
 */
export async function openApp(
  config: PlinthConfig,
  opts: StartOptions = {},
): Promise<{ app: INestApplicationContext; ctx: PlinthContext }> {
  const logger = new Logger('Plinth');
  const log = opts.migrationLog ?? ((m: string) => logger.log(m));
  const context = await buildContext(config, opts);
  try {
    const shouldMigrate =
      opts.migrate ?? (!config.databaseUrl || process.env.PLINTH_MIGRATE_ON_START === '1');
    if (shouldMigrate) {
      const n = await migrate(context, log);
      if (n) log(`applied ${n} migration(s)`);
    } else {
      await assertMigrated(context);
    }
    const app = await createApp(context, opts);
    if (shouldMigrate) await runInstallHooks(app, context);
    return { app, ctx: context };
  } catch (e) {
    await context.database.close().catch(() => undefined);
    throw e;
  }
}

/** Everything `plinth start` does before listening: context, migrations, app, first user. */
export async function bootstrap(
  config: PlinthConfig,
  opts: StartOptions = {},
): Promise<{ app: INestApplication; ctx: PlinthContext }> {
  const print = opts.print ?? ((m: string) => process.stdout.write(`${m}\n`));
  const started = Date.now();
  const { app, ctx } = await openApp(config, opts);
  try {
    if (opts.firstUser ?? true) await ensureSuperuser(app, config, print);
    new Logger('Plinth').log(
      `ready in ${Date.now() - started} ms (${ctx.database.kind}, ${ctx.plugins.length} plugins, ${ctx.models.all().length} models)`,
    );
    return { app: app as INestApplication, ctx };
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
}
