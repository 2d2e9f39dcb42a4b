import { Inject } from '@nestjs/common';
import type { AuthUser, ModelMeta } from './model';
import type { ApiObject } from './reads';
import { createRegistry } from './registry';

/**
 * A filter for user-authored templates (export templates, custom links, computed fields,
 * webhook bodies). Templates run in a sandboxed worker thread, so a filter is not a function
 * value but a function the worker loads: `module` is the absolute path of a CommonJS module
 * (`require.resolve('./filters')` or `path.join(__dirname, 'filters.js')`) and `export` the name
 * of the function it exports. The function gets plain JSON data (and the filter's arguments)
 * and must return plain data: it runs with Node's full powers, so it must not hand templates
 * anything else (functions, classes, host objects).
 */
export interface TemplateFilter {
  /** `<plugin>_<name>` (a plugin's filters are prefixed with its name: `acme_rackunits`). */
  name: string;
  /** Absolute path of the module the render worker `require`s. */
  module: string;
  /** Exported function name (default: `name`). */
  export?: string;
}
export const TemplateFilters = createRegistry<TemplateFilter>('template-filters');

/** One choice of a model's list export (`?export=<name>`). */
export interface ListExportChoice {
  name: string;
  label: string;
}

/** A rendered export, sent as the response. */
export interface ListExportResult {
  content: string;
  mime_type: string;
  /** File name of the download (`as_attachment`), e.g. `devices.txt`. */
  filename: string;
  as_attachment: boolean;
}

/**
 * Other renderings of a model's list, chosen with `?export=<name>` on the REST list endpoint and
 * in the UI list's Export menu (CSV is built in). `render` gets the filtered list the user may
 * see, as the REST API shows it.
 */
export interface ListExport {
  /** The exports offered for a model. */
  choices(model: ModelMeta): Promise<readonly ListExportChoice[]>;
  /** Render `name` for the objects, or null when this provider has no export of that name. */
  render(
    model: ModelMeta,
    name: string,
    objects: readonly ApiObject[],
    user: AuthUser | null,
  ): Promise<ListExportResult | null>;
}
export const ListExports = createRegistry<ListExport>('list-exports');

/** One template of a batch render: its source and its data. */
export interface TemplateRenderJob {
  source: string;
  context: Record<string, unknown>;
}

/** The outcome of one template of a batch render. */
export type TemplateRenderOutcome = { ok: true; output: string } | { ok: false; error: string };

export interface TemplateRenderOptions {
  /** HTML-escape interpolated values (templates whose output is HTML). */
  autoescape?: boolean;
  /** Characters per rendered template (default 1 MB). */
  max_output?: number;
}

/**
 * The sandboxed template engine of every user-authored template (`@Inject(TEMPLATE_RENDERER)`,
 * provided by extras): Nunjucks in worker threads with guarded lookups, no loaders, the
 * registered TemplateFilters, a time limit and an output cap. Data goes in JSON-cloned, so pass
 * plain data only. Plugins render their own user-authored templates here (a Git repository's
 * config templates, a path pattern), never with a Nunjucks environment of their own.
 */
export interface TemplateRenderer {
  /** Render one template; a failed render (syntax, sandbox refusal, time limit) throws an Error. */
  render(source: string, context: Record<string, unknown>, opts?: TemplateRenderOptions): Promise<string>;
  /** Render a batch in one worker round trip; outcomes per template, in order. */
  renderMany(
    jobs: readonly TemplateRenderJob[],
    opts?: TemplateRenderOptions,
  ): Promise<TemplateRenderOutcome[]>;
  /** The syntax error of a template (to refuse it when it is saved), or null. Nothing of it runs. */
  syntaxError(source: string): string | null;
}
export const TEMPLATE_RENDERER = Symbol.for('plinth:template-renderer');
export const InjectTemplateRenderer = (): ParameterDecorator & PropertyDecorator => Inject(TEMPLATE_RENDERER);
