import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TraceService } from '@plinth/dcim';

/** `GET /api/circuits/circuit-terminations/{id}/trace/`: the cable path from a circuit termination. */
@ApiTags('circuits')
@Controller('api/circuits/circuit-terminations')
export class CircuitTerminationTraceController {
  constructor(@Inject(TraceService) private readonly tracer: TraceService) {}

  @Get(':id/trace')
  @ApiOperation({ summary: 'Trace the cable path from a circuit termination' })
  @ApiOkResponse({ description: 'A list of `[near end, cable, far end]` segments, as Nautobot returns them' })
  trace(@Param('id') id: string, @Query('depth') depth?: string) {
    return this.tracer.trace('circuits.circuittermination', id, depth);
  }
}
