import { Inject, Injectable } from '@nestjs/common';
import { READS, RequestContext, type ReadService } from '@plinth/plugin-sdk';
import { widgetModel } from './models';
import { WIDGET_KINDS } from './widget.entity';

export interface WidgetSummary {
  total: number;
  by_kind: Record<string, number>;
}

/** Widget counts per kind, for the REST summary endpoint and the `widget_summary` GraphQL query. */
@Injectable()
export class WidgetSummaryService {
  constructor(@Inject(READS) private readonly reads: ReadService) {}

  /** Counts of the widgets the requesting user may view (403 when none). */
  async summary(): Promise<WidgetSummary> {
    const actor = { user: RequestContext.current()?.user ?? null };
    const by_kind: Record<string, number> = {};
    for (const k of WIDGET_KINDS)
      by_kind[k.value] = await this.reads.count(actor, widgetModel, { kind: k.value });
    return { total: Object.values(by_kind).reduce((a, b) => a + b, 0), by_kind };
  }
}
