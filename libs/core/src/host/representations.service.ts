import type { DataSource } from 'typeorm';
import { RequestContext, sql, type RenderOptions, type Representations } from '@plinth/plugin-sdk';
import type { AuthorizationService } from '../auth/authorization.service';
import type { ModelRegistry } from '../models/model-registry';
import { executor, type QueryEngine } from '../query/query-engine';
import { MAX_DEPTH, type Serializer } from '../serialize/serializer';

/** Objects as the REST API shows them, for plugin endpoints (the one serializer, nothing else). */
export class RepresentationsService implements Representations {
  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly serializer: Serializer,
    private readonly authz: AuthorizationService,
  ) {}

  async render(
    label: string,
    ids: readonly string[],
    opts: RenderOptions = {},
  ): Promise<Record<string, unknown>[]> {
    const model = this.models.require(label);
    if (ids.length === 0) return [];
    let rows = await this.queries.byIds(model, ids, this.ds.manager);
    if ('user' in opts) {
      const alias = sql.ident('t');
      const scope = await this.authz.scope(opts.user ?? null, 'view', label, alias);
      if (scope) {
        const visible = await executor(this.ds.manager)(
          sql`SELECT ${alias}."id" FROM ${sql.ident(model.table)} ${alias} WHERE ${alias}."id" = ANY(${[...ids]}::uuid[]) AND ${scope}`,
        );
        const allowed = new Set(visible.map((r) => String(r.id)));
        rows = rows.filter((r) => allowed.has(String(r.id)));
      }
    }
    const objects = await this.serializer.serialize(model, rows, {
      depth: Math.max(0, Math.min(MAX_DEPTH, opts.depth ?? 0)),
      detail: opts.detail,
      baseUrl: RequestContext.current()?.base_url ?? '',
      manager: this.ds.manager,
    });
    const byId = new Map(objects.map((o) => [String(o.id), o]));
    return ids.map((id) => byId.get(id.toLowerCase())).filter((o): o is Record<string, unknown> => !!o);
  }
}
