import type { AuthUser } from './model';
import { createRegistry } from './registry';

/**
 * Typed job variables (Nautobot's `StringVar`, `IntegerVar`, ... ): a job declares them and the
 * REST schema (`/api/extras/jobs/<id>/variables/`), the UI form and the validation of `data`
 * (400 naming `data.<variable>`) are generated from them.
 */
interface VariableBase {
  label?: string;
  description?: string;
  /** Default true, as in Nautobot. */
  required?: boolean;
  default?: unknown;
}

export interface StringVariable extends VariableBase {
  type: 'string';
  /** A JavaScript regular expression the whole value must match. */
  regex?: string;
  min_length?: number;
  max_length?: number;
}
export interface TextVariable extends VariableBase {
  type: 'text';
  min_length?: number;
  max_length?: number;
}
export interface IntegerVariable extends VariableBase {
  type: 'integer';
  min_value?: number;
  max_value?: number;
}
export interface BooleanVariable extends VariableBase {
  type: 'boolean';
}
export interface ChoiceVariable extends VariableBase {
  type: 'choice' | 'multichoice';
  /** `[value, label]` pairs. */
  choices: readonly (readonly [string, string])[];
}
export interface ObjectVariable extends VariableBase {
  type: 'object' | 'multiobject';
  /** Model label: `dcim.device`. */
  model: string;
  /** List-endpoint filters the chosen objects must match (`{status: 'active'}`). */
  query_params?: Readonly<Record<string, string>>;
}
export interface IPAddressVariable extends VariableBase {
  /** `ipaddress`: an address without mask; `ipaddress_with_mask`: with a prefix length. */
  type: 'ipaddress' | 'ipaddress_with_mask';
}
export interface IPNetworkVariable extends VariableBase {
  type: 'ipnetwork';
}
export interface JsonVariable extends VariableBase {
  type: 'json';
}
/**
 * An uploaded file (Nautobot's `FileVar`): sent as a multipart part named after the variable
 * (REST and the UI form). The job gets a JobFile; the upload is kept (as an `extras.fileproxy`)
 * only until the run ends. Jobs with file variables cannot be scheduled or wait for approval.
 */
export interface FileVariable extends VariableBase {
  type: 'file';
  /** Largest accepted file, in bytes (default and ceiling: the request body limit). */
  max_size?: number;
}

/** What a job receives for a file variable. */
export interface JobFile {
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
  /** The content decoded (UTF-8 unless told otherwise). */
  text(encoding?: BufferEncoding): string;
}

export type JobVariable =
  | StringVariable
  | TextVariable
  | IntegerVariable
  | BooleanVariable
  | ChoiceVariable
  | ObjectVariable
  | IPAddressVariable
  | IPNetworkVariable
  | JsonVariable
  | FileVariable;

export type JobVariableType = JobVariable['type'];

/** Nautobot's log levels (`logger.info(...)` in a Nautobot 2 job). */
export const JOB_LOG_LEVELS = ['debug', 'info', 'success', 'warning', 'failure'] as const;
export type JobLogLevel = (typeof JOB_LOG_LEVELS)[number];

export interface JobLogOptions {
  /** The object the line is about (linked from the log): a record with `id` and its model label. */
  object?: { id: string; object_type?: string; display?: string } | null;
  /** Groups lines in the log (Nautobot's `extra={"grouping": ...}`); default the job's phase `run`. */
  grouping?: string;
}

/** How a user job is submitted (REST, UI, CLI, schedules, hooks). */
export interface JobSubmitOptions {
  user?: AuthUser | null;
  dryrun?: boolean;
  /**
   * Submitted by a user surface (REST, UI, CLI): the job must be installed and enabled, and the
   * data is validated against its variables (400 naming `data.<variable>`). Code that queues its
   * own job (a Git sync) leaves it off.
   */
  checked?: boolean;
  /** The `extras.scheduledjob` that fired the run. */
  scheduled_job?: string;
  /**
   * The task queue to run on: one of the job's `task_queues` (default: its first). Only workers
   * started for that queue (`plinth worker --queues`) take the run.
   */
  task_queue?: string;
}

/** The queue a job runs on when it names none (and the one every worker serves by default). */
export const DEFAULT_TASK_QUEUE = 'default';

/** Task queue names: what Bull and `plinth worker --queues` accept. */
export const TASK_QUEUE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/**
 * Records runs of user jobs as `extras.jobresult` / `extras.joblogentry` rows. The extras domain
 * provides the one recorder; the queue asks it to create a pending result before queueing a user
 * job and to execute the queued run (status, logs, the job's context).
 */
export interface JobRunRecorder {
  /** The pending result's id and the data to run with (cleaned, when `checked`). */
  pending(
    name: string,
    data: Record<string, unknown>,
    opts: JobSubmitOptions,
  ): Promise<{ job_result_id: string; data: Record<string, unknown> }>;
  execute(name: string, resultId: string, data: Record<string, unknown>): Promise<unknown>;
  /** The task queues a job's runs may use, its default first (an operator may override the code's). */
  taskQueues(name: string): Promise<readonly string[]>;
}
export const JobRecorders = createRegistry<JobRunRecorder>('job-recorders');

/**
 * The queue as plugins see it (`@Inject(JOB_QUEUE)`): submit a run (a user job gets its pending
 * JobResult, whose id is returned).
 */
export interface JobQueue {
  enqueue(name: string, data?: Record<string, unknown>, opts?: JobSubmitOptions): Promise<string>;
  /**
   * The task queue a run of `name` goes to: `asked` when it is one of the job's (else a 400 naming
   * `task_queue`), or the job's default. For a run now (`runNow`, default true) a queue other than
   * the default that no running worker serves is refused (503); a schedule may wait for one.
   */
  taskQueue(name: string, asked?: string, runNow?: boolean): Promise<string>;
  /** Queue an existing pending result again (a retry after a lost worker), on its task queue. */
  requeue(
    name: string,
    jobResultId: string,
    data: Record<string, unknown>,
    taskQueue?: string,
  ): Promise<void>;
}
export const JOB_QUEUE = Symbol.for('plinth:job-queue');
