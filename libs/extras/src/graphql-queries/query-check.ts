import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { GRAPHQL_EXECUTOR, type GraphQLExecutor } from '@plinth/plugin-sdk';

/**
 * The schema check of saved queries. Model rules are plain functions declared before the
 * injector exists, so the process's GraphQL executor is handed to them here; a process without
 * one (the CLI's migrations) checks the syntax only.
 */
export const schemaCheck: { executor: GraphQLExecutor | null } = { executor: null };

@Injectable()
export class GraphQLQuerySchemaCheck implements OnModuleInit {
  constructor(@Optional() @Inject(GRAPHQL_EXECUTOR) private readonly executor?: GraphQLExecutor) {}

  onModuleInit(): void {
    schemaCheck.executor = this.executor ?? null;
  }
}
