import { Logger } from '@nestjs/common';
import type { JobDefinition, ObjectsService, Registry } from '@plinth/plugin-sdk';
import { NotFoundError } from '@plinth/plugin-sdk';
import type { QueueDriver, WorkerInfo } from './queue';

/** Enqueue and run registered jobs, whichever driver carries them. */
export class QueueService {
  private readonly logger = new Logger('Jobs');
  /** Outcome observer (metrics). */
  onOutcome: (job: string, outcome: 'succeeded' | 'failed', seconds: number) => void = () => undefined;

  constructor(
    readonly driver: QueueDriver,
    private readonly jobs: Registry<JobDefinition>,
    private readonly objects: ObjectsService,
  ) {}

  private job(name: string): JobDefinition {
    const job = this.jobs.items().find((j) => j.name === name);
    if (!job) throw new NotFoundError(`No job named ${name}.`);
    return job;
  }

  async enqueue(name: string, data: Record<string, unknown> = {}): Promise<string> {
    this.job(name);
    return this.driver.enqueue(name, data);
  }

  /** Execute a job now, in this process (the worker's handler; `plinth runjob`). */
  async run(name: string, data: Record<string, unknown> = {}): Promise<unknown> {
    const job = this.job(name);
    const started = Date.now();
    let result: unknown;
    try {
      result = await job.run(
        {
          objects: this.objects.as({ user: null, source: 'job' }),
          log: (m) => this.logger.log(`${name}: ${m}`),
        },
        data,
      );
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
