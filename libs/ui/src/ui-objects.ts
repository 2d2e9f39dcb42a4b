import type { Reads } from '@plinth/core';
import type { ApiObject, AuthUser, UiListOptions, UiObjects } from '@plinth/plugin-sdk';
import type { UiModels } from './ui-models';

/**
 * UiContext.api: the read path for one request's user, without HTTP. Pages of domain plugins use
 * it to show related objects as the API shows them.
 */
export class RequestObjects implements UiObjects {
  constructor(
    private readonly reads: Reads,
    private readonly models: UiModels,
    private readonly user: AuthUser | null,
  ) {}

  async list(
    label: string,
    filters: Readonly<Record<string, string | readonly string[]>> = {},
    opts: UiListOptions = {},
  ): Promise<ApiObject[]> {
    const actor = { user: this.user };
    if (!this.models.get(label) || !(await this.reads.can(actor, 'view', label))) return [];
    const page = await this.reads.list(
      actor,
      label,
      filters,
      { limit: Math.max(1, opts.limit ?? 1000), sort: opts.sort, count: false },
      { depth: opts.depth ?? 0, include: opts.include },
    );
    return page.results;
  }
}
