import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { Injectable, Logger } from '@nestjs/common';
import { AbstractGraphQLDriver, type GqlModuleOptions } from '@nestjs/graphql';
import type { Express, NextFunction, Request, Response } from 'express';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { printSchema, type GraphQLSchema } from 'graphql';
import { CompiledQueries } from './compiled-queries';

type Gateway = NonNullable<ApolloServerOptionsWithGateway<BaseContext>['gateway']>;
/** What runs an operation Apollo has parsed, validated and checked. */
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** What Plinth hands the driver besides what `@nestjs/graphql` merges (schema, path). */
export interface PlinthApolloOptions extends GqlModuleOptions {
  path: string;
  /**
   * A schema that depends on data (custom fields): `version` is asked before each request, and
   * when it differs from the served schema's the schema is rebuilt (`rebuild`) and swapped in.
   */
  refresh?: {
    version(): Promise<string>;
    initial: string;
    rebuild(): Promise<{ typeDefs: string; resolvers: GqlModuleOptions['resolvers'] }>;
  };
  apollo: Omit<ApolloServerOptions<BaseContext>, 'schema' | 'typeDefs' | 'resolvers' | 'gateway'>;
}

/**
 * Apollo Server 5 mounted on Nest's Express app, written here instead of taking `@nestjs/apollo`:
 * that package depends on Apollo's GraphQL Playground plugin, which wants Apollo Server 4, so a
 * fresh install of Plinth's packages (an out-of-tree plugin's test kit) made npm's resolver loop
 * between Apollo 4 and 5. Plinth serves its own GraphiQL and needs none of the rest.
 */
@Injectable()
export class PlinthApolloDriver extends AbstractGraphQLDriver<PlinthApolloOptions> {
  private server?: ApolloServer<BaseContext>;
  private schema?: GraphQLSchema;
  private servedVersion = '';
  private readonly logger = new Logger('GraphQL');
  private rebuilding?: Promise<void>;
  private publish?: (schema: GraphQLSchema) => void;
  private readonly compiled = new CompiledQueries();

  get instance(): ApolloServer<BaseContext> | undefined {
    return this.server;
  }

  /** The schema being served. */
  get currentSchema(): GraphQLSchema | undefined {
    return this.schema;
  }

  async start(options: PlinthApolloOptions): Promise<void> {
    const adapter = this.httpAdapterHost.httpAdapter;
    if (adapter.getType() !== 'express') throw new Error('Plinth serves GraphQL on Express only');
    const app = adapter.getInstance<Express>();
    this.schema = options.schema!;
    this.servedVersion = options.refresh?.initial ?? '';
    // Apollo swaps schemas only through its gateway interface: a local one whose schema
    // Plinth replaces. Its executor runs what Apollo parsed, validated and checked (limits)
    // as a compiled query; parsing, validation, plugins and error formatting stay Apollo's.
    const executor: GatewayExecutor = async (request) =>
      this.compiled.run({
        schema: request.schema,
        document: request.document,
        source: request.source,
        operationName: request.operationName,
        variables: request.request.variables,
        context: request.context,
      });
    const gateway: Gateway = {
      onSchemaLoadOrUpdate: (callback) => {
        this.publish = (schema) => callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
        return () => (this.publish = undefined);
      },
      load: () => {
        this.publish?.(this.schema!);
        return Promise.resolve({ executor });
      },
      stop: () => Promise.resolve(),
    };
    const server = new ApolloServer<BaseContext>({
      ...options.apollo,
      gateway,
      // Plinth closes the app on SIGTERM/SIGINT itself; Apollo's own handler would re-raise the
      // signal and kill the process before the database is closed.
      stopOnTerminationSignals: false,
      plugins: [
        ...(options.apollo.plugins ?? []),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginDrainHttpServer({ httpServer: adapter.getHttpServer() }),
      ],
    });
    await server.start();
    // Express 5's body parser leaves `body` unset without a payload; Apollo wants an object.
    app.use(options.path, (req: Request, _res: Response, next: NextFunction) => {
      req.body = (req.body as unknown) ?? {};
      if (!options.refresh) return next();
      this.ensureCurrent(options).then(() => next(), next);
    });
    app.use(options.path, expressMiddleware(server));
    this.server = server;
  }

  /** Rebuild and swap the schema when the data it depends on changed (one rebuild at a time). */
  private async ensureCurrent(options: PlinthApolloOptions): Promise<void> {
    const refresh = options.refresh!;
    while (this.rebuilding) await this.rebuilding;
    const version = await refresh.version();
    if (version === this.servedVersion) return;
    if (this.rebuilding) return this.ensureCurrent(options);
    this.rebuilding = (async () => {
      try {
        const next = await refresh.rebuild();
        const schema = await this.generateSchema({
          ...options,
          schema: undefined,
          typeDefs: [next.typeDefs],
          resolvers: next.resolvers,
        });
        if (!schema) throw new Error('the rebuild produced no schema');
        this.schema = schema;
        this.publish?.(schema);
      } catch (e) {
        // Keep serving the schema that works; the next change of the data tries again.
        this.logger.error(
          `GraphQL schema rebuild failed, the previous schema stays: ${(e as Error).message}`,
        );
      }
      this.servedVersion = version;
    })();
    try {
      await this.rebuilding;
    } finally {
      this.rebuilding = undefined;
    }
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
