import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { Injectable } from '@nestjs/common';
import { AbstractGraphQLDriver, type GqlModuleOptions } from '@nestjs/graphql';
import type { Express, NextFunction, Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';

/** What Plinth hands the driver besides what `@nestjs/graphql` merges (schema, path). */
export interface PlinthApolloOptions extends GqlModuleOptions {
  path: string;
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
    const server = new ApolloServer<BaseContext>({
      ...options.apollo,
      schema: options.schema!,
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
      next();
    });
    app.use(options.path, expressMiddleware(server));
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
