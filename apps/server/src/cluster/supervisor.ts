import cluster, { type Worker } from 'node:cluster';
import { SERVER_PROCESS_ENV, serveClusterMetrics } from '@plinth/core';

/**
 * The primary of a host's server processes (PLINTH_WORKERS > 1). It holds no app and no
 * database connection: it forks the processes, restarts one that dies, and stops them all on
 * SIGTERM/SIGINT. The processes share the listening port (node:cluster hands out connections)
 * and nothing else but PostgreSQL and Redis.
 *
 * Once-per-host start-up work (migrations with PLINTH_MIGRATE_ON_START=1, install hooks, the
 * first user) is done by the first process alone, before the others start: they only check
 * that the database is migrated.
 */

/** Restart delays: doubled per recent crash, up to the maximum. */
const RESTART_BASE_MS = 250;
const RESTART_MAX_MS = 30_000;
/** Crashes closer together than this count as one run of crashes. */
const CRASH_WINDOW_MS = 60_000;
/** Processes in a row that die before they listen: the primary gives up. */
const MAX_START_FAILURES = 5;
/** How long processes get to finish their requests after SIGTERM before they are killed. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

export interface SupervisorOptions {
  count: number;
  /** Called once all `count` processes listen. */
  onReady: () => void;
  log: (message: string) => void;
}

type WorkerState = 'starting' | 'listening';

/** Runs the processes until they are stopped; resolves with the primary's exit code. */
export function superviseServers(opts: SupervisorOptions): Promise<number> {
  const states = new Map<Worker, WorkerState>();
  const crashes: number[] = [];
  let startFailures = 0;
  let everListened = false;
  let ready = false;
  let stopping = false;
  const restarts = new Set<NodeJS.Timeout>();

  serveClusterMetrics(() => [...states].filter(([, s]) => s === 'listening').map(([w]) => w));

  let exitCode = 0;
  let killer: NodeJS.Timeout | undefined;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const finish = (): void => {
    clearTimeout(killer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    resolveDone(exitCode);
  };

  const fork = (setup: boolean): void => {
    const worker = cluster.fork({ [SERVER_PROCESS_ENV]: setup ? '1' : '0' });
    states.set(worker, 'starting');
    worker.once('listening', () => {
      states.set(worker, 'listening');
      startFailures = 0;
      if (!everListened) {
        everListened = true;
        // The set-up is done: the others may start now, side by side.
        for (let i = 1; i < opts.count; i++) fork(false);
      }
      if (!ready && [...states.values()].filter((s) => s === 'listening').length >= opts.count) {
        ready = true;
        opts.onReady();
      }
    });
    worker.once('exit', (code, signal) => {
      const state = states.get(worker);
      states.delete(worker);
      if (stopping) {
        if (states.size === 0) finish();
        return;
      }
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!everListened) {
        // The first process failed to start (bad configuration, unmigrated database...): it
        // said why on stderr; starting it again would only repeat that.
        shutdown(code || 1);
        return;
      }
      if (state === 'starting' && ++startFailures >= MAX_START_FAILURES) {
        opts.log(
          `plinth: ${startFailures} server processes in a row exited before listening (last: ${how}); giving up`,
        );
        shutdown(1);
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - CRASH_WINDOW_MS) crashes.shift();
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** (crashes.length - 1));
      opts.log(
        `plinth: server process ${worker.process.pid} exited (${how}); starting another in ${delay} ms`,
      );
      const t = setTimeout(() => {
        restarts.delete(t);
        if (!stopping) fork(false);
      }, delay);
      restarts.add(t);
    });
  };

  /** Stop accepting, let every process finish its requests and close, then exit. */
  const shutdown = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const t of restarts) clearTimeout(t);
    if (states.size === 0) return finish();
    // Each process closes its listener, finishes in-flight requests and exits (closeOnSignals).
    for (const w of states.keys()) w.process.kill('SIGTERM');
    killer = setTimeout(() => {
      opts.log(`plinth: server processes still running after ${SHUTDOWN_TIMEOUT_MS} ms; killing them`);
      exitCode = 1;
      for (const w of states.keys()) w.process.kill('SIGKILL');
    }, SHUTDOWN_TIMEOUT_MS);
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (!stopping) opts.log(`plinth: ${signal} received, stopping ${states.size} server processes`);
    shutdown(0);
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  fork(true);
  return done;
}
