import type { EntityManager } from 'typeorm';
import { MAX_PAGE_SIZE, type AuthorizationService, type QueryEngine, type Serializer } from '@plinth/core';
import { sql, type ApiObject, type AuthUser, type UiListOptions, type UiObjects } from '@plinth/plugin-sdk';
import type { UiModels } from './ui-models';

/**
 * UiContext.api: the REST list endpoint's reads (filter engine, the user's permission scope,
 * serializer with computed fields) for one request, without HTTP. Pages of domain plugins use it
 * to show related objects as the API shows them.
 */
export class RequestObjects implements UiObjects {
  constructor(
    private readonly deps: {
      models: UiModels;
      queries: QueryEngine;
      serializer: Serializer;
      authz: AuthorizationService;
      manager: EntityManager;
    },
    private readonly user: AuthUser | null,
    private readonly baseUrl: string,
  ) {}

  async list(
    label: string,
    filters: Readonly<Record<string, string | readonly string[]>> = {},
    opts: UiListOptions = {},
  ): Promise<ApiObject[]> {
    const { models, queries, serializer, authz, manager } = this.deps;
    const model = models.get(label);
    if (!model || !(await authz.can(this.user, 'view', label))) return [];
    const scope = await authz.scope(this.user, 'view', label, sql.ident('t'));
    const params = Object.fromEntries(
      Object.entries(filters).map(([k, v]) => [k, typeof v === 'string' ? [v] : [...v]]),
    );
    const { rows } = await queries.list(
      model,
      {
        params,
        sort: opts.sort ? [...opts.sort] : undefined,
        limit: Math.min(MAX_PAGE_SIZE, Math.max(1, opts.limit ?? MAX_PAGE_SIZE)),
        offset: 0,
        scope,
        withoutCount: true,
      },
      manager,
    );
    return serializer.serialize(model, rows, { depth: opts.depth ?? 0, baseUrl: this.baseUrl, manager });
  }
}
