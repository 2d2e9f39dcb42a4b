import '@plinth/core/dist/production-env';
import { loadConfig } from '@plinth/core';
import { startServer } from './server';

startServer(loadConfig())
  .then(({ url }) => process.stdout.write(`Plinth is listening on ${url}\n`))
  .catch((e: unknown) => {
    process.stderr.write(`plinth: ${(e as Error).message}\n`);
    process.exit(1);
  });
