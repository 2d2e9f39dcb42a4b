import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WidgetSummaryService } from './summary.service';

/** A hand-written endpoint next to the generated ones: `/api/plugins/example/summary/`. */
@ApiTags('plugins')
@Controller('api/plugins/example/summary')
export class WidgetSummaryController {
  constructor(@Inject(WidgetSummaryService) private readonly summaries: WidgetSummaryService) {}

  @Get()
  @ApiOperation({ summary: 'Widget counts per kind' })
  @ApiOkResponse({ description: '`{total, by_kind: {gadget: n, ...}}`' })
  summary() {
    return this.summaries.summary();
  }
}
