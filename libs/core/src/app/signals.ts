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
  // `on`, not `once`: a second signal (Ctrl-C reaches a cluster's workers and its primary, which
  // passes it on) must not fall back to the default action and kill in-flight requests.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
