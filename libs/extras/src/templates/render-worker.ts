import { parentPort, workerData } from 'node:worker_threads';
import type * as nunjucks from 'nunjucks';
import {
  cleanError,
  createSandboxEnvironment,
  plainDataFilter,
  poisonFunctionConstructors,
  type FilterFunction,
} from './sandbox';
import type { RenderOutcome, RenderReply, RenderRequest, WorkerInit } from './protocol';

/**
 * A render worker: loads the filters (the engine's and plugins', by module path), hardens
 * Nunjucks and the function constructors, then renders batches of templates. The engine
 * terminates the worker when a batch overruns its time limit; memory is capped by the worker's
 * resource limits.
 */

function loadFilters(init: WorkerInit): Record<string, FilterFunction> {
  const out: Record<string, FilterFunction> = {};
  for (const f of init.filters) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(f.module) as Record<string, unknown>;
    const fn = mod[f.export];
    if (typeof fn !== 'function')
      throw new Error(`template filter ${f.name}: ${f.module} exports no function "${f.export}"`);
    out[f.name] = plainDataFilter(f.name, fn as FilterFunction);
  }
  return out;
}

const filters = loadFilters(workerData as WorkerInit);
const environments: Record<'html' | 'text', nunjucks.Environment> = {
  html: createSandboxEnvironment(filters, true),
  text: createSandboxEnvironment(filters, false),
};
poisonFunctionConstructors();

function renderOne(
  env: nunjucks.Environment,
  source: string,
  context: Record<string, unknown>,
  max: number,
): RenderOutcome {
  try {
    const output = env.renderString(source, context);
    if (output.length > max) return { ok: false, error: `output exceeds ${max} characters` };
    return { ok: true, output };
  } catch (e) {
    return { ok: false, error: cleanError(e) };
  }
}

parentPort!.on('message', (req: RenderRequest) => {
  const env = environments[req.autoescape ? 'html' : 'text'];
  const results = req.jobs.map((j) => renderOne(env, j.source, j.context, req.max_output));
  const reply: RenderReply = { id: req.id, results };
  parentPort!.postMessage(reply);
});
