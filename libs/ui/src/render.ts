import * as path from 'node:path';
import nunjucks from 'nunjucks';
import { isSafeHtml, toMarkup, type Html } from '@plinth/plugin-sdk';

/** Shipped as files next to `dist/` (not compiled), so operators can read them. */
export const TEMPLATE_DIR = path.resolve(__dirname, '..', 'templates');
export const ASSET_DIR = path.resolve(__dirname, '..', 'assets');

/** Trusted markup for a template (plugin Html values are escaped unless they are SafeHtml). */
export function markup(v: Html | null | undefined): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(toMarkup(v));
}

/** `2026-11-22 03:42:16 UTC` (dates are shown in UTC, as stored). */
export function formatDate(v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  const d = v instanceof Date ? v : new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** The UI's Nunjucks environment: autoescaping on, templates from libs/ui/templates. */
export function createEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATE_DIR, { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  // Values piped through `markup` are markup the UI built (escaped when it was built).
  env.addFilter('markup', (v: unknown) =>
    isSafeHtml(v) ? markup(v) : new nunjucks.runtime.SafeString(typeof v === 'string' ? v : ''),
  );
  env.addFilter('datetime', formatDate);
  env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2));
  env.addFilter('title', (s: unknown) => String(s ?? '').replace(/(^|\s)\S/g, (c) => c.toUpperCase()));
  env.addFilter('capfirst', (s: unknown) => {
    const t = String(s ?? '');
    return t.charAt(0).toUpperCase() + t.slice(1);
  });
  return env;
}
