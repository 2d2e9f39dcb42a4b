import '@plinth/core/dist/production-env';
import { loadConfig } from '@plinth/core';
import { serve } from './server';

serve(loadConfig(), (m) => process.stdout.write(`${m}\n`)).catch((e: unknown) => {
  process.stderr.write(`plinth: ${(e as Error).message}\n`);
  process.exit(1);
});
