import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  Injectable,
  Logger,
  Module,
  RequestMethod,
  type DynamicModule,
  type INestApplicationContext,
  type MiddlewareConsumer,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { AbstractGraphQLDriver, GraphQLModule } from '@nestjs/graphql';
import type { NextFunction, Request, Response } from 'express';
import {
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLScalarType,
  printSchema,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { GraphQLFields, GraphQLTypeDefs } from '@plinth/plugin-sdk';
import {
  FilterEngine,
  GraphQLReader,
  PLINTH_CONTEXT,
  assertApiAccess,
  computedContext,
  type PlinthContext,
  type PlinthRequest,
} from '@plinth/core';
import { PlinthApolloDriver, type PlinthApolloOptions } from './apollo-driver';
import { applyPluginTypeDefs, checkPluginResolvers } from './contributions';
import { dedupeErrorsPlugin, graphqlErrorFormatter } from './errors';
import { GraphiQLController } from './graphiql.controller';
import { limitsPlugin, readOnlyRule } from './limits';
import { GraphQLSchemaFactory } from './schema-factory';

/** Where Apollo answers. */
export const GRAPHQL_PATH = '/api/graphql';

/** Largest query document accepted, in tokens (GraphiQL's introspection query has about 500). */
export const MAX_DOCUMENT_TOKENS = 20_000;

/**
 * `POST /api/graphql/` needs a user, as every API route; anonymous requests get REST's 403
 * `{"detail": ...}` before GraphQL sees them. The API is read-only, so read-only tokens may use it.
 */
@Injectable()
export class GraphQLAccessMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    assertApiAccess(req as PlinthRequest, false);
    next();
  }
}

/** The resolvers of a schema built with graphql-js, as the resolver map Nest and Apollo merge. */
export function resolverMap(schema: GraphQLSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (
      type instanceof GraphQLScalarType &&
      !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)
    ) {
      out[type.name] = type;
    } else if (type instanceof GraphQLInterfaceType && type.resolveType) {
      out[type.name] = { __resolveType: type.resolveType };
    } else if (type instanceof GraphQLObjectType) {
      const fields: Record<string, GraphQLFieldResolver<unknown, unknown>> = {};
      for (const [name, field] of Object.entries(type.getFields()))
        if (field.resolve) fields[name] = field.resolve;
      out[type.name] = fields;
    }
  }
  return out;
}

/**
 * Apollo options: the generated schema (as SDL plus its resolvers) merged with the plugins'
 * SDL, whose Nest resolvers `@nestjs/graphql` finds among the plugins' providers; limits,
 * error classification, no Playground (GraphiQL is served locally at `/graphql/`).
 *
 * The schema is built on first use (see PlinthApolloDriver). What plugins add is checked here,
 * at start-up, against the schema's outline (its types and fields without the list fields'
 * filter arguments, which are most of its size): a clash still stops start-up naming the plugin.
 */
async function apolloOptions(
  ctx: PlinthContext,
  filters: FilterEngine,
  reader: GraphQLReader,
  container: ModulesContainer,
): Promise<PlinthApolloOptions> {
  const providers = ctx.registries.get(GraphQLFields).entries();
  const typeDefs = ctx.registries.get(GraphQLTypeDefs).entries();
  const computed = () => computedContext(ctx.database.dataSource.manager, ctx.models);
  const logger = new Logger('GraphQL');
  // A fresh factory each time: it caches the types it built.
  const generate = async (withArguments: boolean) => {
    const factory = new GraphQLSchemaFactory(ctx.models, filters, reader, providers, { withArguments });
    const generated = await factory.build(computed());
    const extended = applyPluginTypeDefs(generated, typeDefs);
    checkPluginResolvers(container, ctx.plugins, generated, extended);
    return { generated, extended };
  };
  await generate(false);
  // Fields that depend on data (custom fields): their providers' versions, asked per request.
  const versioned = providers.filter((p) => p.item.version);
  return {
    path: GRAPHQL_PATH,
    served: {
      version: versioned.length
        ? async () => (await Promise.all(versioned.map((p) => p.item.version!(computed())))).join('|')
        : undefined,
      build: async () => {
        const { generated, extended } = await generate(true);
        for (const w of generated.warnings) logger.warn(w);
        return {
          typeDefs: [printSchema(generated.schema), ...extended.typeDefs].join('\n'),
          resolvers: resolverMap(generated.schema) as PlinthApolloOptions['resolvers'],
        };
      },
    },
    apollo: {
      introspection: true,
      includeStacktraceInErrorResponses: false,
      persistedQueries: false,
      // Validation runs before the limits plugin and some of it grows with the square of the
      // document's size: huge documents are refused while parsing.
      parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
      validationRules: [readOnlyRule],
      formatError: graphqlErrorFormatter(),
      // No cache-control hints are used; Apollo's default plugin would otherwise hook every field.
      plugins: [
        limitsPlugin(ctx.config.graphql),
        dedupeErrorsPlugin(),
        ApolloServerPluginCacheControlDisabled(),
      ],
    },
  };
}

/**
 * The GraphQL API: `POST /api/graphql/` (Apollo through `@nestjs/graphql`) and GraphiQL at
 * `/graphql/`. The server adds it to the app (see `serverSurfaces()`).
 */
@Module({})
export class PlinthGraphQLModule implements NestModule {
  static forRoot(): DynamicModule {
    return {
      module: PlinthGraphQLModule,
      imports: [
        GraphQLModule.forRootAsync<PlinthApolloOptions>({
          driver: PlinthApolloDriver,
          inject: [PLINTH_CONTEXT, FilterEngine, GraphQLReader, ModulesContainer],
          useFactory: apolloOptions,
        }),
      ],
      controllers: [GraphiQLController],
      providers: [GraphQLAccessMiddleware],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphQLAccessMiddleware).forRoutes({ path: 'api/graphql', method: RequestMethod.ALL });
  }
}

/**
 * The served schema (generated types and plugins' additions) as SDL, e.g. for review snapshots;
 * built first if no request has needed it yet.
 */
export async function graphqlSchemaSdl(app: INestApplicationContext): Promise<string> {
  const driver = app.get<AbstractGraphQLDriver, PlinthApolloDriver>(AbstractGraphQLDriver, { strict: false });
  return printSchema(await driver.currentSchema());
}
