import { Inject, Injectable } from '@nestjs/common';
import {
  AUTHORIZATION,
  OBJECTS,
  RequestContext,
  type Authorization,
  type ObjectsService,
} from '@plinth/plugin-sdk';
import { WIDGET_KINDS } from './widget.entity';

export interface WidgetSummary {
  total: number;
  by_kind: Record<string, number>;
}

/** Widget counts per kind, for the REST summary endpoint and the `widget_summary` GraphQL query. */
@Injectable()
export class WidgetSummaryService {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @Inject(AUTHORIZATION) private readonly authz: Authorization,
  ) {}

  async summary(): Promise<WidgetSummary> {
    await this.authz.assert(RequestContext.current()?.user ?? null, 'view', 'example.widget');
    const by_kind: Record<string, number> = {};
    for (const k of WIDGET_KINDS)
      by_kind[k.value] = await this.objects.count('example.widget', { kind: String(k.value) });
    return { total: Object.values(by_kind).reduce((a, b) => a + b, 0), by_kind };
  }
}
