import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AUTHORIZATION,
  OBJECTS,
  RequestContext,
  type Authorization,
  type ObjectsService,
} from '@plinth/plugin-sdk';
import { WIDGET_KINDS } from './widget.entity';

/** A hand-written endpoint next to the generated ones: `/api/plugins/example/summary/`. */
@ApiTags('plugins')
@Controller('api/plugins/example/summary')
export class WidgetSummaryController {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Widget counts per kind' })
  @ApiOkResponse({ description: '`{total, by_kind: {gadget: n, ...}}`' })
  async summary() {
    await this.authz.assert(RequestContext.current()?.user ?? null, 'view', 'example.widget');
    const by_kind: Record<string, number> = {};
    for (const k of WIDGET_KINDS)
      by_kind[k.value] = await this.objects.count('example.widget', { kind: String(k.value) });
    return { total: Object.values(by_kind).reduce((a, b) => a + b, 0), by_kind };
  }
}
