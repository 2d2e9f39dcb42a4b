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
