import * as path from 'node:path';
import type { TemplateFilter } from '@plinth/plugin-sdk';

/**
 * Template filters of the example plugin. The render worker loads this module by path and calls
 * the exported functions with plain data: they must return plain data (strings, numbers, lists,
 * objects) and keep no state between calls.
 *
 *   {{ obj.name | example_shout }}          ACME!
 *   {{ 1.75 | example_rack_units }}         2U (rounded up to whole rack units)
 */
export function example_shout(value: unknown): string {
  return `${String(value ?? '').toUpperCase()}!`;
}

export function example_rack_units(height_u: unknown): string {
  const n = Math.ceil(Number(height_u) || 0);
  return `${n}U`;
}

const self = path.join(__dirname, 'template-filters.js');

export const exampleTemplateFilters: TemplateFilter[] = [
  { name: 'example_shout', module: self },
  { name: 'example_rack_units', module: self },
];
