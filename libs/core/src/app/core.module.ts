import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { ModuleRef, ModulesContainer } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bull';
import { TypeOrmModule } from '@nestjs/typeorm';
import Bull, { type Queue } from 'bull';
import { DataSource } from 'typeorm';
import {
  AUTHORIZATION,
  PASSWORD_LOGIN,
  PasswordBackends,
  WEB_SESSIONS,
  CORE_CONFIG,
  CustomValidators,
  EVENT_SETTINGS,
  EventSubscribers,
  GRAPHQL_OBJECTS,
  Jobs,
  JOB_QUEUE,
  PLATFORM_HEALTH,
  JobRecorders,
  type JobRunRecorder,
  Metrics,
  MODELS,
  OBJECTS,
  PLUGIN_SETTINGS,
  READS,
  SQL,
  type SqlRunner,
  type EventSettings,
  type JobDefinition,
  type Registry,
} from '@plinth/plugin-sdk';
import { AuthenticationService } from '../auth/authentication.service';
import { AuthorizationService } from '../auth/authorization.service';
import { WebSessionService } from '../auth/web-sessions';
import { ChangeEvents } from '../changelog/changelog';
import { EventOutbox, outboxJob } from '../events/outbox';
import { PlinthMetrics } from '../metrics/metrics';
import { ObjectsServiceImpl } from '../host/objects.service';
import { Reads } from '../read/read-service';
import { ModelRegistry } from '../models/model-registry';
import { QueryEngine, sqlRunner } from '../query/query-engine';
import { FilterEngine } from '../query/filter-engine';
import { housekeepingJob } from '../queue/housekeeping';
import { BullQueue, InProcessQueue, type QueueDriver } from '../queue/queue';
import { QueueService } from '../queue/queue.service';
import { Serializer } from '../serialize/serializer';
import { WriteService } from '../write/write-service';
import { checkPluginRoutes } from '../host/route-limits';
import { PlatformHealthService } from '../host/platform-health';
import { GraphQLObjectsService } from '../read/graphql-objects';
import { GraphQLReader } from '../read/batched-reader';
import { PLINTH_CONTEXT, type PlinthContext } from './context';

export const QUEUE_DRIVER = Symbol.for('plinth:queue-driver');
const QUEUE_NAME = 'plinth';

/** Turns contributed classes into instances once every module's providers exist. */
class HostLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Plinth');

  constructor(
    @Inject(PLINTH_CONTEXT) private readonly ctx: PlinthContext,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(QUEUE_DRIVER) private readonly queue: QueueDriver,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    checkPluginRoutes(this.modules, this.ctx.plugins);
    for (const registry of this.ctx.registries.all()) {
      await registry.resolve(async (cls) => {
        try {
          return this.moduleRef.get(cls, { strict: false });
        } catch {
          return this.moduleRef.create(cls);
        }
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch((e: unknown) => this.logger.warn(`queue close: ${String(e)}`));
    await this.ctx.database.close();
  }
}

/**
 * Everything core provides to every module (and so to every plugin): the data source, the model
 * registry, the registries, the write path (OBJECTS), authorization, settings, the queue.
 */
@Global()
@Module({})
export class PlinthCoreModule {
  static forRoot(ctx: PlinthContext): DynamicModule {
    const { config } = ctx;
    const settings = Object.fromEntries(ctx.plugins.map((p) => [p.name, Object.freeze({ ...p.settings })]));
    ctx.registries.get(Jobs).register(housekeepingJob(ctx.database.dataSource, config), 'core');
    const eventSettings: EventSettings = Object.freeze({
      retry_base_ms: config.events.retryBaseMs,
      max_attempts: config.events.maxAttempts,
      sweep_ms: config.events.sweepMs,
      retention_days: config.changelogRetentionDays,
      webhook_allowed_hosts: Object.freeze([...config.events.webhookAllowedHosts]),
    });
    let outbox: EventOutbox | undefined;
    ctx.registries.get(Jobs).register(
      outboxJob(() => outbox!, eventSettings),
      'core',
    );

    const queueImports = config.redisUrl
      ? [
          BullModule.forRoot({ redis: config.redisUrl, prefix: config.queuePrefix }),
          BullModule.registerQueue({ name: QUEUE_NAME }),
        ]
      : [];
    const queueProvider: Provider = config.redisUrl
      ? {
          provide: QUEUE_DRIVER,
          useFactory: (q: Queue) =>
            new BullQueue(
              q,
              config.queuePrefix,
              // Task queues other than the default: a Bull queue each, on the same Redis and prefix.
              (taskQueue) =>
                new Bull(`${QUEUE_NAME}-${taskQueue}`, config.redisUrl!, { prefix: config.queuePrefix }),
            ),
          inject: [getQueueToken(QUEUE_NAME)],
        }
      : { provide: QUEUE_DRIVER, useValue: new InProcessQueue() };

    const providers: Provider[] = [
      { provide: PLINTH_CONTEXT, useValue: ctx },
      { provide: CORE_CONFIG, useValue: config },
      { provide: ModelRegistry, useValue: ctx.models },
      { provide: MODELS, useExisting: ModelRegistry },
      { provide: PLUGIN_SETTINGS, useValue: Object.freeze(settings) },
      // Each plugin's typed settings under its own token (definePluginSettings).
      ...ctx.plugins.flatMap((p) =>
        p.manifest.settings
          ? [{ provide: p.manifest.settings.token, useValue: Object.freeze(p.settings) }]
          : [],
      ),
      { provide: SQL, useFactory: (ds: DataSource) => sqlRunner(ds.manager), inject: [DataSource] },
      ...ctx.registries.all().map((r) => ({ provide: r.token.provide, useValue: r })),
      { provide: QueryEngine, useFactory: (m: ModelRegistry) => new QueryEngine(m), inject: [ModelRegistry] },
      { provide: FilterEngine, useFactory: (q: QueryEngine) => q.filters, inject: [QueryEngine] },
      {
        provide: Serializer,
        useFactory: (m: ModelRegistry, q: QueryEngine) => new Serializer(m, q),
        inject: [ModelRegistry, QueryEngine],
      },
      {
        provide: AuthorizationService,
        useFactory: (ds: DataSource, m: ModelRegistry, q: QueryEngine) =>
          new AuthorizationService(ds, m, q.filters),
        inject: [DataSource, ModelRegistry, QueryEngine],
      },
      { provide: AUTHORIZATION, useExisting: AuthorizationService },
      {
        provide: AuthenticationService,
        useFactory: (ds: DataSource) =>
          new AuthenticationService(ds, config, ctx.registries.get(PasswordBackends)),
        inject: [DataSource],
      },
      { provide: PASSWORD_LOGIN, useExisting: AuthenticationService },
      {
        provide: WebSessionService,
        useFactory: (a: AuthenticationService) => new WebSessionService(a),
        inject: [AuthenticationService],
      },
      { provide: WEB_SESSIONS, useExisting: WebSessionService },
      { provide: ChangeEvents, useValue: new ChangeEvents() },
      { provide: EVENT_SETTINGS, useValue: eventSettings },
      {
        provide: EventOutbox,
        useFactory: (ds: DataSource, d: QueueDriver) =>
          (outbox = new EventOutbox(ds, ctx.registries.get(EventSubscribers), d, eventSettings)),
        inject: [DataSource, QUEUE_DRIVER],
      },
      {
        provide: WriteService,
        useFactory: (
          ds: DataSource,
          m: ModelRegistry,
          q: QueryEngine,
          s: Serializer,
          a: AuthorizationService,
          e: ChangeEvents,
          o: EventOutbox,
        ) => new WriteService(ds, m, q, s, a, ctx.registries.get(CustomValidators), e, o),
        inject: [
          DataSource,
          ModelRegistry,
          QueryEngine,
          Serializer,
          AuthorizationService,
          ChangeEvents,
          EventOutbox,
        ],
      },
      {
        provide: ObjectsServiceImpl,
        useFactory: (w: WriteService) => new ObjectsServiceImpl(w),
        inject: [WriteService],
      },
      { provide: OBJECTS, useExisting: ObjectsServiceImpl },
      {
        provide: Reads,
        useFactory: (
          ds: DataSource,
          m: ModelRegistry,
          q: QueryEngine,
          s: Serializer,
          a: AuthorizationService,
        ) => new Reads(ds, m, q, s, a),
        inject: [DataSource, ModelRegistry, QueryEngine, Serializer, AuthorizationService],
      },
      { provide: READS, useExisting: Reads },
      queueProvider,
      {
        provide: QueueService,
        useFactory: (
          d: QueueDriver,
          o: ObjectsServiceImpl,
          db: SqlRunner,
          m: ModelRegistry,
          refs: ModuleRef,
        ) =>
          new QueueService(
            d,
            ctx.registries.get(Jobs) as Registry<JobDefinition>,
            o,
            db,
            m,
            (token) => refs.get(token, { strict: false }),
            ctx.registries.get(JobRecorders) as Registry<JobRunRecorder>,
            settings,
          ),
        inject: [QUEUE_DRIVER, ObjectsServiceImpl, SQL, ModelRegistry, ModuleRef],
      },
      { provide: JOB_QUEUE, useExisting: QueueService },
      {
        provide: PLATFORM_HEALTH,
        useFactory: (ds: DataSource, d: QueueDriver) => new PlatformHealthService(ctx, ds, d),
        inject: [DataSource, QUEUE_DRIVER],
      },
      {
        // GraphQL reads live here, not in the GraphQL module: plugin resolvers inject them, and
        // plugin modules are loaded by the worker and the CLI too, which serve no GraphQL.
        provide: GraphQLReader,
        useFactory: (ds: DataSource, m: ModelRegistry, q: QueryEngine, r: Reads) =>
          new GraphQLReader(ds, m, q, r),
        inject: [DataSource, ModelRegistry, QueryEngine, Reads],
      },
      {
        provide: GRAPHQL_OBJECTS,
        useFactory: (r: GraphQLReader, m: ModelRegistry) => new GraphQLObjectsService(r, m),
        inject: [GraphQLReader, ModelRegistry],
      },
      {
        provide: PlinthMetrics,
        useFactory: (ds: DataSource, m: ModelRegistry, d: QueueDriver, j: QueueService, o: EventOutbox) =>
          new PlinthMetrics({
            dataSource: ds,
            models: m,
            queue: d,
            jobs: j,
            outbox: o,
            plugins: ctx.registries.get(Metrics),
            settings: config.metrics,
          }),
        inject: [DataSource, ModelRegistry, QUEUE_DRIVER, QueueService, EventOutbox],
      },
      HostLifecycle,
    ];
    return {
      module: PlinthCoreModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...ctx.database.dataSource.options }),
          dataSourceFactory: () => Promise.resolve(ctx.database.dataSource),
        }),
        ...queueImports,
      ],
      providers,
      exports: [
        ...providers.map((p) => (typeof p === 'function' ? p : (p as { provide: unknown }).provide)),
        TypeOrmModule,
      ] as never[],
    };
  }
}
