import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ExampleSettingsService } from './settings';

/** Adds `X-Plinth-Example` to every response: plugin middleware with injected settings. */
@Injectable()
export class ExampleHeaderMiddleware implements NestMiddleware {
  constructor(@Inject(ExampleSettingsService) private readonly settings: ExampleSettingsService) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    res.setHeader(
      'X-Plinth-Example',
      `${this.settings.settings.greeting} (${this.settings.settings.instance_name})`,
    );
    next();
  }
}
