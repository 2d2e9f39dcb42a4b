import { Controller, Get, Inject, Injectable, NotFoundException, Optional, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CORE_NAV_TABS,
  OBJECTS,
  UI_PAGES,
  html,
  type Banner,
  type HomePanel,
  type NavTab,
  type ObjectContext,
  type ObjectsService,
  type TemplateExtension,
  type UiContext,
  type UiPages,
  type ViewOverride,
} from '@plinth/plugin-sdk';
import { WIDGET_KINDS } from './widget.entity';
import { exampleSettings, type ExampleSettings } from './settings';

/**
 * The example plugin's UI contributions: one of each slot, with fixed texts so that pages can
 * be checked ("Example Plugin", "Example Circuit Item", "Example Action", "Example Tab").
 */

/** A top-level tab, and an item inside the core Circuits tab (tabs merge by name). */
export const exampleNavigation: NavTab[] = [
  {
    name: 'Example Plugin',
    weight: 1100,
    groups: [
      {
        name: 'Example',
        items: [
          { model: 'example.widget' },
          { label: 'Example Home', link: '/plugins/example/', permissions: ['example.view_widget'] },
        ],
      },
    ],
  },
  {
    name: 'Circuits',
    weight: CORE_NAV_TABS.Circuits,
    groups: [
      {
        name: 'Example',
        items: [{ label: 'Example Circuit Item', link: '/plugins/example/?from=circuits' }],
      },
    ],
  },
];

async function widgetCounts(ctx: UiContext): Promise<{ label: string; count: number; link: string }[]> {
  const list = ctx.url('example.widget') ?? '/';
  return Promise.all(
    WIDGET_KINDS.map(async (k) => ({
      label: k.label,
      count: await ctx.objects.count('example.widget', { kind: String(k.value) }),
      link: `${list}?kind=${String(k.value)}`,
    })),
  );
}

export const exampleHomePanel: HomePanel = {
  title: 'Example Plugin',
  weight: 100,
  permissions: ['example.view_widget'],
  async render(ctx) {
    const rows = await widgetCounts(ctx);
    return html`<ul class="list-unstyled mb-0 example-home-panel">
      ${rows.map((r) => html`<li><a href="${r.link}">${r.label}</a>: ${r.count}</li>`)}
    </ul>`;
  },
};

/**
 * On device pages (once dcim is installed) and on the plugin's own widgets: a right-column
 * panel, a full-width panel, a button and a tab; widgets also get a left panel and list buttons.
 */
@Injectable()
export class ExampleTemplateExtension implements TemplateExtension {
  readonly model = ['dcim.device', 'example.widget'];

  constructor(@exampleSettings.inject() private readonly settings: ExampleSettings) {}

  async right_page(ctx: ObjectContext) {
    if (ctx.model.label === 'dcim.device') {
      const interfaces = await ctx.objects.count('dcim.interface', { device: String(ctx.object.id) });
      return {
        title: 'Example Plugin',
        body: html`<p class="mb-0 example-interface-count">
          ${ctx.display} has <strong>${interfaces}</strong> interface${interfaces === 1 ? '' : 's'}.
        </p>`,
      };
    }
    const same = await ctx.objects.count('example.widget', { kind: String(ctx.object.kind) });
    return {
      title: 'Example Plugin',
      body: html`<p class="mb-0">
        ${same} widget${same === 1 ? '' : 's'} of this kind in ${this.settings.instance_name}.
      </p>`,
    };
  }

  left_page(ctx: ObjectContext) {
    if (ctx.model.label !== 'example.widget') return null;
    return {
      title: 'Example Plugin (left)',
      body: html`<p class="mb-0">${this.settings.greeting}, ${ctx.display}.</p>`,
    };
  }

  full_width_page(ctx: ObjectContext) {
    return {
      title: 'Example Plugin (full width)',
      body: html`<p class="mb-0">A full-width panel about ${ctx.display}, from the example plugin.</p>`,
    };
  }

  buttons(ctx: ObjectContext) {
    return [
      { label: 'Example Action', link: `/plugins/example/?object=${String(ctx.object.id)}`, color: 'info' },
    ];
  }

  list_buttons() {
    return [{ label: 'Example List Action', link: '/plugins/example/', color: 'info' }];
  }

  readonly detail_tabs = [
    {
      key: 'example',
      label: 'Example Tab',
      render: (ctx: ObjectContext) =>
        html`<div class="card">
          <div class="card-body example-tab">
            Example Tab content for ${ctx.display} (${ctx.model.verbose_name}).
          </div>
        </div>`,
    },
  ];
}

/** Shown to logged-in users only; the user name is escaped by `html`. */
export class ExampleBanner implements Banner {
  render(ctx: UiContext) {
    if (!ctx.user) return null;
    return { content: html`Plinth example banner for ${ctx.user.username}`, level: 'info' as const };
  }
}

/** Replaces the main content of a widget's detail page (the layout, tabs and panels stay). */
export const exampleWidgetOverride: ViewOverride = {
  view: 'example.widget:detail',
  render(ctx) {
    const o = (ctx as ObjectContext).object;
    const kind = WIDGET_KINDS.find((k) => k.value === o.kind)?.label ?? String(o.kind);
    const quantity = Number(o.quantity);
    return html`<div class="card mb-3 example-widget-card">
      <div class="card-header fw-semibold">Widget (example plugin view)</div>
      <div class="card-body">
        <p><strong>${(ctx as ObjectContext).display}</strong> is a ${kind}.</p>
        <div
          class="progress"
          role="progressbar"
          aria-label="Quantity"
          aria-valuenow="${quantity}"
          aria-valuemin="0"
          aria-valuemax="10000"
        >
          <div class="progress-bar" style="width: ${Math.min(100, quantity / 100)}%">${quantity}</div>
        </div>
        ${o.description ? html`<p class="mt-2 mb-0">${String(o.description)}</p>` : ''}
      </div>
    </div>`;
  },
};

/** The plugin's own page, `/plugins/example/`, rendered inside the Plinth layout. */
@ApiExcludeController()
@Controller('plugins/example')
export class ExamplePageController {
  constructor(
    @Inject(OBJECTS) private readonly objects: ObjectsService,
    @exampleSettings.inject() private readonly settings: ExampleSettings,
    // Absent in the worker and CLI, which serve no pages.
    @Optional() @Inject(UI_PAGES) private readonly pages?: UiPages,
  ) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response) {
    if (!this.pages) throw new NotFoundException();
    const ctx = this.pages.context(req);
    if (!(await ctx.can('view', 'example.widget'))) {
      res.status(403);
    }
    const rows = (await ctx.can('view', 'example.widget')) ? await widgetCounts(ctx) : [];
    const body = html`<p>${this.settings.greeting} (${this.settings.instance_name}).</p>
      <table class="table table-sm w-auto example-page">
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td><a href="${r.link}">${r.label}</a></td>
                <td>${r.count}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
    res.type('html').send(
      await this.pages.render(req, {
        title: 'Example Plugin',
        body,
        breadcrumbs: [{ label: 'Plugins' }, { label: 'Example Plugin' }],
      }),
    );
  }
}
