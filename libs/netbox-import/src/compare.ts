import type { PlinthInput } from './mapping';

/** A value as written or as stored, reduced so that the two compare equal when they mean the same. */
function normal(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    const items = v.map(normal);
    return items.every((x) => typeof x === 'string' || typeof x === 'number')
      ? [...items].map(String).sort()
      : items;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.id === 'string') return o.id;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      const n = normal(o[k]);
      if (n !== null) out[k] = n;
    }
    return Object.keys(out).length ? out : null;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

/** Whether writing `input` would change nothing on the stored record. */
export function sameInput(input: PlinthInput, stored: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(input)) {
    if (JSON.stringify(normal(v)) !== JSON.stringify(normal(stored[k]))) return false;
  }
  return true;
}
