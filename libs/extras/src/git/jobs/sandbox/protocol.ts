/** Messages between GitJobSandbox (the server or worker) and the sandboxed child over IPC. */

/** A file variable's upload, carried as bytes (the child rebuilds the JobFile). */
export interface SandboxFile {
  name: string;
  content_type: string;
  size: number;
  content: Uint8Array;
}

export interface SandboxRun {
  type: 'run';
  /** The module, relative to the checkout (`jobs/backup.js`). */
  file: string;
  /** The job's `name` in that module. */
  job: string;
  data: Record<string, unknown>;
  user: { id: string; username: string } | null;
  dryrun: boolean;
  job_result_id: string | null;
}

export interface SandboxError {
  message: string;
  stack?: string;
  status?: number;
  errors?: unknown;
}

export type ParentMessage =
  | { type: 'discover' }
  | SandboxRun
  | { type: 'abort'; reason: string }
  | ({ type: 'reply'; id: number } & ({ ok: true; value: unknown } | { ok: false; error: SandboxError }));

export interface DiscoveredModule {
  file: string;
  /** Each job's declared metadata (plain data; checked by the parent). */
  jobs: Record<string, unknown>[];
  /** Why the module could not be loaded. */
  error?: string;
}

export type ChildMessage =
  | { type: 'discovered'; modules: DiscoveredModule[] }
  | { type: 'call'; id: number; method: string; args: unknown[] }
  | { type: 'log'; level: string; message: string; opts?: unknown }
  | { type: 'done'; ok: true; value: unknown }
  | { type: 'done'; ok: false; error: SandboxError };
