import { Body, Controller, HttpCode, Inject, Optional, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AUTHORIZATION,
  GRAPHQL_EXECUTOR,
  NotFoundError,
  PlinthError,
  READS,
  RequestContext,
  ValidationError,
  asUser,
  type Authorization,
  type GraphQLExecutionResult,
  type GraphQLExecutor,
  type ReadService,
} from '@plinth/plugin-sdk';
import { GRAPHQL_QUERY } from './models';

/** The answer of a run, in GraphQL's response shape (Nautobot's `…/run/` answers the same). */
export interface SavedQueryResponse {
  data: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export function savedQueryResponse(result: GraphQLExecutionResult): SavedQueryResponse {
  return result.errors.length
    ? { data: result.data, errors: result.errors.map((message) => ({ message })) }
    : { data: result.data };
}

/**
 * `POST /api/extras/graphql-queries/{id}/run/` with `{"variables": {...}}`: runs a saved query as
 * the requesting user (their view permissions scope its data). Viewing the saved query is what
 * it takes: the query reads only what the user may read anyway.
 */
@ApiTags('extras')
@Controller('api/extras/graphql-queries')
export class GraphQLQueryRunApiController {
  constructor(
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
    @Inject(READS) private readonly reads: ReadService,
    @Optional() @Inject(GRAPHQL_EXECUTOR) private readonly graphql?: GraphQLExecutor,
  ) {}

  @Post(':id/run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a saved GraphQL query' })
  @ApiOkResponse({ description: '`data` (and `errors`), as `POST /api/graphql/` answers' })
  async run(
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SavedQueryResponse> {
    const user = RequestContext.current()?.user ?? null;
    await this.authz.assert(user, 'view', GRAPHQL_QUERY);
    const saved = await this.reads.get(asUser(user), GRAPHQL_QUERY, id);
    if (!saved) throw new NotFoundError();
    const variables = (body as { variables?: unknown } | null | undefined)?.variables ?? {};
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
      throw ValidationError.field('variables', 'Enter the variables as a JSON object.');
    if (!this.graphql) throw new PlinthError(503, 'This process cannot run GraphQL queries.');
    const result = await this.graphql.execute(String(saved.query), {
      user,
      variables: variables as Record<string, unknown>,
    });
    const response = savedQueryResponse(result);
    // Nothing ran (a missing variable, a limit, a query the schema no longer accepts): the
    // request was not answerable, as GraphQL over HTTP says with a 400.
    if (result.data === null && result.errors.length) res.status(400);
    return response;
  }
}
