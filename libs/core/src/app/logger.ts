import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's start-up chatter (every module and route) only at debug level. */
const NOISY_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

export class PlinthLogger extends ConsoleLogger {
  constructor(
    private readonly debugEnabled: boolean,
    levels: LogLevel[],
  ) {
    super('Plinth', { logLevels: levels });
  }

  override log(message: unknown, context?: string): void {
    if (!this.debugEnabled && context && NOISY_CONTEXTS.has(context)) return;
    if (context === undefined) super.log(message);
    else super.log(message, context);
  }
}
