import { Injectable } from '@nestjs/common';
import {
  InjectModels,
  InjectSql,
  dataTable,
  html,
  type ModelLookup,
  type ObjectContext,
  type SafeHtml,
  type SqlRunner,
  type TemplateExtension,
} from '@plinth/plugin-sdk';
import { LOCAL_DATA, renderConfigContext } from './feature';
import { contextSourcesOf } from './scoping';

const CONTEXT_LABEL = 'extras.configcontext';

function json(v: unknown): SafeHtml {
  return html`<pre class="mb-0 small"><code>${JSON.stringify(v ?? {}, null, 2)}</code></pre>`;
}

function card(title: string, body: SafeHtml): SafeHtml {
  return html`<div class="card mb-3">
    <div class="card-header"><strong>${title}</strong></div>
    <div class="card-body">${body}</div>
  </div>`;
}

/**
 * The Config Context tab of every model with the `config_context` feature: the rendered
 * (merged) context, the object's local data, and the source contexts in merge order with their
 * weights (linked when the user may view config contexts). Three queries, as for a list page.
 */
@Injectable()
export class ConfigContextTab implements TemplateExtension {
  readonly model = '*';
  readonly feature = 'config_context' as const;
  readonly detail_tabs;

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @InjectModels() private readonly models: ModelLookup,
  ) {
    this.detail_tabs = [
      {
        key: 'config-context',
        label: 'Config Context',
        weight: 900,
        render: (ctx: ObjectContext) => this.render(ctx),
      },
    ];
  }

  private async render(ctx: ObjectContext): Promise<SafeHtml> {
    const id = String(ctx.object.id);
    const runner = {
      query: this.db.query.bind(this.db),
      one: this.db.one.bind(this.db),
      models: this.models,
    };
    const sources = (await contextSourcesOf(runner, ctx.model, [ctx.object])).get(id) ?? [];
    const local = ctx.object[LOCAL_DATA] ?? null;
    const linked = await ctx.can('view', CONTEXT_LABEL);
    const name = (s: { id: string; name: string }): SafeHtml => {
      const url = linked ? ctx.url(CONTEXT_LABEL, s.id) : null;
      return url ? html`<a href="${url}">${s.name}</a>` : html`${s.name}`;
    };
    const table = dataTable({
      columns: ['Name', 'Weight', 'Data'],
      rows: sources.map((s) => [name(s), String(s.weight), json(s.data)]),
      empty: 'No config contexts apply.',
    });
    return html`<div class="row" data-config-context>
      <div class="col-lg-6">
        ${card('Rendered Context', html`<div data-rendered-context>${json(renderConfigContext(sources, local))}</div>`)}
      </div>
      <div class="col-lg-6">
        ${card('Local Context', local === null ? html`<span class="text-muted">None</span>` : json(local))}
        ${card('Source Contexts', html`<div data-source-contexts>${table}</div>`)}
      </div>
    </div>`;
  }
}
