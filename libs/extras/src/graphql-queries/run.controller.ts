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
  type GraphQLExecutor,
  type ReadService,
} from '@plinth/plugin-sdk';
import { GRAPHQL_QUERY } from './models';
import { runSavedQuery, savedQueryResponse, type SavedQueryResponse } from './run';

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
    const run = await runSavedQuery(this.graphql, String(saved.query), variables, user);
    if (!run.ran) {
      if (run.status === 400) throw ValidationError.field('variables', run.message);
      throw new PlinthError(run.status, run.message);
    }
    const { result } = run;
    const response = savedQueryResponse(result);
    // Nothing ran (a missing variable, a limit, a query the schema no longer accepts): the
    // request was not answerable, as GraphQL over HTTP says with a 400.
    if (result.data === null && result.errors.length) res.status(400);
    return response;
  }
}
