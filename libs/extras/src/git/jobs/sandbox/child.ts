/**
 * The sandboxed side of a job from a Git repository: forked by GitJobSandbox under Node's
 * permission model (it may read only the checkout and this folder; no writes, child processes,
 * worker threads or addons), with an empty environment and no database. It imports the
 * repository's job modules and either reports what they define (discovery) or runs one job,
 * whose `ctx` forwards every call over IPC to the parent, which performs it for the run.
 *
 * Only Node's built-in modules may be imported here: the permission model refuses to read
 * anything outside the two allowed folders, Plinth's packages included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildMessage, ParentMessage, SandboxFile, SandboxRun } from './protocol';

/** Module loading extensions (TypeScript must be compiled by the repository's owner first). */
const EXTENSIONS = ['.js', '.cjs', '.mjs'];

// TypeScript compiles `import()` to `require()` for CommonJS output, which cannot load ES
// modules; a real dynamic import loads both kinds.
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

function send(message: ChildMessage): void {
  process.send?.(message);
}

function errorOf(e: unknown): { message: string; stack: string } {
  if (e instanceof Error) return { message: e.message, stack: e.stack ?? e.message };
  return { message: String(e), stack: String(e) };
}

/** What a module's exports define: every exported object with a `name` and a `run` function. */
function jobsOf(ns: Record<string, unknown>): Record<string, unknown>[] {
  const seen = new Set<unknown>();
  const found: Record<string, unknown>[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      if (depth < 2) for (const v of value) visit(v, depth + 1);
      return;
    }
    const rec = value as Record<string, unknown>;
    if (typeof rec.name === 'string' && typeof rec.run === 'function') found.push(rec);
    // A CommonJS module's `module.exports` object is the namespace's default.
    else if (depth < 1) for (const v of Object.values(rec)) visit(v, depth + 1);
  };
  for (const v of Object.values(ns)) visit(v, 0);
  return found;
}

/** A job's declared metadata as plain data (functions dropped), checked by the parent. */
function metadataOf(job: Record<string, unknown>): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(job)) {
    if (typeof v === 'function') continue;
    meta[k] = JSON.parse(JSON.stringify(v ?? null)) as unknown;
  }
  return meta;
}

async function load(file: string): Promise<Record<string, unknown>> {
  return importModule(pathToFileURL(path.join(process.cwd(), file)).href);
}

async function discover(): Promise<void> {
  const dir = path.join(process.cwd(), 'jobs');
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && EXTENSIONS.includes(path.extname(e.name)) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    names = [];
  }
  const modules = [];
  for (const name of names) {
    const file = `jobs/${name}`;
    try {
      const jobs = jobsOf(await load(file)).map(metadataOf);
      modules.push({ file, jobs });
    } catch (e) {
      modules.push({ file, jobs: [], error: errorOf(e).message });
    }
  }
  send({ type: 'discovered', modules });
}

/** Calls waiting for the parent's answer. */
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let nextCall = 1;

function call(method: string, args: unknown[]): Promise<unknown> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'call', id, method, args });
  });
}

function modelLabel(model: unknown): string {
  if (typeof model === 'string') return model;
  const label = (model as { label?: unknown } | null)?.label;
  if (typeof label === 'string') return label;
  throw new TypeError('A model is named by its label, e.g. "dcim.device".');
}

function unavailable(what: string): never {
  throw new Error(
    `${what} is not available to jobs from Git repositories: they run in a sandboxed process and reach Plinth only through ctx.objects and ctx.log*.`,
  );
}

/** A file variable's value, as a plugin job gets it. */
function fileOf(f: SandboxFile) {
  const content = Buffer.from(f.content);
  return {
    name: f.name,
    content_type: f.content_type,
    size: f.size,
    content,
    text: (encoding: BufferEncoding = 'utf8') => content.toString(encoding),
  };
}

const abort = new AbortController();

async function run(message: SandboxRun): Promise<void> {
  const ns = await load(message.file);
  const job = jobsOf(ns).find((j) => j.name === message.job);
  if (!job) throw new Error(`${message.file} no longer defines the job ${message.job}.`);
  const log =
    (level: string) =>
    (text: unknown, opts?: unknown): void =>
      send({ type: 'log', level, message: String(text), opts: opts ? metadataOf({ opts }).opts : undefined });
  const ctx = {
    objects: {
      create: (model: unknown, data: unknown) => call('create', [modelLabel(model), data]),
      update: (model: unknown, changes: unknown, opts?: unknown) =>
        call('update', [modelLabel(model), changes, opts ?? {}]),
      delete: (model: unknown, ids: unknown) => call('delete', [modelLabel(model), ids]),
      get: (model: unknown, id: unknown) => call('get', [modelLabel(model), id]),
      find: (model: unknown, filters?: unknown, opts?: unknown) =>
        call('find', [modelLabel(model), filters ?? {}, opts ?? {}]),
      count: (model: unknown, filters?: unknown) => call('count', [modelLabel(model), filters ?? {}]),
    },
    log: log('info'),
    log_debug: log('debug'),
    log_info: log('info'),
    log_success: log('success'),
    log_warning: log('warning'),
    log_failure: log('failure'),
    user: message.user,
    dryrun: message.dryrun,
    job_result_id: message.job_result_id,
    signal: abort.signal,
    get db(): never {
      return unavailable('ctx.db');
    },
    get models(): never {
      return unavailable('ctx.models');
    },
    get: () => unavailable('ctx.get'),
    settings: () => unavailable('ctx.settings'),
  };
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(message.data)) {
    const file = (v as { plinth_sandbox_file?: SandboxFile } | null)?.plinth_sandbox_file;
    data[k] = file ? fileOf(file) : v;
  }
  const value = await (job.run as (c: unknown, d: unknown) => Promise<unknown>)(ctx, data);
  let result: unknown;
  try {
    result = JSON.parse(JSON.stringify(value ?? null));
  } catch {
    result = String(value);
  }
  send({ type: 'done', ok: true, value: result });
}

// The parent is gone (it stopped or was killed): nothing may be done for it any more.
process.on('disconnect', () => process.exit(1));

process.on('message', (raw: unknown) => {
  const message = raw as ParentMessage;
  if (message.type === 'discover') {
    void discover().catch((e) => send({ type: 'done', ok: false, error: errorOf(e) }));
  } else if (message.type === 'run') {
    void run(message).catch((e) => send({ type: 'done', ok: false, error: errorOf(e) }));
  } else if (message.type === 'reply') {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (!waiting) return;
    if (message.ok) waiting.resolve(message.value);
    else {
      const err = new Error(message.error.message) as Error & { status?: number; errors?: unknown };
      err.status = message.error.status;
      err.errors = message.error.errors;
      waiting.reject(err);
    }
  } else if (message.type === 'abort') {
    abort.abort(new Error(message.reason));
  }
});
