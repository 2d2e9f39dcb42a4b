import type { ApolloServer, ApolloServerOptions, BaseContext } from '@apollo/server';
import { Injectable, Logger } from '@nestjs/common';
import { AbstractGraphQLDriver, GraphQLSchemaHost, type GqlModuleOptions } from '@nestjs/graphql';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { printSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
import { CompiledQueries } from './compiled-queries';

/**
 * Size of the cache of parsed documents, in Apollo's estimate (their JSON's length): a small
 * query's estimate is 2-3 KB, but its tokens and locations take about 10 KB of heap, so 1 MiB
 * holds some 400 documents in about 4 MiB.
 */
const DOCUMENT_STORE_BYTES = 2 ** 20;

type Gateway = NonNullable<ApolloServerOptionsWithGateway<BaseContext>['gateway']>;
/** What runs an operation Apollo has parsed, validated and checked. */
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

/** What Plinth hands the driver besides what `@nestjs/graphql` merges (path). */
export interface PlinthApolloOptions extends GqlModuleOptions {
  path: string;
  /**
   * The served schema, built on first use (the first request, or `currentSchema()`) rather than
   * at start-up: `build` gives its SDL and resolvers. A schema that depends on data (custom
   * fields) has a `version`, asked before each request; when it differs from the served
   * schema's, the schema is built again and swapped in.
   */
  served: {
    version?(): Promise<string>;
    build(): Promise<{ typeDefs: string; resolvers: GqlModuleOptions['resolvers'] }>;
  };
  apollo: Omit<ApolloServerOptions<BaseContext>, 'schema' | 'typeDefs' | 'resolvers' | 'gateway'>;
}

/**
 * Apollo Server 5 mounted on Nest's Express app, written here instead of taking `@nestjs/apollo`:
 * that package depends on Apollo's GraphQL Playground plugin, which wants Apollo Server 4, so a
 * fresh install of Plinth's packages (an out-of-tree plugin's test kit) made npm's resolver loop
 * between Apollo 4 and 5. Plinth serves its own GraphiQL and needs none of the rest.
 *
 * The schema and Apollo itself are made on first use: building the schema was the largest part
 * of start-up (about a second and a dozen MB of heap), and many processes never answer GraphQL.
 */
@Injectable()
export class PlinthApolloDriver extends AbstractGraphQLDriver<PlinthApolloOptions> {
  private server?: ApolloServer<BaseContext>;
  private handler?: RequestHandler;
  private schema?: GraphQLSchema;
  private servedVersion = '';
  private options?: PlinthApolloOptions;
  private readonly logger = new Logger('GraphQL');
  private building?: Promise<void>;
  private publish?: (schema: GraphQLSchema) => void;
  private stopped = false;
  private readonly compiled = new CompiledQueries();

  constructor(private readonly schemaHost: GraphQLSchemaHost) {
    super();
  }

  get instance(): ApolloServer<BaseContext> | undefined {
    return this.server;
  }

  /** The schema being served, built first if no request has needed it yet. */
  async currentSchema(): Promise<GraphQLSchema> {
    await this.ensureCurrent();
    return this.schema!;
  }

  start(options: PlinthApolloOptions): Promise<void> {
    const adapter = this.httpAdapterHost.httpAdapter;
    if (adapter.getType() !== 'express') throw new Error('Plinth serves GraphQL on Express only');
    this.options = options;
    adapter.getInstance<Express>().use(options.path, (req: Request, res: Response, next: NextFunction) => {
      // Express 5's body parser leaves `body` unset without a payload; Apollo wants an object.
      req.body = (req.body as unknown) ?? {};
      this.ensureCurrent().then(() => this.handler!(req, res, next), next);
    });
    return Promise.resolve();
  }

  /**
   * Builds the schema when none is served yet or the data it depends on changed. One build at
   * a time: concurrent requests wait for the same one.
   */
  private async ensureCurrent(): Promise<void> {
    const served = this.options!.served;
    while (this.building) await this.building;
    const version = served.version ? await served.version() : '';
    if (this.schema && version === this.servedVersion) return;
    if (this.building) return this.ensureCurrent();
    this.building = this.build(version);
    try {
      await this.building;
    } finally {
      this.building = undefined;
    }
  }

  private async build(version: string): Promise<void> {
    const options = this.options!;
    try {
      const next = await options.served.build();
      const schema = await this.generateSchema({
        ...options,
        schema: undefined,
        typeDefs: [next.typeDefs],
        resolvers: next.resolvers,
      });
      if (!schema) throw new Error('the build produced no schema');
      this.schema = schema;
      this.schemaHost.schema = schema;
      if (this.server) this.publish?.(schema);
      else await this.startApollo(options);
    } catch (e) {
      // Nothing served yet: this request fails and the next one tries again.
      if (!this.server) throw e;
      // Keep serving the schema that works; the next change of the data tries again.
      this.logger.error(`GraphQL schema rebuild failed, the previous schema stays: ${(e as Error).message}`);
    }
    this.servedVersion = version;
  }

  private async startApollo(options: PlinthApolloOptions): Promise<void> {
    const { ApolloServer } = await import('@apollo/server');
    const { ApolloServerPluginLandingPageDisabled } = await import('@apollo/server/plugin/disabled');
    const { ApolloServerPluginDrainHttpServer } = await import('@apollo/server/plugin/drainHttpServer');
    const { expressMiddleware } = await import('@as-integrations/express5');
    const { InMemoryLRUCache } = await import('@apollo/utils.keyvaluecache');
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
      // Parsed and validated documents, by their text. Apollo's default holds 30 MiB, which a
      // process reaches only from clients writing values into their documents instead of
      // variables (each value a new document), and which it then keeps for good: its RSS crept
      // up by that much (a heap snapshot diff: graphql-js tokens and locations of cached documents,
      // 10 MiB more between the 2,000th and 10,000th request with 4 MiB). Clients' fixed queries
      // fit many times over.
      documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_STORE_BYTES }),
      // Plinth closes the app on SIGTERM/SIGINT itself; Apollo's own handler would re-raise the
      // signal and kill the process before the database is closed.
      stopOnTerminationSignals: false,
      plugins: [
        ...(options.apollo.plugins ?? []),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginDrainHttpServer({ httpServer: this.httpAdapterHost.httpAdapter.getHttpServer() }),
      ],
    });
    // The app closed while this request built the schema: do not start what nobody stops.
    if (this.stopped) throw new Error('the server is shutting down');
    await server.start();
    this.handler = expressMiddleware(server);
    this.server = server;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.building?.catch(() => undefined);
    await this.server?.stop();
  }
}
