import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { exampleSettings, type ExampleSettings } from './settings';

/** Adds `X-Plinth-Example` to every response: plugin middleware with injected settings. */
@Injectable()
export class ExampleHeaderMiddleware implements NestMiddleware {
  constructor(@exampleSettings.inject() private readonly settings: ExampleSettings) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    res.setHeader('X-Plinth-Example', `${this.settings.greeting} (${this.settings.instance_name})`);
    next();
  }
}
