import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry as PromRegistry } from 'prom-client';

/** One process's registry as `getMetricsAsJSON()` gives it. */
type MetricsJson = object[];

/**
 * `/metrics` of a host that serves from several processes (PLINTH_WORKERS): whichever process
 * answers the scrape asks the primary, which collects every listening server process's registry
 * and merges them with prom-client's aggregation (each metric's `aggregator`: counters and
 * histograms add up, database-wide gauges are taken once, event-loop lag is averaged).
 */

/** A server process asks the primary for the host's metrics. */
interface HostMetricsRequest {
  type: 'plinth:host-metrics';
  id: number;
}
/** The primary's answer to a server process. */
interface HostMetricsAnswer {
  type: 'plinth:host-metrics-answer';
  id: number;
  text?: string;
  error?: string;
}
/** The primary asks a server process for its own registry. */
interface CollectRequest {
  type: 'plinth:collect-metrics';
  id: number;
}
/** A server process's registry, as JSON. */
interface CollectAnswer {
  type: 'plinth:collect-metrics-answer';
  id: number;
  metrics?: MetricsJson;
  error?: string;
}

type ClusterMessage = HostMetricsRequest | HostMetricsAnswer | CollectRequest | CollectAnswer;

function isMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && String((m as { type?: unknown }).type).startsWith('plinth:');
}

/** How long the primary waits for a process's registry; one that is late is left out. */
const COLLECT_TIMEOUT_MS = 5000;

/**
 * Set by Plinth's primary in each server process it forks: `1` in the first, which does the
 * once-per-host set-up, `0` in the others. Other cluster managers' workers (PM2) lack it.
 */
export const SERVER_PROCESS_ENV = 'PLINTH_SERVER_SETUP';

/** True in a server process started by Plinth's primary (`plinth start`, PLINTH_WORKERS > 1). */
export function inServerCluster(): boolean {
  return cluster.isWorker && typeof process.send === 'function' && !!process.env[SERVER_PROCESS_ENV];
}

let seq = 0;
const pendingHost = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
let workerListening = false;

/**
 * In a server process: answer the primary's collect requests from `registry`, and return a
 * function that fetches the whole host's metrics text from the primary.
 */
export function clusterMetricsOf(registry: PromRegistry): () => Promise<string> {
  if (!workerListening) {
    workerListening = true;
    process.on('message', (m: unknown) => {
      if (!isMessage(m)) return;
      if (m.type === 'plinth:collect-metrics') {
        const id = m.id;
        registry
          .getMetricsAsJSON()
          .then((metrics) => send({ type: 'plinth:collect-metrics-answer', id, metrics }))
          .catch((e: unknown) =>
            send({ type: 'plinth:collect-metrics-answer', id, error: (e as Error).message }),
          );
      } else if (m.type === 'plinth:host-metrics-answer') {
        const waiting = pendingHost.get(m.id);
        if (!waiting) return;
        pendingHost.delete(m.id);
        if (m.text !== undefined) waiting.resolve(m.text);
        else waiting.reject(new Error(m.error ?? 'no metrics'));
      }
    });
  }
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => {
        pendingHost.delete(id);
        reject(new Error('the primary process did not answer with the host metrics'));
      }, COLLECT_TIMEOUT_MS * 2);
      pendingHost.set(id, {
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      send({ type: 'plinth:host-metrics', id });
    });
}

function send(m: ClusterMessage): void {
  process.send?.(m);
}

/** One process's registry, or null when it did not answer in time or failed. */
function collect(worker: Worker, id: number): Promise<MetricsJson | null> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (!isMessage(m) || m.type !== 'plinth:collect-metrics-answer' || m.id !== id) return;
      finish(m.metrics ?? null);
    };
    const timer = setTimeout(() => finish(null), COLLECT_TIMEOUT_MS);
    const finish = (v: MetricsJson | null): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(v);
    };
    const onExit = (): void => finish(null);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.send({ type: 'plinth:collect-metrics', id } satisfies CollectRequest);
  });
}

/**
 * In the primary: answer server processes' requests for the host's metrics from the registries
 * of the processes `serving()` lists (those still starting have no registry yet).
 */
export function serveClusterMetrics(serving: () => readonly Worker[]): void {
  let collectSeq = 0;
  cluster.on('message', (from: Worker, m: unknown) => {
    if (!isMessage(m) || m.type !== 'plinth:host-metrics') return;
    const id = m.id;
    const answer = (a: Omit<HostMetricsAnswer, 'type' | 'id'>): void => {
      if (from.isConnected()) from.send({ type: 'plinth:host-metrics-answer', id, ...a });
    };
    const collectId = ++collectSeq;
    Promise.all(serving().map((w) => collect(w, collectId)))
      .then(async (all) => {
        const registries = all.filter((r): r is MetricsJson => r !== null);
        if (registries.length === 0) throw new Error('no server process answered');
        answer({ text: await AggregatorRegistry.aggregate(registries).metrics() });
      })
      .catch((e: unknown) => answer({ error: (e as Error).message }));
  });
}
