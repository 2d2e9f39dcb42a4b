import type { DataSource } from 'typeorm';
import { RequestContext, type ApiSerializer } from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import type { QueryEngine } from '../query/query-engine';
import { MAX_DEPTH, type Serializer } from '../serialize/serializer';

/** The REST representation of objects, for plugin endpoints (the one serializer, outside a transaction). */
export class ApiSerializerImpl implements ApiSerializer {
  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly serializer: Serializer,
  ) {}

  async render(
    label: string,
    ids: readonly string[],
    opts: { depth?: number; detail?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    const model = this.models.require(label);
    const rows = await this.queries.byIds(model, ids, this.ds.manager);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return this.serializer.serialize(
      model,
      ids.map((id) => byId.get(id)).filter((r): r is Record<string, unknown> => !!r),
      {
        depth: Math.max(0, Math.min(MAX_DEPTH, opts.depth ?? 0)),
        detail: opts.detail,
        baseUrl: RequestContext.current()?.base_url ?? '',
        manager: this.ds.manager,
      },
    );
  }
}
