import * as os from 'node:os';
import type { Queue } from 'bull';
import { DEFAULT_TASK_QUEUE, PlinthError } from '@plinth/plugin-sdk';

/** 503: Redis is down, so a job cannot be queued now; nothing was queued (the caller may retry). */
export class QueueUnavailableError extends PlinthError {
  constructor() {
    super(503, 'The job queue is unavailable. Try again shortly.');
  }
}

/** How long an enqueue may wait for Redis before the caller is told it is unavailable. */
const ENQUEUE_TIMEOUT_MS = 5000;

export interface WorkerInfo {
  name: string;
  driver: 'in-process' | 'bull';
  /** The task queues it takes runs from (`*`: every queue, the embedded runner). */
  queues: string[];
  started: string;
  processed: number;
  last_seen: string;
}

export type JobHandler = (name: string, data: Record<string, unknown>) => Promise<unknown>;

export interface Repeatable {
  name: string;
  every_ms: number;
}

/** Where jobs go: the server's own event loop (embedded) or Bull on Redis (production). */
export interface QueueDriver {
  readonly kind: 'in-process' | 'bull';
  /** Queue a run on a task queue (default: the default queue). */
  enqueue(name: string, data: Record<string, unknown>, taskQueue?: string): Promise<string>;
  /**
   * Consume jobs in this process, from the given task queues (the embedded runner serves every
   * queue); repeating system jobs run where the default queue is served.
   */
  startWorker(
    handler: JobHandler,
    repeatables: readonly Repeatable[],
    queues?: readonly string[],
  ): Promise<void>;
  workers(): Promise<WorkerInfo[]>;
  /** Jobs waiting to run (queued or delayed), for metrics. */
  depth(): Promise<number>;
  /** Round trip to the queue's store in ms (Redis PING); null when there is none (in-process). */
  ping(): Promise<number | null>;
  close(): Promise<void>;
}

function workerName(kind: string): string {
  return `${kind}@${os.hostname()}:${process.pid}`;
}

/**
 * Jobs run one at a time in the server process, after the request that queued them, whatever
 * their task queue (there is one runner).
 */
export class InProcessQueue implements QueueDriver {
  readonly kind = 'in-process' as const;
  private handler: JobHandler | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private started: Date | null = null;
  private processed = 0;
  private seq = 0;
  private waiting = 0;

  enqueue(name: string, data: Record<string, unknown>): Promise<string> {
    const id = `local-${++this.seq}`;
    this.waiting++;
    this.chain = this.chain.then(async () => {
      this.waiting--;
      if (!this.handler) return;
      try {
        await this.handler(name, data);
      } catch (e) {
        process.stderr.write(`job ${name} failed: ${(e as Error).stack ?? String(e)}\n`);
      }
      this.processed++;
    });
    return Promise.resolve(id);
  }

  startWorker(handler: JobHandler, repeatables: readonly Repeatable[]): Promise<void> {
    this.handler = handler;
    this.started = new Date();
    // A repeating job is not queued again while its previous run waits or runs (short intervals
    // would otherwise pile runs up behind a slow one).
    const waiting = new Set<string>();
    for (const r of repeatables) {
      const t = setInterval(() => {
        if (waiting.has(r.name)) return;
        waiting.add(r.name);
        void this.enqueue(r.name, {});
        this.chain = this.chain.then(() => void waiting.delete(r.name));
      }, r.every_ms);
      t.unref();
      this.timers.push(t);
    }
    return Promise.resolve();
  }

  workers(): Promise<WorkerInfo[]> {
    if (!this.started) return Promise.resolve([]);
    const now = new Date().toISOString();
    return Promise.resolve([
      {
        name: workerName('in-process'),
        driver: 'in-process',
        queues: ['*'],
        started: this.started.toISOString(),
        processed: this.processed,
        last_seen: now,
      },
    ]);
  }

  depth(): Promise<number> {
    return Promise.resolve(this.waiting);
  }

  ping(): Promise<number | null> {
    return Promise.resolve(null);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.chain;
  }
}

const HEARTBEAT_TTL_S = 30;

/**
 * Bull on Redis: servers enqueue, `apps/worker` processes; workers announce themselves (with the
 * task queues they serve) through a heartbeat key. Each task queue is a Bull queue of its own;
 * the default one is the queue Nest registered.
 */
export class BullQueue implements QueueDriver {
  readonly kind = 'bull' as const;
  private heartbeat: NodeJS.Timeout | null = null;
  private heartbeatKey: string | null = null;
  private processed = 0;
  private readonly queues = new Map<string, Queue>();

  /** Workers' heartbeat keys: `<queue prefix>:worker:<name>`. */
  private readonly heartbeatPrefix: string;

  constructor(
    private readonly queue: Queue,
    prefix = 'plinth',
    /** Makes the Bull queue of a task queue other than the default. */
    private readonly makeQueue: (taskQueue: string) => Queue = () => queue,
  ) {
    this.heartbeatPrefix = `${prefix}:worker:`;
    this.queues.set(DEFAULT_TASK_QUEUE, queue);
  }

  private queueOf(taskQueue: string): Queue {
    let q = this.queues.get(taskQueue);
    if (!q) this.queues.set(taskQueue, (q = this.makeQueue(taskQueue)));
    return q;
  }

  /**
   * ioredis keeps commands for a lost connection and sends them after it reconnects; a request
   * must not wait for that, so while Redis is not connected enqueueing fails at once.
   */
  private assertConnected(): void {
    if (this.queue.client.status !== 'ready') throw new QueueUnavailableError();
  }

  async enqueue(
    name: string,
    data: Record<string, unknown>,
    taskQueue: string = DEFAULT_TASK_QUEUE,
  ): Promise<string> {
    this.assertConnected();
    const queue = this.queueOf(taskQueue);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError()), ENQUEUE_TIMEOUT_MS);
    });
    try {
      const job = await Promise.race([
        queue.add(name, data, { removeOnComplete: 1000, removeOnFail: 1000 }),
        timeout,
      ]);
      return String(job.id);
    } finally {
      clearTimeout(timer);
    }
  }

  async startWorker(
    handler: JobHandler,
    repeatables: readonly Repeatable[],
    queues: readonly string[] = [DEFAULT_TASK_QUEUE],
  ): Promise<void> {
    const started = new Date().toISOString();
    const key = `${this.heartbeatPrefix}${workerName('bull')}`;
    this.heartbeatKey = key;
    const beat = async (): Promise<void> => {
      const info: WorkerInfo = {
        name: workerName('bull'),
        driver: 'bull',
        queues: [...queues],
        started,
        processed: this.processed,
        last_seen: new Date().toISOString(),
      };
      await this.queue.client.set(key, JSON.stringify(info), 'EX', HEARTBEAT_TTL_S);
    };
    await beat();
    this.heartbeat = setInterval(() => void beat().catch(() => undefined), (HEARTBEAT_TTL_S * 1000) / 3);
    this.heartbeat.unref();
    if (queues.includes(DEFAULT_TASK_QUEUE))
      for (const r of repeatables) {
        await this.queue.add(
          r.name,
          {},
          { repeat: { every: r.every_ms }, jobId: r.name, removeOnComplete: 100 },
        );
      }
    for (const taskQueue of queues)
      void this.queueOf(taskQueue).process('*', 2, async (job) => {
        const result = await handler(job.name, job.data as Record<string, unknown>);
        this.processed++;
        return result;
      });
  }

  async workers(): Promise<WorkerInfo[]> {
    this.assertConnected();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.queue.client.scan(
        cursor,
        'MATCH',
        `${this.heartbeatPrefix}*`,
        'COUNT',
        100,
      );
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const values = await this.queue.client.mget(...keys);
    return values.filter((v): v is string => !!v).map((v) => JSON.parse(v) as WorkerInfo);
  }

  async depth(): Promise<number> {
    let depth = 0;
    for (const q of this.queues.values()) {
      const counts = await q.getJobCounts();
      depth += counts.waiting + counts.delayed;
    }
    return depth;
  }

  async ping(): Promise<number> {
    this.assertConnected();
    const started = performance.now();
    await this.queue.client.ping();
    return Math.round((performance.now() - started) * 10) / 10;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.heartbeatKey) await this.queue.client.del(this.heartbeatKey).catch(() => 0);
    for (const q of this.queues.values()) await q.close();
  }
}
