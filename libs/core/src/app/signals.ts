import type { INestApplicationContext } from '@nestjs/common';

/**
 * SIGTERM/SIGINT close the app (and with it the database: PGlite flushes to disk) and exit 0, so
 * process managers see a clean stop.
 */
export function closeOnSignals(app: INestApplicationContext): void {
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(`plinth: ${signal} received, shutting down\n`);
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        process.stderr.write(`plinth: shutdown failed: ${String(e)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
