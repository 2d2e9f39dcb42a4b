import * as path from 'node:path';
import type { ApiObject, TemplateRenderer } from '@plinth/plugin-sdk';

export type PathOutcome = { ok: true; path: string } | { ok: false; error: string };

/**
 * A setting's path pattern rendered for each device (`obj` = the device as the REST API shows
 * it at depth 1), in the sandbox, in one batch. The result is a repository-relative path:
 * absolute paths and `..` segments are refused, so a pattern cannot point outside the checkout.
 */
export async function renderDevicePaths(
  renderer: TemplateRenderer,
  pattern: string,
  devices: readonly ApiObject[],
): Promise<PathOutcome[]> {
  const outcomes = await renderer.renderMany(devices.map((obj) => ({ source: pattern, context: { obj } })));
  return outcomes.map((o): PathOutcome => {
    if (!o.ok) return { ok: false, error: `path pattern: ${o.error}` };
    const p = o.output.trim();
    const normal = path.posix.normalize(p);
    if (!p || path.posix.isAbsolute(normal) || normal.split('/').includes('..'))
      return { ok: false, error: `path pattern gave "${p}", not a path inside the repository` };
    return { ok: true, path: normal };
  });
}

/** The absolute path of a repository-relative path inside a checkout (checked by renderDevicePaths). */
export function insideCheckout(checkout: string, relative: string): string {
  return path.join(checkout, ...relative.split('/'));
}
