import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pluginInfo } from '@plinth/core';
import { NotFoundError } from '@plinth/plugin-sdk';
import { UiService } from '../ui.service';

/** Plugins → Installed Plugins: every enabled plugin, and one page per plugin. */
@ApiExcludeController()
@Controller('plugins/installed-plugins')
export class PluginsController {
  constructor(@Inject(UiService) private readonly ui: UiService) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    const plugins = this.ui.ctx.plugins.map((p) => pluginInfo(p, this.ui.ctx));
    await this.ui.send(req, res, 'plugins.njk', { title: 'Installed Plugins', plugins });
  }

  @Get(':name')
  async detail(@Req() req: Request, @Res() res: Response, @Param('name') name: string) {
    const plugin = this.ui.ctx.plugins.find((p) => p.name === name);
    if (!plugin) throw new NotFoundError(`No plugin named "${name}" is installed.`);
    const info = pluginInfo(plugin, this.ui.ctx);
    await this.ui.send(req, res, 'plugin.njk', {
      title: info.verbose_name,
      plugin: info,
      models: info.models.map((m) => ({ ...m, ui_url: this.ui.models.url(m.label) })),
      contributions: Object.entries(info.contributions).map(([registry, items]) => ({ registry, items })),
    });
  }
}
