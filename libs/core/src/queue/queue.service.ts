import { Logger, type Type } from '@nestjs/common';
import type {
  JobDefinition,
  JobQueue,
  JobRunRecorder,
  JobSubmitOptions,
  ModelLookup,
  ObjectsService,
  PluginSettings,
  PluginSettingsMap,
  Registry,
  SqlRunner,
} from '@plinth/plugin-sdk';
import {
  DEFAULT_TASK_QUEUE,
  NotFoundError,
  PlinthError,
  ValidationError,
  isSystemJob,
  readPluginSettings,
  taskQueuesOf,
} from '@plinth/plugin-sdk';
import type { QueueDriver, WorkerInfo } from './queue';

/** 503: no running worker serves the task queue a run asked for; nothing was queued. */
export class NoWorkerError extends PlinthError {
  constructor(taskQueue: string) {
    super(
      503,
      `No worker is running on the task queue "${taskQueue}": start one with \`plinth worker --queues ${taskQueue}\`.`,
    );
  }
}

/**
 * What travels through the queue for a user job: the id of its pending JobResult with the data
 * (system jobs carry their data as it is).
 */
interface UserJobEnvelope {
  plinth_job_result: string;
  data: Record<string, unknown>;
}

function envelopeOf(payload: Record<string, unknown>): UserJobEnvelope | null {
  return typeof payload.plinth_job_result === 'string' ? (payload as unknown as UserJobEnvelope) : null;
}

/** Enqueue and run registered jobs, whichever driver carries them. */
export class QueueService implements JobQueue {
  private readonly logger = new Logger('Jobs');
  /** Outcome observer (metrics). */
  onOutcome: (job: string, outcome: 'succeeded' | 'failed', seconds: number) => void = () => undefined;

  constructor(
    readonly driver: QueueDriver,
    private readonly jobs: Registry<JobDefinition>,
    private readonly objects: ObjectsService,
    private readonly db: SqlRunner,
    private readonly models: ModelLookup,
    /** Providers of the app, for jobs' `ctx.get`. */
    private readonly resolve: <T>(token: Type<T> | symbol | string) => T,
    private readonly recorders?: Registry<JobRunRecorder>,
    private readonly settings: PluginSettingsMap = {},
  ) {}

  definitions(): readonly JobDefinition[] {
    return this.jobs.items();
  }

  private job(name: string): JobDefinition {
    const job = this.jobs.items().find((j) => j.name === name);
    if (!job) throw new NotFoundError(`No job named ${name}.`);
    return job;
  }

  /** The extras domain's recorder of JobResults (absent only in apps without extras). */
  private recorder(job: JobDefinition): JobRunRecorder | null {
    if (isSystemJob(job)) return null;
    return this.recorders?.items()[0] ?? null;
  }

  /**
   * Queue a run. A user job gets its pending JobResult first (its id is returned then); a system
   * job is queued as it is (the driver's id is returned).
   */
  async enqueue(
    name: string,
    data: Record<string, unknown> = {},
    opts: JobSubmitOptions = {},
  ): Promise<string> {
    const job = this.job(name);
    // The submitting surface checked for a worker (taskQueue); schedules and hooks just queue.
    const taskQueue = await this.resolveQueue(name, opts.task_queue, false);
    const recorder = this.recorder(job);
    if (!recorder) return this.driver.enqueue(name, data, taskQueue);
    const pending = await recorder.pending(name, data, { ...opts, task_queue: taskQueue });
    await this.driver.enqueue(
      name,
      { plinth_job_result: pending.job_result_id, data: pending.data } satisfies UserJobEnvelope,
      taskQueue,
    );
    return pending.job_result_id;
  }

  /**
   * The task queue a run goes to: the one asked for, which must be one of the job's (400 naming
   * `task_queue`), else the job's default. For a run now, a queue other than the default must
   * have a running worker (503): runs on the default queue wait for one, as every deployment runs
   * one, and so do schedules.
   */
  taskQueue(name: string, asked?: string, runNow = true): Promise<string> {
    return this.resolveQueue(name, asked, runNow);
  }

  private async resolveQueue(name: string, asked: unknown, needWorker: boolean): Promise<string> {
    const job = this.job(name);
    const recorder = this.recorder(job);
    const queues = recorder ? await recorder.taskQueues(name) : taskQueuesOf(job);
    if (asked === undefined || asked === null || asked === '') return queues[0];
    if (typeof asked !== 'string' || !queues.includes(asked))
      throw ValidationError.field(
        'task_queue',
        `"${String(asked)}" is not a task queue of this job; choose one of: ${queues.join(', ')}.`,
      );
    if (needWorker && asked !== DEFAULT_TASK_QUEUE && this.driver.kind === 'bull') {
      const workers = await this.driver.workers();
      if (!workers.some((w) => w.queues.includes(asked) || w.queues.includes('*')))
        throw new NoWorkerError(asked);
    }
    return asked;
  }

  async requeue(
    name: string,
    jobResultId: string,
    data: Record<string, unknown>,
    taskQueue: string = DEFAULT_TASK_QUEUE,
  ): Promise<void> {
    this.job(name);
    await this.driver.enqueue(
      name,
      { plinth_job_result: jobResultId, data } satisfies UserJobEnvelope,
      taskQueue,
    );
  }

  /**
   * Execute a job now, in this process (the worker's handler; `plinth runjob`). A user job's
   * payload is its envelope; called with plain data, a user job gets its result here.
   */
  async run(
    name: string,
    payload: Record<string, unknown> = {},
    opts: JobSubmitOptions = {},
  ): Promise<unknown> {
    const job = this.job(name);
    const started = Date.now();
    const recorder = this.recorder(job);
    let result: unknown;
    try {
      if (recorder) {
        const envelope = envelopeOf(payload);
        const submitted = envelope
          ? { job_result_id: envelope.plinth_job_result, data: envelope.data }
          : await recorder.pending(name, payload, opts);
        result = await recorder.execute(name, submitted.job_result_id, submitted.data);
      } else {
        result = await job.run(this.systemContext(name), payload);
      }
    } catch (e) {
      this.onOutcome(name, 'failed', (Date.now() - started) / 1000);
      throw e;
    }
    this.onOutcome(name, 'succeeded', (Date.now() - started) / 1000);
    // Repeating sweeps run every few seconds: their runs are logged at debug level only.
    const message = `${name} finished in ${Date.now() - started} ms`;
    if (job.every_ms) this.logger.debug(message);
    else this.logger.log(message);
    return result;
  }

  /** A system job's context: writes as the system, log lines to the process log. */
  private systemContext(name: string) {
    const line = (m: string) => this.logger.log(`${name}: ${m}`);
    return {
      objects: this.objects.as({ user: null, source: 'job' }),
      db: this.db,
      log: line,
      log_debug: (m: string) => this.logger.debug(`${name}: ${m}`),
      log_info: line,
      log_success: line,
      log_warning: (m: string) => this.logger.warn(`${name}: ${m}`),
      log_failure: (m: string) => this.logger.error(`${name}: ${m}`),
      user: null,
      dryrun: false,
      job_result_id: null,
      signal: new AbortController().signal,
      models: this.models,
      get: this.resolve,
      settings: <T>(handle: PluginSettings<T>): T => readPluginSettings(handle, this.settings),
    };
  }

  /** Consume runs in this process: from the given task queues (default: the default queue). */
  startWorker(queues: readonly string[] = [DEFAULT_TASK_QUEUE]): Promise<void> {
    const repeatables = this.jobs
      .items()
      .filter((j) => j.every_ms)
      .map((j) => ({ name: j.name, every_ms: j.every_ms! }));
    return this.driver.startWorker((name, data) => this.run(name, data), repeatables, queues);
  }

  workers(): Promise<WorkerInfo[]> {
    return this.driver.workers();
  }
}
