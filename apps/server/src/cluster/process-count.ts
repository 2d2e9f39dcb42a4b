import * as os from 'node:os';
import type { PlinthConfig } from '@plinth/core';

export interface ProcessCount {
  count: number;
  /** Why the count differs from what PLINTH_WORKERS asked for, for the log. */
  note: string | null;
}

/**
 * How many server processes this host runs: PLINTH_WORKERS, by default one per core on
 * PostgreSQL. Embedded PGlite is a database inside the server process, which no second process
 * can open, so it always serves from one.
 */
export function serverProcessCount(
  config: Pick<PlinthConfig, 'databaseUrl' | 'workers'>,
  cores = os.availableParallelism(),
): ProcessCount {
  if (!config.databaseUrl) {
    const asked = config.workers ?? 1;
    return {
      count: 1,
      note:
        asked > 1
          ? `PLINTH_WORKERS=${asked} ignored: the embedded PGlite database lives inside one process, so Plinth serves from one; set DATABASE_URL (PostgreSQL) to run several`
          : null,
    };
  }
  return { count: config.workers ?? Math.max(1, cores), note: null };
}
