import { Inject, Injectable } from '@nestjs/common';
import {
  InjectSql,
  html,
  type ObjectContext,
  type SqlRunner,
  type TemplateExtension,
  type UiButton,
  type UiPanel,
} from '@plinth/plugin-sdk';
import { renderComputedFields } from './computed-fields';
import { computedFieldsOf, customLinksOf } from './definitions';
import { TemplateEngine } from './engine';

/** Link targets a custom link may have: http(s) URLs and paths of this site (no `javascript:`). */
export function isSafeLinkTarget(url: string): boolean {
  return /^(https?:\/\/|\/(?!\/)|\?|#)/i.test(url);
}

const BUTTON_COLOURS: Readonly<Record<string, string>> = { default: 'outline-secondary' };

/**
 * Custom links (buttons, grouped into dropdowns) and the computed fields panel on the detail
 * page of every model with those features. Template output is text: the page escapes it, so
 * stored markup in objects or templates never becomes HTML; a failed render is an error badge.
 */
@Injectable()
export class TemplateDetailExtension implements TemplateExtension {
  readonly model = '*';

  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @Inject(TemplateEngine) private readonly engine: TemplateEngine,
  ) {}

  async buttons(ctx: ObjectContext): Promise<UiButton[]> {
    if (!ctx.model.has('custom_links')) return [];
    const links = await customLinksOf(this.db, ctx.model.label);
    if (links.length === 0) return [];
    const [obj] = await ctx.api.list(ctx.model.label, { id: String(ctx.object.id) }, { depth: 1 });
    const context = { obj: obj ?? ctx.object, user: { username: ctx.user?.username ?? null } };
    const results = await this.engine.renderMany(
      links.flatMap((l) => [
        { source: l.text, context },
        { source: l.target_url, context },
      ]),
      { max_output: 2000 },
    );
    const out: UiButton[] = [];
    links.forEach((l, i) => {
      const text = results[2 * i];
      const url = results[2 * i + 1];
      const base = {
        color: BUTTON_COLOURS[l.button_class] ?? l.button_class,
        group: l.group_name || undefined,
        new_window: l.new_window,
      };
      if (!text.ok || !url.ok) {
        const why = !text.ok ? text.error : !url.ok ? url.error : '';
        out.push({
          ...base,
          label: l.name,
          link: '#',
          error: `Custom link "${l.name}" failed to render: ${why}`,
        });
        return;
      }
      const label = text.output.trim();
      if (!label) return; // an empty text hides the link (Nautobot's convention for conditional links)
      const link = url.output.trim();
      if (!isSafeLinkTarget(link)) {
        out.push({
          ...base,
          label: l.name,
          link: '#',
          error: `Custom link "${l.name}": only http(s) URLs and paths of this site may be linked`,
        });
        return;
      }
      out.push({ ...base, label, link });
    });
    return out;
  }

  async right_page(ctx: ObjectContext): Promise<UiPanel | null> {
    if (!ctx.model.has('computed_fields')) return null;
    const defs = await computedFieldsOf(this.db, ctx.model.label);
    if (defs.length === 0) return null;
    const values =
      (await renderComputedFields(this.engine, ctx.model, defs, [ctx.object])).get(String(ctx.object.id)) ??
      {};
    const row = (d: (typeof defs)[number]) =>
      html`<tr data-computed-field="${d.key}">
        <th class="w-25" title="${d.description}">${d.label}</th>
        <td>${values[d.key] ?? ''}</td>
      </tr>`;
    const main = defs.filter((d) => !d.advanced_ui);
    const advanced = defs.filter((d) => d.advanced_ui);
    return {
      title: 'Computed Fields',
      body: html`<table class="table table-sm mb-0 computed-fields">
          ${main.map(row)}
        </table>
        ${
          advanced.length
            ? html`<details class="mt-2 computed-fields-advanced">
                <summary>Advanced</summary>
                <table class="table table-sm mb-0">
                  ${advanced.map(row)}
                </table>
              </details>`
            : ''
        }`,
    };
  }
}
