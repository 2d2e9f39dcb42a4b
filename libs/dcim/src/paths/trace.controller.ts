import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CABLED_KINDS, POWER_FEED } from '../components/kinds';
import { TraceService } from './trace';

/** REST resources whose objects can be traced (every kind a cable ends on), and their models. */
export const TRACEABLE_RESOURCES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(CABLED_KINDS.map((k) => [k.slug, k.label])),
  'power-feeds': POWER_FEED,
};

/** `GET /api/dcim/<component resource>/{id}/trace/`: the cable path from a component. */
@ApiTags('dcim')
@Controller('api/dcim')
export class DcimTraceController {
  constructor(@Inject(TraceService) private readonly tracer: TraceService) {}

  @Get(Object.keys(TRACEABLE_RESOURCES).map((r) => `${r}/:id/trace`))
  @ApiOperation({ summary: 'Trace the cable path from a device component or power feed' })
  @ApiOkResponse({ description: 'A list of `[near end, cable, far end]` segments, as Nautobot returns them' })
  trace(@Req() req: Request, @Param('id') id: string, @Query('depth') depth?: string) {
    const resource = req.path.split('/')[3];
    return this.tracer.trace(TRACEABLE_RESOURCES[resource], id, depth);
  }
}
