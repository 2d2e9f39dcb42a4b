import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ErrorCollector,
  NotFoundError,
  READS,
  RequestContext,
  asUser,
  type ReadService,
} from '@plinth/plugin-sdk';
import { dynamicGroupModel } from './models';

/** A non-negative integer query parameter, or a 400 naming it. */
function intParam(raw: string | undefined, name: string, errors: ErrorCollector): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,9}$/.test(raw)) {
    errors.add(name, 'A valid non-negative integer is required.');
    return undefined;
  }
  return Number(raw);
}

/**
 * `GET /api/extras/dynamic-groups/{id}/members/` (Nautobot's): a page of the group's members as
 * the content type's list endpoint shows them, limited to what the user may view. The same list
 * is `GET <content type's list>?dynamic_groups=<id>`, with every other filter beside it.
 */
@ApiTags('extras')
@Controller('api/extras/dynamic-groups')
export class DynamicGroupMembersController {
  constructor(@Inject(READS) private readonly reads: ReadService) {}

  @Get(':id/members')
  @ApiOperation({ summary: 'List the members of a dynamic group' })
  @ApiOkResponse({
    description: 'A page of objects of the group’s content type (count, next, previous, results)',
  })
  async members(
    @Req() req: Request,
    @Param('id') id: string,
    @Query('limit') rawLimit?: string,
    @Query('offset') rawOffset?: string,
    @Query('depth') rawDepth?: string,
    @Query('brief') brief?: string,
  ) {
    const actor = asUser(RequestContext.current()?.user ?? null);
    const group = await this.reads.get(actor, dynamicGroupModel, id, { as: 'record' });
    if (!group) throw new NotFoundError();
    const errors = new ErrorCollector();
    let limit = intParam(rawLimit, 'limit', errors) ?? 50;
    const offset = intParam(rawOffset, 'offset', errors) ?? 0;
    const depth = intParam(rawDepth, 'depth', errors) ?? 0;
    if (depth > 3) errors.add('depth', 'Ensure this value is less than or equal to 3.');
    errors.throwIfAny();
    if (limit === 0 || limit > 1000) limit = 1000;
    const page = await this.reads.list(
      actor,
      group.content_type,
      { dynamic_groups: group.id },
      { limit, offset },
      { depth, brief: brief === '1' || brief === 'true' },
    );
    const count = page.count ?? 0;
    const base = `${RequestContext.current()?.base_url ?? ''}${req.path}`;
    const link = (off: number) => `${base}?limit=${limit}${off > 0 ? `&offset=${off}` : ''}`;
    return {
      count,
      next: offset + limit < count ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: page.results,
    };
  }
}
