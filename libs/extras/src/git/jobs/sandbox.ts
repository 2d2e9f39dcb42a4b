import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  CORE_CONFIG,
  JOB_LOG_LEVELS,
  READS,
  asUser,
  type FilterParams,
  type JobContext,
  type JobFile,
  type JobLogLevel,
  type JobLogOptions,
  type ReadService,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { GitCli } from '../git-cli';
import type { GitJobSource } from './definitions';
import type {
  ChildMessage,
  DiscoveredModule,
  ParentMessage,
  SandboxError,
  SandboxFile,
} from './sandbox/protocol';

/** The sandboxed runner script (compiled next to this file). */
const CHILD_SCRIPT = path.join(__dirname, 'sandbox', 'child.js');
/** How long the modules of a repository may take to load at sync time. */
export const DISCOVERY_TIMEOUT_MS = 10_000;
/** How long a cancelled or timed-out job may take to stop before its process is killed. */
export const STOP_GRACE_MS = 2_000;
/** The child's V8 heap ceiling (MB). */
const HEAP_MB = 256;
/** Console lines of a run kept as debug log lines. */
const MAX_CONSOLE_LINES = 200;

export interface GitJobsSettings {
  root: string;
  jobs: boolean;
}

function errorOf(e: unknown): SandboxError {
  const err = e as { message?: unknown; status?: unknown; errors?: unknown };
  return {
    message: typeof err?.message === 'string' ? err.message : String(e),
    status: typeof err?.status === 'number' ? err.status : undefined,
    errors: err?.errors === undefined ? undefined : (JSON.parse(JSON.stringify(err.errors)) as unknown),
  };
}

/** An error carrying the job's own stack (the run's traceback). */
function jobError(e: SandboxError): Error {
  const err = new Error(e.message);
  err.stack = e.stack ?? e.message;
  return err;
}

function plain(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isJobFile(v: unknown): v is JobFile {
  return !!v && typeof v === 'object' && Buffer.isBuffer((v as JobFile).content) && 'content_type' in v;
}

/**
 * Runs code fetched from Git repositories outside the server and worker processes: each
 * discovery and each run is a child process of its own, started with Node's permission model
 * (read access to the checkout and the runner script's folder only; no writes, child processes,
 * worker threads or addons), an empty environment, a heap ceiling and a timeout. The child has
 * no database handle: its `ctx` calls come here over IPC and are performed for the run.
 */
@Injectable()
export class GitJobSandbox implements OnApplicationShutdown {
  private readonly git = new GitCli();
  private readonly settings: GitJobsSettings;
  /** Children still running: killed when the process shuts down. */
  private readonly children = new Set<ChildProcess>();

  constructor(
    @Inject(CORE_CONFIG) config: { git: GitJobsSettings },
    @Inject(READS) private readonly reads: ReadService,
  ) {
    this.settings = config.git;
  }

  get enabled(): boolean {
    return this.settings.jobs;
  }

  checkoutOf(repositoryId: string): string {
    return path.join(this.settings.root, repositoryId);
  }

  onApplicationShutdown(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  private start(checkout: string): ChildProcess {
    // Multiple --allow-fs-read flags: Node 20.20 does not split a comma-separated list.
    const real = realpathSync(checkout);
    const child = fork(CHILD_SCRIPT, [], {
      cwd: real,
      env: {},
      execArgv: [
        '--experimental-permission',
        `--allow-fs-read=${real}/*`,
        `--allow-fs-read=${realpathSync(path.dirname(CHILD_SCRIPT))}/*`,
        `--max-old-space-size=${HEAP_MB}`,
        '--no-warnings',
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** The job modules of a checkout's `jobs/` folder and what each defines (or why it failed). */
  async discover(checkout: string): Promise<DiscoveredModule[]> {
    const child = this.start(checkout);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout?.resume();
    try {
      return await new Promise<DiscoveredModule[]>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`Loading the job modules took longer than ${DISCOVERY_TIMEOUT_MS / 1000} s.`)),
          DISCOVERY_TIMEOUT_MS,
        );
        child.on('message', (raw) => {
          const m = raw as ChildMessage;
          clearTimeout(timer);
          if (m.type === 'discovered') resolve(m.modules);
          else if (m.type === 'done' && !m.ok) reject(jobError(m.error));
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`The job loader exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
        });
        child.send({ type: 'discover' } satisfies ParentMessage);
      });
    } finally {
      child.kill('SIGKILL');
    }
  }

  /** The checkout of the job's repository, at the commit its jobs were loaded from. */
  private async checkout(source: GitJobSource): Promise<string> {
    const checkout = this.checkoutOf(source.repository);
    try {
      await fs.stat(path.join(checkout, '.git'));
    } catch {
      throw new Error(
        `The checkout of repository ${source.repository_name} is missing (${checkout}): sync the repository again, or give this worker the PLINTH_GIT_ROOT of the server that synced it.`,
      );
    }
    const head = await this.git.head(checkout);
    if (head !== source.commit)
      throw new Error(
        `The checkout of repository ${source.repository_name} (${checkout}) is at commit ${head}, but this job was loaded from commit ${source.commit}: sync the repository again.`,
      );
    return checkout;
  }

  /** Run one job in a child process; `ctx` is the run's context, which the child reaches over IPC. */
  async run(source: GitJobSource, ctx: JobContext, data: Record<string, unknown>): Promise<unknown> {
    if (!this.enabled)
      throw new Error(
        'Jobs from Git repositories are turned off on this server or worker (PLINTH_GIT_JOBS).',
      );
    const checkout = await this.checkout(source);
    ctx.log_info(
      `Running ${source.file} of repository ${source.repository_name} at commit ${source.commit}.`,
    );
    const child = this.start(checkout);
    ctx.log_debug(`Sandboxed process ${child.pid} started.`);
    let stderr = '';
    let lines = 0;
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (!line.trim() || lines >= MAX_CONSOLE_LINES) continue;
        lines += 1;
        ctx.log_debug(`console: ${line}`);
      }
    });
    const reply = (m: ParentMessage) => {
      if (child.connected) child.send(m);
    };
    // Calls are performed one at a time, in the order the job made them.
    let queue: Promise<void> = Promise.resolve();
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      const reason = ctx.signal.reason instanceof Error ? ctx.signal.reason.message : 'aborted';
      reply({ type: 'abort', reason });
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    try {
      return await new Promise<unknown>((resolve, reject) => {
        child.on('message', (raw) => {
          const m = raw as ChildMessage;
          if (m.type === 'log') this.log(ctx, m.level, m.message, m.opts);
          else if (m.type === 'call')
            queue = queue.then(async () => {
              try {
                reply({
                  type: 'reply',
                  id: m.id,
                  ok: true,
                  value: plain(await this.perform(ctx, m.method, m.args)),
                });
              } catch (e) {
                reply({ type: 'reply', id: m.id, ok: false, error: errorOf(e) });
              }
            });
          else if (m.type === 'done') {
            // Writes still being performed finish before the run ends.
            void queue.then(() => (m.ok ? resolve(m.value) : reject(jobError(m.error))));
          }
        });
        child.on('exit', (code, signal) => {
          const why = ctx.signal.aborted
            ? `it did not stop within ${STOP_GRACE_MS / 1000} s of being told (${String((ctx.signal.reason as Error)?.message ?? 'aborted')}), so it was killed`
            : `it exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`;
          reject(new Error(`The job's sandboxed process ended before the job did: ${why}.`));
        });
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
        reply({
          type: 'run',
          file: source.file,
          job: source.job,
          data: this.dataFor(data),
          user: ctx.user ? { id: ctx.user.id, username: ctx.user.username } : null,
          dryrun: ctx.dryrun,
          job_result_id: ctx.job_result_id,
        });
      });
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      child.kill('SIGKILL');
    }
  }

  /** File variables travel as bytes; everything else as it is. */
  private dataFor(data: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      if (isJobFile(v)) {
        const file: SandboxFile = {
          name: v.name,
          content_type: v.content_type,
          size: v.size,
          content: v.content,
        };
        out[k] = { plinth_sandbox_file: file };
      } else out[k] = plain(v);
    }
    return out;
  }

  private log(ctx: JobContext, level: string, message: string, rawOpts: unknown): void {
    const lvl: JobLogLevel = (JOB_LOG_LEVELS as readonly string[]).includes(level)
      ? (level as JobLogLevel)
      : 'info';
    const opts: JobLogOptions = {};
    const o = rawOpts as { object?: Record<string, unknown>; grouping?: unknown } | undefined;
    if (typeof o?.grouping === 'string') opts.grouping = o.grouping.slice(0, 100);
    if (o?.object && typeof o.object.id === 'string')
      opts.object = {
        id: o.object.id,
        object_type: typeof o.object.object_type === 'string' ? o.object.object_type : undefined,
        display: typeof o.object.display === 'string' ? o.object.display : undefined,
      };
    ctx[`log_${lvl}`](String(message), opts);
  }

  /**
   * A call of the child's `ctx.objects`: writes through the run's write path (as the user, with
   * the user's permissions checked: the job's `check_permissions`), reads through the read path
   * scoped to what the user may view (inside the run's transaction when it has one).
   */
  private async perform(ctx: JobContext, method: string, args: unknown[]): Promise<unknown> {
    const label = String(args[0]);
    const manager = 'manager' in ctx.db ? (ctx.db as TransactionContext).manager : undefined;
    const actor = asUser(ctx.user);
    const list = <T>(v: unknown): T[] => {
      if (!Array.isArray(v)) throw new TypeError(`ctx.objects.${method} takes a list.`);
      return v as T[];
    };
    switch (method) {
      case 'create':
        return ctx.objects.create(label, list<Record<string, unknown>>(args[1]));
      case 'update':
        return ctx.objects.update(label, list<{ id: string } & Record<string, unknown>>(args[1]), {
          partial: (args[2] as { partial?: boolean } | undefined)?.partial ?? true,
        });
      case 'delete':
        return ctx.objects.delete(label, list<string>(args[1]).map(String));
      case 'get':
        return this.reads.get(actor, label, String(args[1]), { manager });
      case 'find': {
        const limit = Number((args[2] as { limit?: unknown } | undefined)?.limit ?? 1000);
        const page = await this.reads.list(
          actor,
          label,
          args[1] as FilterParams,
          { limit, count: false },
          { manager },
        );
        return page.results;
      }
      case 'count':
        return this.reads.count(actor, label, args[1] as FilterParams, { manager });
      default:
        throw new Error(`ctx.objects has no method ${method}.`);
    }
  }
}
