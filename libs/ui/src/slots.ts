import { Logger } from '@nestjs/common';
import {
  toMarkup,
  type Html,
  type ListContext,
  type ModelMeta,
  type ObjectContext,
  type Registry,
  type TemplateExtension,
  type UiButton,
  type UiPanel,
} from '@plinth/plugin-sdk';

const logger = new Logger('Plinth UI');

/** A panel ready for a template: markup is final, `error` marks a contribution that failed. */
export interface RenderedPanel {
  title: string;
  body: string;
  plugin: string;
  error?: boolean;
}

export interface RenderedButton {
  label: string;
  link: string;
  color: string;
  plugin: string;
  new_window: boolean;
  error: string | null;
}

/** Buttons as the page shows them: single buttons, and dropdowns of buttons sharing a group. */
export interface ButtonGroup {
  group: string | null;
  buttons: RenderedButton[];
}

/** Group buttons by `group` (in first-seen order); ungrouped buttons stay single. */
export function groupButtons(buttons: readonly (RenderedButton & { group?: string })[]): ButtonGroup[] {
  const out: ButtonGroup[] = [];
  const byName = new Map<string, ButtonGroup>();
  for (const b of buttons) {
    if (!b.group) {
      out.push({ group: null, buttons: [b] });
      continue;
    }
    let g = byName.get(b.group);
    if (!g) {
      g = { group: b.group, buttons: [] };
      byName.set(b.group, g);
      out.push(g);
    }
    g.buttons.push(b);
  }
  return out;
}

export interface RenderedTab {
  key: string;
  label: string;
  plugin: string;
  weight: number;
}

/** What a slot shows when its contribution throws: the page still renders. */
export function errorPanel(plugin: string, slot: string, e: unknown): RenderedPanel {
  logger.error(`plugin ${plugin}: ${slot} failed: ${(e as Error)?.stack ?? String(e)}`);
  return {
    title: `${plugin}: ${slot} failed`,
    body: toMarkup(
      `The plugin "${plugin}" raised an error in ${slot}: ${(e as Error)?.message ?? String(e)}`,
    ),
    plugin,
    error: true,
  };
}

/** Run one contribution; an exception becomes an error panel instead of a broken page. */
export async function guarded<T>(
  plugin: string,
  slot: string,
  fn: () => T | Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; panel: RenderedPanel }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, panel: errorPanel(plugin, slot, e) };
  }
}

function asList(v: UiPanel | readonly UiPanel[] | null | undefined): readonly UiPanel[] {
  if (!v) return [];
  return Array.isArray(v) ? (v as readonly UiPanel[]) : [v as UiPanel];
}

export type PanelSlot = 'left_page' | 'right_page' | 'full_width_page';

/** The template extensions of one model (by label), with the plugin that registered each. */
export function extensionsFor(
  registry: Registry<TemplateExtension>,
  model: Pick<ModelMeta, 'label' | 'has'>,
): { ext: TemplateExtension; plugin: string }[] {
  return registry
    .entries()
    .filter(({ item }) => {
      const labels = typeof item.model === 'string' ? [item.model] : item.model;
      if (item.feature && !model.has(item.feature)) return false;
      return labels.includes(model.label) || labels.includes('*');
    })
    .map(({ item, plugin }) => ({ ext: item, plugin }));
}

export async function renderPanels(
  exts: { ext: TemplateExtension; plugin: string }[],
  slot: PanelSlot,
  ctx: ObjectContext,
): Promise<RenderedPanel[]> {
  const out: RenderedPanel[] = [];
  for (const { ext, plugin } of exts) {
    const fn = ext[slot];
    if (!fn) continue;
    const r = await guarded(plugin, slot, () => fn.call(ext, ctx));
    if (!r.ok) out.push(r.panel);
    else
      for (const p of asList(r.value)) out.push({ title: p.title, body: toMarkup(p.body as Html), plugin });
  }
  return out;
}

export async function renderButtons(
  exts: { ext: TemplateExtension; plugin: string }[],
  slot: 'buttons' | 'list_buttons',
  ctx: ObjectContext | ListContext,
): Promise<{ buttons: RenderedButton[]; errors: RenderedPanel[] }> {
  const buttons: (RenderedButton & { group?: string })[] = [];
  const errors: RenderedPanel[] = [];
  for (const { ext, plugin } of exts) {
    const fn = ext[slot] as
      ((c: typeof ctx) => readonly UiButton[] | Promise<readonly UiButton[]>) | undefined;
    if (!fn) continue;
    const r = await guarded(plugin, slot, () => fn.call(ext, ctx));
    if (!r.ok) errors.push(r.panel);
    else
      for (const b of r.value ?? [])
        buttons.push({
          label: b.label,
          link: b.link,
          color: b.color ?? 'secondary',
          plugin,
          group: b.group,
          new_window: b.new_window === true,
          error: b.error ?? null,
        });
  }
  return { buttons, errors };
}

export function detailTabs(exts: { ext: TemplateExtension; plugin: string }[]): RenderedTab[] {
  return exts
    .flatMap(({ ext, plugin }) =>
      (ext.detail_tabs ?? []).map((t) => ({ key: t.key, label: t.label, plugin, weight: t.weight ?? 100 })),
    )
    .sort((a, b) => a.weight - b.weight);
}
