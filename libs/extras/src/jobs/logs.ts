import {
  sql,
  type JobLogLevel,
  type JobLogOptions,
  type ModelLookup,
  type SqlRunner,
} from '@plinth/plugin-sdk';

/**
 * A run's log lines, inserted in order as the job logs them. The job does not wait for them: on
 * PGlite's single connection a transactional job holds the connection, so its lines are written
 * right after its transaction ends; on PostgreSQL they appear while the job runs.
 */
export class JobLogWriter {
  private chain: Promise<void> = Promise.resolve();
  /** Microseconds of the last line: lines get strictly increasing times, so they sort as logged. */
  private lastMicros = 0;

  constructor(
    private readonly db: SqlRunner,
    private readonly models: ModelLookup,
    private readonly resultId: string,
  ) {}

  write(level: JobLogLevel, message: string, opts: JobLogOptions = {}): void {
    const object = opts.object ?? null;
    const meta = object?.object_type ? this.models.get(object.object_type) : undefined;
    const url = object && meta?.api_path ? `${meta.api_path.replace(/^\/api/, '')}${object.id}/` : null;
    const display = object ? (object.display ?? object.id) : null;
    const grouping = opts.grouping ?? 'run';
    const text = String(message);
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const ms = Math.floor(this.lastMicros / 1000);
    const at = `${new Date(ms).toISOString().slice(0, -1)}${String(this.lastMicros % 1000).padStart(3, '0')}Z`;
    this.chain = this.chain.then(async () => {
      await this.db
        .query(
          sql`INSERT INTO "extras_joblogentry" ("id", "created", "last_updated", "job_result_id", "log_level", "grouping", "message", "log_object", "absolute_url")
              VALUES (gen_random_uuid(), ${at}::timestamptz, ${at}::timestamptz, ${this.resultId}::uuid, ${level}, ${grouping.slice(0, 100)}, ${text}, ${display ? display.slice(0, 200) : null}, ${url})`,
        )
        .catch((e: unknown) => process.stderr.write(`job log line lost: ${String(e)}\n`));
    });
  }

  /** Every line written so far is stored. */
  flush(): Promise<void> {
    return this.chain;
  }
}
