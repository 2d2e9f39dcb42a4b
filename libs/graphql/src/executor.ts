import { randomUUID } from 'node:crypto';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  GRAPHQL_EXECUTOR,
  GraphQLFields,
  RequestContext,
  type AuthUser,
  type RequestState,
  type TransactionContext,
  type GraphQLExecutionResult,
  type GraphQLExecutor,
} from '@plinth/plugin-sdk';
import {
  FilterEngine,
  GraphQLReader,
  PLINTH_CONTEXT,
  computedContext,
  type PlinthContext,
} from '@plinth/core';
import { CompiledQueries } from './compiled-queries';
import { checkOperationLimits, readOnlyRule } from './limits';
import { GraphQLSchemaFactory } from './schema-factory';

/** The manager the schema's data is read with (a write's own, inside its transaction). */
type EntityManager = TransactionContext['manager'];

/** Largest query document accepted, in tokens (as the HTTP API). */
const MAX_TOKENS = 20_000;

/**
 * GraphQL queries run from code (saved queries of plugins, run by jobs in a worker as well as in
 * the server): the generated schema, built on first use and rebuilt when the data it depends on
 * (custom fields) changes, with the HTTP API's read-only rule and limits, as the given user.
 */
@Injectable()
export class GraphQLExecutorService implements GraphQLExecutor {
  private built: { version: string; schema: Promise<GraphQLSchema> } | null = null;
  private readonly compiled = new CompiledQueries();

  constructor(
    @Inject(PLINTH_CONTEXT) private readonly ctx: PlinthContext,
    private readonly filters: FilterEngine,
    private readonly reader: GraphQLReader,
  ) {}

  private computed(manager: EntityManager = this.ctx.database.dataSource.manager) {
    return computedContext(manager, this.ctx.models);
  }

  private async schema(manager?: EntityManager): Promise<GraphQLSchema> {
    const providers = this.ctx.registries.get(GraphQLFields).entries();
    const versions = await Promise.all(
      providers.filter((p) => p.item.version).map((p) => p.item.version!(this.computed(manager))),
    );
    const version = versions.join('|');
    if (!this.built || this.built.version !== version) {
      const factory = new GraphQLSchemaFactory(this.ctx.models, this.filters, this.reader, providers);
      const schema = factory.build(this.computed(manager)).then((g) => g.schema);
      this.built = { version, schema };
      schema.catch(() => (this.built = null));
    }
    return this.built.schema;
  }

  async execute(
    query: string,
    opts: { user: AuthUser | null; variables?: Record<string, unknown> },
  ): Promise<GraphQLExecutionResult> {
    // Inside a request (a saved query run over REST), keep its request id, base URL and source,
    // so URLs in the data are absolute; otherwise (jobs) a state of its own. The user is always
    // the one given.
    const current = RequestContext.current();
    const state: RequestState = {
      request_id: current?.request_id ?? randomUUID(),
      user: opts.user,
      base_url: current?.base_url ?? '',
      source: current?.source ?? 'job',
      sql_count: 0,
    };
    // Reads are scoped by the request's user: run the whole query as that user.
    return RequestContext.run(state, async () => {
      const prepared = await this.prepare(query);
      if ('errors' in prepared) return { data: null, errors: prepared.errors };
      const { schema, document, operation } = prepared;
      const variables = opts.variables ?? {};
      try {
        checkOperationLimits(this.ctx.config.graphql, schema, operation, document, variables);
      } catch (e) {
        if (e instanceof GraphQLError) return { data: null, errors: [e.message] };
        throw e;
      }
      const result = await this.compiled.run({ schema, document, source: query, variables });
      return {
        data: (result.data as Record<string, unknown> | null | undefined) ?? null,
        errors: (result.errors ?? []).map((e) => e.message),
      };
    });
  }

  async check(query: string, opts: { tx?: TransactionContext } = {}): Promise<string[]> {
    const prepared = await this.prepare(query, opts.tx?.manager);
    return 'errors' in prepared ? prepared.errors : [];
  }

  /** Parsed and validated against the schema, with its one operation; or why not. */
  private async prepare(
    query: string,
    manager?: EntityManager,
  ): Promise<
    | { schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode }
    | { errors: string[] }
  > {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: MAX_TOKENS });
    } catch (e) {
      return { errors: [(e as Error).message] };
    }
    const schema = await this.schema(manager);
    const invalid = validate(schema, document, [...specifiedRules, readOnlyRule]);
    if (invalid.length) return { errors: invalid.map((e) => e.message) };
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (operations.length !== 1) return { errors: ['The query must hold exactly one operation.'] };
    return { schema, document, operation: operations[0] };
  }
}

/** Provides GRAPHQL_EXECUTOR to every module (the server's surfaces and workers import it). */
@Global()
@Module({
  providers: [GraphQLExecutorService, { provide: GRAPHQL_EXECUTOR, useExisting: GraphQLExecutorService }],
  exports: [GRAPHQL_EXECUTOR],
})
export class PlinthGraphQLExecutorModule {}
