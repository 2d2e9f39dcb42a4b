import {
  TASK_QUEUE_NAME,
  type JobDefinition,
  type JobVariable,
  type JobVariableType,
} from '@plinth/plugin-sdk';

/** The contributor name Git jobs are registered under in the Jobs registry. */
export const GIT_JOBS_CONTRIBUTOR = 'git-repositories';

/**
 * Where a Git job comes from and what it declares, as stored on its `extras.job` row (the
 * `git_job` column, not part of the API): every server and worker builds the job's definition
 * from it without loading the fetched code.
 */
export interface GitJobSource {
  /** The repository's id (its checkout is `<PLINTH_GIT_ROOT>/<id>`). */
  repository: string;
  repository_name: string;
  /** The module, relative to the checkout: `jobs/backup.js`. */
  file: string;
  /** The job's `name` in the module. */
  job: string;
  /** The commit the job was loaded from. */
  commit: string;
  definition: GitJobMetadata;
}

/**
 * What a job module may declare besides `name` and `run` (the SDK's JobDefinition, as data).
 * Variables are kept as `[name, variable]` pairs: their order is the form's, and a jsonb object
 * would not keep it.
 */
export type GitJobMetadata = Pick<
  JobDefinition,
  | 'label'
  | 'grouping'
  | 'description'
  | 'dryrun'
  | 'has_sensitive_variables'
  | 'approval_required'
  | 'soft_time_limit'
  | 'time_limit'
  | 'hidden'
  | 'transaction'
  | 'task_queues'
  | 'idempotent'
  | 'job_hook_receiver'
> & { variables?: [string, JobVariable][] };

const JOB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MODULE_NAME = /^[A-Za-z0-9_-]{1,60}$/;
const MODEL_LABEL = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const VARIABLE_TYPES: readonly JobVariableType[] = [
  'string',
  'text',
  'integer',
  'boolean',
  'choice',
  'multichoice',
  'object',
  'multiobject',
  'ipaddress',
  'ipaddress_with_mask',
  'ipnetwork',
  'json',
  'file',
];
const FLAGS = [
  'dryrun',
  'has_sensitive_variables',
  'approval_required',
  'hidden',
  'transaction',
  'idempotent',
  'job_hook_receiver',
] as const;

/** A declaration the job module got wrong: the module is not loaded, the message says why. */
export class BadJobDefinition extends Error {}

function fail(where: string, message: string): never {
  throw new BadJobDefinition(`${where}: ${message}`);
}

function optString(where: string, v: unknown, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) fail(where, `must be a string of at most ${max} characters.`);
  return v;
}

function optNumber(where: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, 'must be a number.');
  return v;
}

function variableOf(where: string, raw: unknown): JobVariable {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(where, 'must be an object.');
  const r = raw as Record<string, unknown>;
  const type = r.type as JobVariableType;
  if (!VARIABLE_TYPES.includes(type)) fail(`${where}.type`, `must be one of ${VARIABLE_TYPES.join(', ')}.`);
  const base = {
    label: optString(`${where}.label`, r.label, 200),
    description: optString(`${where}.description`, r.description, 1000),
    required: r.required === undefined || r.required === null ? undefined : r.required !== false,
    default: r.default === null ? undefined : r.default,
  };
  switch (type) {
    case 'string':
    case 'text': {
      const regex = type === 'string' ? optString(`${where}.regex`, r.regex, 500) : undefined;
      if (regex !== undefined)
        try {
          new RegExp(regex);
        } catch {
          fail(`${where}.regex`, 'is not a valid regular expression.');
        }
      return {
        ...base,
        type,
        ...(regex !== undefined ? { regex } : {}),
        min_length: optNumber(`${where}.min_length`, r.min_length),
        max_length: optNumber(`${where}.max_length`, r.max_length),
      } as JobVariable;
    }
    case 'integer':
      return {
        ...base,
        type,
        min_value: optNumber(`${where}.min_value`, r.min_value),
        max_value: optNumber(`${where}.max_value`, r.max_value),
      };
    case 'choice':
    case 'multichoice': {
      const choices = r.choices;
      if (
        !Array.isArray(choices) ||
        !choices.every((c) => Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === 'string'))
      )
        fail(`${where}.choices`, 'must be a list of [value, label] pairs of strings.');
      return { ...base, type, choices: choices as [string, string][] };
    }
    case 'object':
    case 'multiobject': {
      if (typeof r.model !== 'string' || !MODEL_LABEL.test(r.model))
        fail(`${where}.model`, 'must be a model label such as "dcim.device".');
      const q = r.query_params ?? {};
      if (typeof q !== 'object' || Array.isArray(q) || !Object.values(q).every((x) => typeof x === 'string'))
        fail(`${where}.query_params`, 'must map filter names to strings.');
      return { ...base, type, model: r.model, query_params: q as Record<string, string> };
    }
    case 'file':
      return { ...base, type, max_size: optNumber(`${where}.max_size`, r.max_size) };
    default:
      return { ...base, type } as JobVariable;
  }
}

/** Drop keys whose value is undefined (stored as JSON, compared when reloaded). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A job a module declared, checked: its `name` and metadata as data. Anything the SDK's
 * JobDefinition does not allow for a fetched job (`every_ms`, `system`) is refused.
 */
export function checkDefinition(
  file: string,
  raw: Record<string, unknown>,
): { name: string; metadata: GitJobMetadata } {
  const name = raw.name;
  if (typeof name !== 'string' || !JOB_NAME.test(name))
    fail(`${file}`, `a job's name must be an identifier (letters, digits, _), not ${JSON.stringify(name)}.`);
  const where = `${file}: job ${name}`;
  if (raw.every_ms !== undefined || raw.system)
    throw new BadJobDefinition(
      `${where}: jobs from Git repositories cannot be system jobs (every_ms, system).`,
    );
  const variables: [string, JobVariable][] = [];
  if (raw.variables !== undefined && raw.variables !== null) {
    if (typeof raw.variables !== 'object' || Array.isArray(raw.variables))
      fail(`${where}.variables`, 'must map variable names to variables.');
    for (const [k, v] of Object.entries(raw.variables as Record<string, unknown>)) {
      if (!VARIABLE_NAME.test(k)) fail(`${where}.variables`, `${JSON.stringify(k)} is not a variable name.`);
      variables.push([k, compact(variableOf(`${where}.variables.${k}`, v))]);
    }
  }
  let task_queues: string[] | undefined;
  if (raw.task_queues !== undefined && raw.task_queues !== null) {
    if (
      !Array.isArray(raw.task_queues) ||
      !raw.task_queues.every((q) => typeof q === 'string' && TASK_QUEUE_NAME.test(q))
    )
      fail(`${where}.task_queues`, 'must be a list of task queue names.');
    task_queues = raw.task_queues as string[];
  }
  const metadata: GitJobMetadata = {
    label: optString(`${where}.label`, raw.label, 200),
    grouping: optString(`${where}.grouping`, raw.grouping, 100),
    description: optString(`${where}.description`, raw.description, 4000),
    variables,
    soft_time_limit: optNumber(`${where}.soft_time_limit`, raw.soft_time_limit),
    time_limit: optNumber(`${where}.time_limit`, raw.time_limit),
    task_queues,
  };
  for (const flag of FLAGS) {
    const v = raw[flag];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') fail(`${where}.${flag}`, 'must be true or false.');
    metadata[flag] = v;
  }
  return { name, metadata: compact(metadata) };
}

/** `jobs/backup.js` → `backup`, or a BadJobDefinition when the name cannot be part of a job name. */
export function moduleBase(file: string): string {
  const base = file.replace(/^jobs\//, '').replace(/\.(c|m)?js$/, '');
  if (!MODULE_NAME.test(base))
    fail(
      file,
      'a job module is named with letters, digits, _ and - only (it becomes part of the job names).',
    );
  return base;
}
