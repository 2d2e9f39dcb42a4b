import cluster from 'node:cluster';
import { setFlagsFromString } from 'node:v8';
import { Logger, type INestApplication } from '@nestjs/common';
import {
  bootstrap,
  closeOnSignals,
  inServerCluster,
  SERVER_PROCESS_ENV,
  QueueService,
  type PlinthConfig,
  type PlinthContext,
  type StartOptions,
} from '@plinth/core';
import { PlinthGraphQLExecutorModule, PlinthGraphQLModule } from '@plinth/graphql';
import { PlinthRestModule, serveOpenApi } from '@plinth/rest';
import { PlinthUiModule } from '@plinth/ui';
import { serverProcessCount } from './cluster/process-count';
import { superviseServers } from './cluster/supervisor';

/**
 * The surfaces the server adds to core and the plugins: the web UI, GraphQL and, last (its
 * generic `/<id>/` routes must come after every plugin's own routes), the REST API.
 */
export function serverSurfaces(): Pick<StartOptions, 'modules' | 'configure'> {
  return {
    modules: [
      (ctx) => PlinthUiModule.forRoot(ctx),
      PlinthGraphQLModule.forRoot(),
      PlinthGraphQLExecutorModule,
      (ctx) => PlinthRestModule.forRoot(ctx),
    ],
    configure: [serveOpenApi],
  };
}

export interface RunningServer {
  app: INestApplication;
  ctx: PlinthContext;
  url: string;
}

/** `plinth start`: migrate (embedded), build the app, create the first user, listen. */
export async function startServer(config: PlinthConfig, opts: StartOptions = {}): Promise<RunningServer> {
  limitHeapGrowth(config.heapGrowthPercent);
  const { app, ctx } = await bootstrap(config, { ...serverSurfaces(), ...opts });
  closeOnSignals(app);
  // Embedded mode has no worker processes: the server runs jobs in-process.
  if (!config.redisUrl) await app.get(QueueService).startWorker();
  await app.listen(config.port, config.host);
  return { app, ctx, url: urlOf(config) };
}

/**
 * On a machine with memory to spare V8 lets the old generation grow to several times what the
 * last full collection kept: a server process with some 170 MiB of live heap held 400-700 MiB
 * under load, all of it garbage awaiting collection. A bounded growth keeps the process near its
 * live size at the price of more frequent (mostly concurrent) full collections; compacting at each
 * of them returns the pages the requests' short-lived objects fragment, which otherwise stay
 * committed (the old space's committed size crept up 30 MiB per 10,000 requests without it).
 * V8 reads both flags at every collection, so setting them once the process runs takes effect.
 */
function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent} --compact-on-every-full-gc`);
}

function urlOf(config: PlinthConfig): string {
  return `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
}

/**
 * `plinth start` / `npm start`: one server process, or (PostgreSQL, PLINTH_WORKERS > 1) a
 * primary supervising that many. Resolves once the host serves; `print` announces it.
 */
export async function serve(config: PlinthConfig, print: (m: string) => void): Promise<void> {
  if (inServerCluster()) {
    // A process of the primary below: only the first one migrates, runs install hooks and
    // creates the first user; the rest start once it listens.
    const setup = process.env[SERVER_PROCESS_ENV] === '1';
    await startServer(config, setup ? {} : { migrate: false, firstUser: false });
    return;
  }
  // A worker of another cluster manager (PM2's cluster mode): it runs the processes, so one here.
  const { count, note } = cluster.isWorker ? { count: 1, note: null } : serverProcessCount(config);
  if (note) new Logger('Plinth').warn(note);
  if (count === 1) {
    const { url } = await startServer(config);
    print(`Plinth is listening on ${url}`);
    return;
  }
  const code = await superviseServers({
    count,
    onReady: () => print(`Plinth is listening on ${urlOf(config)} (${count} server processes)`),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.exit(code);
}
