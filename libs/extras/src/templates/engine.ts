import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  InjectRegistry,
  TemplateFilters,
  type Registry,
  type TemplateFilter,
  type TemplateRenderer,
} from '@plinth/plugin-sdk';
import { NETWORK_FILTERS } from './network-filters';
import type { FilterSpec, RenderJob, RenderOutcome, RenderReply, RenderRequest } from './protocol';
import { templateSyntaxError } from './sandbox';

/** Limits of one render call (a batch of templates). */
export interface RenderOptions {
  /** HTML-escape interpolated values (templates whose output is HTML). */
  autoescape?: boolean;
  /** Characters per rendered template (default 1 MB). */
  max_output?: number;
}

export const TEMPLATE_LIMITS = {
  /** A batch taking longer is stopped (its worker is terminated and replaced). */
  timeout_ms: 2000,
  max_output: 1_000_000,
  /** Heap of a render worker. */
  worker_heap_mb: 128,
  workers: 2,
};

/** Names of Nunjucks' own filters: a plugin filter may not shadow them. */
const BUILTIN_FILTER_NAMES = new Set([
  'abs', 'batch', 'capitalize', 'center', 'default', 'd', 'dictsort', 'dump', 'e', 'escape', 'first',
  'float', 'forceescape', 'groupby', 'indent', 'int', 'join', 'last', 'length', 'list', 'lower', 'nl2br',
  'random', 'reject', 'rejectattr', 'replace', 'reverse', 'round', 'safe', 'select', 'selectattr',
  'slice', 'sort', 'string', 'striptags', 'sum', 'title', 'trim', 'truncate', 'upper', 'urlencode',
  'urlize', 'wordcount',
]); // prettier-ignore

/**
 * The filters of the render workers: the engine's network filters, then plugin filters. Plugin
 * filters must be named `<plugin>_...` and may not collide with another filter: either stops
 * start-up with an error naming the plugin.
 */
export function filterSpecs(entries: readonly { item: TemplateFilter; plugin: string }[]): FilterSpec[] {
  const builtin = path.join(__dirname, 'network-filters.js');
  const specs: FilterSpec[] = Object.entries(NETWORK_FILTERS).map(([name, exp]) => ({
    name,
    module: builtin,
    export: exp,
  }));
  const taken = new Map<string, string>(
    [...BUILTIN_FILTER_NAMES, ...specs.map((s) => s.name)].map((n) => [n, 'Plinth']),
  );
  for (const { item, plugin } of entries) {
    const prefix = `${plugin.replace(/[^A-Za-z0-9]/g, '_')}_`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(item.name) || !item.name.startsWith(prefix))
      throw new Error(`plugin ${plugin}: template filter "${item.name}" must be named ${prefix}<name>`);
    const owner = taken.get(item.name);
    if (owner)
      throw new Error(`plugin ${plugin}: template filter "${item.name}" is already registered by ${owner}`);
    if (!path.isAbsolute(item.module))
      throw new Error(`plugin ${plugin}: template filter "${item.name}": module must be an absolute path`);
    // Loaded here too, so a missing module or export stops start-up instead of every render.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fn = (require(item.module) as Record<string, unknown>)[item.export ?? item.name];
    if (typeof fn !== 'function')
      throw new Error(
        `plugin ${plugin}: template filter "${item.name}": ${item.module} exports no function "${item.export ?? item.name}"`,
      );
    taken.set(item.name, `plugin ${plugin}`);
    specs.push({ name: item.name, module: item.module, export: item.export ?? item.name });
  }
  return specs;
}

interface Pending {
  request: RenderRequest;
  resolve(results: RenderOutcome[]): void;
}

/** One worker thread and the batch it is rendering. */
class RenderWorker {
  readonly worker: Worker;
  busy: { pending: Pending; timer: NodeJS.Timeout } | null = null;
  dead = false;

  constructor(filters: FilterSpec[], onFree: (w: RenderWorker) => void, onDeath: (w: RenderWorker) => void) {
    this.worker = new Worker(path.join(__dirname, 'render-worker.js'), {
      workerData: { filters },
      resourceLimits: {
        maxOldGenerationSizeMb: TEMPLATE_LIMITS.worker_heap_mb,
        maxYoungGenerationSizeMb: 16,
      },
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.worker.on('message', (reply: RenderReply) => {
      const b = this.busy;
      if (!b || b.pending.request.id !== reply.id) return;
      clearTimeout(b.timer);
      this.busy = null;
      b.pending.resolve(reply.results);
      onFree(this);
    });
    this.onDeath = onDeath;
    this.worker.on('error', (e) => this.die(`render worker failed: ${e.message}`));
    this.worker.on('exit', () => this.die('render worker stopped'));
  }

  private readonly onDeath: (w: RenderWorker) => void;

  /** Out of the pool at once (a terminated worker still looks idle until it has exited). */
  private die(why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.fail(why);
    this.onDeath(this);
  }

  run(pending: Pending): void {
    const timer = setTimeout(() => {
      this.die(`template rendering took longer than ${TEMPLATE_LIMITS.timeout_ms / 1000} s and was stopped`);
      void this.worker.terminate();
    }, TEMPLATE_LIMITS.timeout_ms);
    this.busy = { pending, timer };
    this.worker.postMessage(pending.request);
  }

  private fail(error: string): void {
    const b = this.busy;
    if (!b) return;
    clearTimeout(b.timer);
    this.busy = null;
    b.pending.resolve(b.pending.request.jobs.map(() => ({ ok: false, error })));
  }
}

/**
 * The one sandboxed template engine of every user-authored template (export templates, custom
 * links, computed fields, webhooks): Nunjucks in a small pool of worker threads. Data goes in
 * JSON-cloned, strings come out; a batch is stopped after 2 s without blocking the event loop;
 * output and worker memory are capped; see sandbox.ts for what templates cannot reach.
 */
@Injectable()
export class TemplateEngine implements OnModuleInit, OnModuleDestroy, TemplateRenderer {
  private readonly logger = new Logger('Templates');
  private filters: FilterSpec[] | null = null;
  private readonly workers: RenderWorker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(@InjectRegistry(TemplateFilters) private readonly registry: Registry<TemplateFilter>) {}

  onModuleInit(): void {
    // Filter names are checked at start-up: a bad plugin filter stops the app.
    this.filters = filterSpecs(this.registry.entries());
    RUNNING.push(this);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const i = RUNNING.indexOf(this);
    if (i >= 0) RUNNING.splice(i, 1);
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  /** The syntax error of a template (checked when it is saved), or null. Nothing of it runs. */
  syntaxError(source: string): string | null {
    return templateSyntaxError(source);
  }

  /** Render one template; a failed render throws TemplateRenderError. */
  async render(source: string, context: Record<string, unknown>, opts: RenderOptions = {}): Promise<string> {
    const [r] = await this.renderMany([{ source, context }], opts);
    if (!r.ok) throw new TemplateRenderError(r.error);
    return r.output;
  }

  /** Render a batch in one worker round trip (a page of computed fields); errors per template. */
  renderMany(jobs: readonly RenderJob[], opts: RenderOptions = {}): Promise<RenderOutcome[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    if (this.closed)
      return Promise.resolve(jobs.map(() => ({ ok: false as const, error: 'template engine stopped' })));
    let cloned: RenderJob[];
    try {
      cloned = jobs.map((j) => ({
        source: String(j.source),
        context: JSON.parse(JSON.stringify(j.context ?? {})),
      }));
    } catch (e) {
      return Promise.resolve(
        jobs.map(() => ({ ok: false as const, error: `template data: ${(e as Error).message}` })),
      );
    }
    const request: RenderRequest = {
      id: this.nextId++,
      jobs: cloned,
      autoescape: opts.autoescape === true,
      max_output: opts.max_output ?? TEMPLATE_LIMITS.max_output,
    };
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const idle = this.workers.find((w) => !w.busy && !w.dead) ?? this.spawn();
      if (!idle) return;
      idle.run(this.queue.shift()!);
    }
  }

  private spawn(): RenderWorker | null {
    if (this.workers.length >= TEMPLATE_LIMITS.workers) return null;
    const w = new RenderWorker(
      this.filters ?? filterSpecs(this.registry.entries()),
      () => this.dispatch(),
      (dead) => {
        if (!this.closed) this.logger.warn('a template render worker stopped (time or memory limit)');
        const i = this.workers.indexOf(dead);
        if (i >= 0) this.workers.splice(i, 1);
        if (!this.closed) this.dispatch();
      },
    );
    this.workers.push(w);
    return w;
  }
}

export class TemplateRenderError extends Error {}

/**
 * Engines of the running apps. Field sources are declared before Nest creates providers, so
 * the `computed_fields` source finds the engine here (the latest app's, when tests run several).
 */
const RUNNING: TemplateEngine[] = [];

export function runningTemplateEngine(): TemplateEngine {
  const engine = RUNNING[RUNNING.length - 1];
  if (!engine) throw new Error('the template engine is not running');
  return engine;
}
