import {
  ValidationError,
  type ListExport,
  type ListExportChoice,
  type ListExportResult,
  type ModelMeta,
  type ReadActor,
  type Registry,
} from '@plinth/plugin-sdk';
import type { QueryParams } from '../query/filter-engine';
import { MAX_PAGE_SIZE } from '../query/query-engine';
import type { ApiObject } from '../serialize/serializer';
import type { Reads } from './read-service';

/** At most this many objects go into one rendered export (a template holds its input in memory). */
export const MAX_EXPORT_OBJECTS = 10_000;

/** The exports (other than CSV) offered for a model's list, from every ListExports provider. */
export async function listExportChoices(
  registry: Registry<ListExport>,
  model: ModelMeta,
): Promise<ListExportChoice[]> {
  const out: ListExportChoice[] = [];
  for (const p of registry.items()) out.push(...(await p.choices(model)));
  return out;
}

/**
 * `?export=<name>` on a list (REST and UI alike): the filtered list the actor may view, as the
 * REST API shows it (depth 1, so templates reach related objects' names), rendered by the
 * provider owning the name. An unknown name is a 400 naming `export`.
 */
export async function renderListExport(
  reads: Reads,
  registry: Registry<ListExport>,
  actor: ReadActor,
  model: ModelMeta,
  name: string,
  query: { params: QueryParams; sort?: readonly string[] },
  base_url: string,
): Promise<ListExportResult> {
  const known = await listExportChoices(registry, model);
  if (!known.some((c) => c.name === name))
    throw ValidationError.field('export', `"${name}" is not an export of ${model.verbose_name_plural}.`);
  const objects: ApiObject[] = [];
  // Keyset pages, so the last thousand rows cost what the first did.
  let cursor = '';
  for (let read = 0; read < MAX_EXPORT_OBJECTS; read += MAX_PAGE_SIZE) {
    const page = await reads.rows(actor, model, { ...query, limit: MAX_PAGE_SIZE, offset: 0, cursor });
    objects.push(...(await reads.serialize(actor, model, page.rows, { depth: 1, base_url })));
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  for (const p of registry.items()) {
    const result = await p.render(model, name, objects, actor.user ?? null);
    if (result) return result;
  }
  throw ValidationError.field('export', `"${name}" is not an export of ${model.verbose_name_plural}.`);
}

/** Content-Disposition of an export (RFC 6266, with a plain-ASCII fallback name). */
export function exportDisposition(result: ListExportResult): string {
  const ascii = result.filename.replace(/[^\w.-]/g, '_');
  const kind = result.as_attachment ? 'attachment' : 'inline';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(result.filename)}`;
}

/** CSP of rendered exports: a sandboxed document without scripts, whatever the template wrote. */
export const EXPORT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
