import '@plinth/core/dist/production-env';
import { loadConfig } from '@plinth/core';
import { startWorker } from './worker';

startWorker(loadConfig()).catch((e: unknown) => {
  process.stderr.write(`plinth-worker: ${(e as Error).message}\n`);
  process.exit(1);
});
