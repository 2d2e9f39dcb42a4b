import { Logger } from '@nestjs/common';
import type {
  JobDefinition,
  JobQueue,
  JobRunRecorder,
  JobSubmitOptions,
  ObjectsService,
  PluginSettings,
  PluginSettingsMap,
  Registry,
  SqlRunner,
} from '@plinth/plugin-sdk';
import { NotFoundError, isSystemJob, readPluginSettings } from '@plinth/plugin-sdk';
import type { QueueDriver, WorkerInfo } from './queue';

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
    const recorder = this.recorder(job);
    if (!recorder) return this.driver.enqueue(name, data);
    const pending = await recorder.pending(name, data, opts);
    await this.driver.enqueue(name, {
      plinth_job_result: pending.job_result_id,
      data: pending.data,
    } satisfies UserJobEnvelope);
    return pending.job_result_id;
  }

  async requeue(name: string, jobResultId: string, data: Record<string, unknown>): Promise<void> {
    this.job(name);
    await this.driver.enqueue(name, { plinth_job_result: jobResultId, data } satisfies UserJobEnvelope);
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
      settings: <T>(handle: PluginSettings<T>): T => readPluginSettings(handle, this.settings),
    };
  }

  startWorker(): Promise<void> {
    const repeatables = this.jobs
      .items()
      .filter((j) => j.every_ms)
      .map((j) => ({ name: j.name, every_ms: j.every_ms! }));
    return this.driver.startWorker((name, data) => this.run(name, data), repeatables);
  }

  workers(): Promise<WorkerInfo[]> {
    return this.driver.workers();
  }
}
