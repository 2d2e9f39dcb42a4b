/** Filters of a pretend plugin `acme`, loaded by path by the render worker (sandbox.spec.ts). */
export function acme_shout(value: unknown): string {
  return `${String(value).toUpperCase()}!`;
}

/** A filter that misbehaves: it hands templates a host function. */
export function acme_leak(): unknown {
  return { fn: Function, proc: process.pid };
}
