import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pluginInfo } from '@plinth/core';
import { NotFoundError, isClass } from '@plinth/plugin-sdk';
import { UiService } from '../ui.service';

/** A one-line description of a registered contribution, for the plugin detail page. */
function describe(registry: string, item: unknown): string {
  if (typeof item === 'object' && item !== null) {
    const o = item as Record<string, unknown>;
    if (registry === 'navigation') {
      const groups = (o.groups as { name: string; items: { label?: string; model?: string }[] }[]) ?? [];
      const items = groups.flatMap((g) => g.items.map((i) => `${g.name} › ${i.label ?? i.model}`));
      return `tab "${String(o.name)}": ${items.join(', ') || 'no items'}`;
    }
    if (registry === 'models') {
      const def = o as { app_label?: string; model?: string; verbose_name?: string };
      return `${def.model ?? ''}${def.verbose_name ? ` (${def.verbose_name})` : ''}`;
    }
    if (registry === 'template-extensions') {
      const slots = ['left_page', 'right_page', 'full_width_page', 'buttons', 'list_buttons'].filter(
        (k) => typeof o[k] === 'function',
      );
      const tabs = ((o.detail_tabs as { label: string }[] | undefined) ?? []).map((t) => `tab "${t.label}"`);
      const models = [o.model].flat().join(', ');
      return `${models}: ${[...slots, ...tabs].join(', ')}`;
    }
    if (registry === 'table-columns') return `${[o.model].flat().join(', ')}: column "${String(o.label)}"`;
    for (const k of ['title', 'name', 'view', 'feature', 'model']) {
      if (typeof o[k] === 'string' || Array.isArray(o[k]))
        return `${k === 'view' ? 'view ' : ''}${[o[k]].flat().join(', ')}`;
    }
    const ctor = (o.constructor as { name?: string } | undefined)?.name;
    if (ctor && ctor !== 'Object') return ctor;
  }
  if (typeof item === 'function') return isClass(item) ? item.name : item.name || 'function';
  return String(item);
}

/** Plugins → Installed Plugins: every enabled plugin, and one page per plugin. */
@ApiExcludeController()
@Controller('plugins/installed-plugins')
export class PluginsController {
  constructor(@Inject(UiService) private readonly ui: UiService) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const plugins = this.ui.ctx.plugins.map((p) => pluginInfo(p, this.ui.ctx.registries));
    await this.ui.send(req, res, 'plugins.njk', { title: 'Installed Plugins', plugins });
  }

  @Get(':name')
  async detail(@Req() req: Request, @Res() res: Response, @Param('name') name: string) {
    const plugin = this.ui.ctx.plugins.find((p) => p.name === name);
    if (!plugin) throw new NotFoundError(`No plugin named "${name}" is installed.`);
    const contributions = this.ui.ctx.registries
      .all()
      .map((r) => ({
        registry: r.token.id,
        items: r.byPlugin(plugin.name).map((i) => describe(r.token.id, i)),
      }))
      .filter((r) => r.items.length);
    await this.ui.send(req, res, 'plugin.njk', {
      title: plugin.manifest.verbose_name ?? plugin.name,
      plugin: pluginInfo(plugin, this.ui.ctx.registries),
      contributions,
    });
  }
}
