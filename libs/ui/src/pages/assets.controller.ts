import * as path from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError } from '@plinth/plugin-sdk';
import { ASSET_DIR } from '../render';

function fromPackage(spec: string): string {
  return require.resolve(spec);
}

/**
 * Every asset the UI uses, served by Plinth itself from npm packages (networks running a source
 * of truth are often air-gapped: no CDN). Only these files are served.
 */
export const ASSETS: Record<string, () => string> = {
  'bootstrap.min.css': () => fromPackage('bootstrap/dist/css/bootstrap.min.css'),
  'bootstrap.bundle.min.js': () => fromPackage('bootstrap/dist/js/bootstrap.bundle.min.js'),
  'tom-select.bootstrap5.min.css': () => fromPackage('tom-select/dist/css/tom-select.bootstrap5.min.css'),
  'tom-select.complete.min.js': () => fromPackage('tom-select/dist/js/tom-select.complete.min.js'),
  'plinth.css': () => path.join(ASSET_DIR, 'plinth.css'),
  'plinth.js': () => path.join(ASSET_DIR, 'plinth.js'),
};

@ApiExcludeController()
@Controller('static')
export class AssetsController {
  @Get(':name')
  asset(@Param('name') name: string, @Res() res: Response) {
    const resolve = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!resolve) throw new NotFoundError();
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(resolve());
  }
}
