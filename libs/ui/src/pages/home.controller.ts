import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { displayOf, queryParams, Reads } from '@plinth/core';
import { HomePanels, ValidationError, toMarkup, type ModelMeta } from '@plinth/plugin-sdk';
import { guarded, type RenderedPanel } from '../slots';
import { UiService } from '../ui.service';

/** Objects shown per model in the global search. */
const SHOWN = 5;

/** The home page (object counts per menu section, plugin panels) and the global search. */
@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(
    @Inject(UiService) private readonly ui: UiService,
    @Inject(Reads) private readonly reads: Reads,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response) {
    const user = this.ui.user(req);
    const menu = await this.ui.menu(req);
    // Every count in one query, each narrowed by the user's view permission.
    const labels = [
      ...new Set(menu.flatMap((t) => t.groups.flatMap((g) => g.items.map((i) => i.model)))),
    ].filter((l): l is string => !!l && !!this.ui.models.get(l));
    const counts = await this.reads.counts({ user }, labels);
    const sections = menu
      .map((tab) => ({
        name: tab.name,
        groups: tab.groups
          .map((g) => ({
            name: g.name,
            items: g.items
              .filter((i) => i.model && counts.has(i.model))
              .map((i) => ({ ...i, count: counts.get(i.model!) })),
          }))
          .filter((g) => g.items.length),
      }))
      .filter((t) => t.groups.length);

    const ctx = this.ui.context(req);
    const panels: RenderedPanel[] = [];
    const entries = [...this.ui.ctx.registries.get(HomePanels).entries()].sort(
      (a, b) => (a.item.weight ?? 100) - (b.item.weight ?? 100),
    );
    for (const { item, plugin } of entries) {
      if (!(await this.ui.nav.allowed(user, item.permissions ?? []))) continue;
      const r = await guarded(plugin, `home panel ${item.title}`, () => item.render(ctx));
      panels.push(r.ok ? { title: item.title, body: toMarkup(r.value), plugin } : r.panel);
    }
    await this.ui.send(req, res, 'home.njk', { title: 'Home', sections, panels });
  }

  @Get('search')
  async search(@Req() req: Request, @Res() res: Response) {
    const q = (queryParams(req).q?.[0] ?? '').trim();
    const user = this.ui.user(req);
    type Result = {
      label: string;
      count: number;
      more: boolean;
      url: string;
      objects: { display: string; url: string }[];
    };
    const searchModel = async (model: ModelMeta): Promise<Result | null> => {
      if (model.search_fields.length === 0 && !model.filter('q')) return null;
      if (model.definition.global_search === false) return null;
      if (!(await this.reads.can({ user }, 'view', model))) return null;
      let found;
      try {
        // One row more than shown tells whether there are more; an exact count would scan
        // every match of every model (a quarter of a million interfaces).
        found = await this.reads.rows({ user }, model, {
          params: { q: [q] },
          limit: SHOWN + 1,
          offset: 0,
          count: false,
        });
      } catch (e) {
        if (e instanceof ValidationError) return null;
        throw e;
      }
      if (found.rows.length === 0) return null;
      const base = this.ui.models.path(model);
      return {
        label: this.ui.models.plural(model),
        count: Math.min(found.rows.length, SHOWN),
        more: found.rows.length > SHOWN,
        url: `${base}?q=${encodeURIComponent(q)}`,
        objects: found.rows
          .slice(0, SHOWN)
          .map((r) => ({ display: displayOf(model, r), url: `${base}${String(r.id)}/` })),
      };
    };
    // Models are searched side by side: on PostgreSQL the pool runs them in parallel.
    const results = q
      ? (await Promise.all(this.ui.models.all().map(searchModel))).filter((r): r is Result => !!r)
      : [];
    await this.ui.send(req, res, 'search.njk', {
      title: q ? `Search: ${q}` : 'Search',
      q,
      search_q: q,
      results,
    });
  }
}
