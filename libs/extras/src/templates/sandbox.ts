import * as nunjucks from 'nunjucks';

/**
 * The hardened Nunjucks environment user-authored templates run in (inside the render worker).
 * Nunjucks has no sandbox of its own: `{{ range.constructor("return process")() }}` reaches
 * `Function` through a plain property lookup. Here every property access, variable lookup and
 * call made by compiled template code goes through guards:
 *
 * - member access (`a.b`, `a["b"]`) sees own properties of plain data only, plus an allow-list
 *   of side-effect-free string/array/number methods; `constructor`, `__proto__`, `prototype`
 *   and every `__*` name are refused with an error;
 * - variable lookups of those names are refused (the render context is a plain object whose
 *   prototype would otherwise answer `constructor`);
 * - calling a function constructor (Function, AsyncFunction, GeneratorFunction, eval) is refused;
 * - templates cannot load other templates (no loaders: `include`/`import`/`extends` fail);
 * - in the worker, `Function.prototype.constructor` (and the async/generator variants) are
 *   removed, so even a lookup that slipped through ends at `undefined`.
 */

export class TemplateSecurityError extends Error {}

const BLOCKED = new Set([
  'constructor',
  'prototype',
  'caller',
  'callee',
  'arguments',
  'apply',
  'call',
  'bind',
  'valueOf',
  'toLocaleString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
]);

const STRING_METHODS = new Set([
  'length',
  'toUpperCase',
  'toLowerCase',
  'trim',
  'trimStart',
  'trimEnd',
  'startsWith',
  'endsWith',
  'includes',
  'indexOf',
  'lastIndexOf',
  'split',
  'slice',
  'substring',
  'charAt',
  'replace',
  'replaceAll',
  'toString',
]);
const ARRAY_METHODS = new Set([
  'length',
  'join',
  'slice',
  'indexOf',
  'lastIndexOf',
  'includes',
  'concat',
  'at',
]);
const NUMBER_METHODS = new Set(['toFixed', 'toString', 'toPrecision']);

/** Host names a template may not even look up as variables (they are not defined, but say so). */
const BLOCKED_VARIABLES = new Set([
  'process',
  'require',
  'module',
  'exports',
  'global',
  'globalThis',
  'Buffer',
  'eval',
  'Function',
  'this',
  'self',
  'window',
  'import',
]);

function refuse(name: string): never {
  throw new TemplateSecurityError(`access to "${name}" is not allowed in templates`);
}

function checkName(name: unknown): string | number {
  if (typeof name === 'number') return name;
  if (typeof name !== 'string') refuse(String(typeof name));
  if (BLOCKED.has(name) || name.startsWith('__')) refuse(name);
  return name;
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as unknown;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as unknown;
const FORBIDDEN_CALLEES = new Set<unknown>([
  Function,
  AsyncFunction,
  GeneratorFunction,
  AsyncGeneratorFunction,
  eval,
  setTimeout,
  setInterval,
  setImmediate,
  queueMicrotask,
]);

function isIndex(key: string | number): boolean {
  return typeof key === 'number' || /^\d+$/.test(key);
}

/** `obj[key]` as templates may see it (undefined when not allowed and harmless; throws when dangerous). */
export function safeLookup(obj: unknown, name: unknown): unknown {
  const key = checkName(name);
  if (obj === undefined || obj === null) return undefined;
  let allowed: boolean;
  if (typeof obj === 'string') allowed = isIndex(key) || STRING_METHODS.has(String(key));
  else if (typeof obj === 'number') allowed = NUMBER_METHODS.has(String(key));
  else if (Array.isArray(obj)) allowed = isIndex(key) || ARRAY_METHODS.has(String(key));
  else if (typeof obj === 'object') allowed = Object.prototype.hasOwnProperty.call(obj, key);
  else allowed = false; // functions, booleans, symbols: no members
  if (!allowed) return undefined;
  const value = (obj as Record<string | number, unknown>)[key];
  if (FORBIDDEN_CALLEES.has(value)) refuse(String(key));
  if (typeof value === 'function') {
    const fn = value as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => fn.apply(obj, args);
  }
  return value;
}

let runtimeHardened = false;

/** Replace Nunjucks' runtime lookups by the guarded ones (module-wide: done once per worker). */
export function hardenRuntime(): void {
  if (runtimeHardened) return;
  runtimeHardened = true;
  const runtime = nunjucks.runtime as unknown as Record<string, unknown>;
  const contextOrFrameLookup = runtime.contextOrFrameLookup as (c: unknown, f: unknown, n: string) => unknown;
  runtime.memberLookup = safeLookup;
  runtime.contextOrFrameLookup = (context: unknown, frame: unknown, name: string) => {
    checkName(name);
    if (BLOCKED_VARIABLES.has(name)) refuse(name);
    return contextOrFrameLookup(context, frame, name);
  };
  runtime.callWrap = (obj: unknown, name: string, context: unknown, args: unknown[]) => {
    if (typeof obj !== 'function')
      throw new TemplateSecurityError(`Unable to call \`${name}\`, which is not a function`);
    if (FORBIDDEN_CALLEES.has(obj)) refuse(name);
    return (obj as (...a: unknown[]) => unknown).apply(context, args);
  };
  // Attribute-taking filters (groupby, sort, sum, join) go through the same guard.
  const lib = (nunjucks as unknown as { lib: Record<string, unknown> }).lib;
  lib.getAttrGetter = (attribute: string) => {
    const parts = String(attribute).split('.');
    return (item: unknown) => parts.reduce<unknown>((o, p) => safeLookup(o, p), item);
  };
}

/**
 * Remove the ways from any function to a function constructor (worker only: the main thread's
 * libraries may rely on them).
 */
export function poisonFunctionConstructors(): void {
  for (const ctor of [Function, AsyncFunction, GeneratorFunction, AsyncGeneratorFunction]) {
    const proto = (ctor as { prototype: object }).prototype;
    Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false });
  }
}

export type FilterFunction = (...args: unknown[]) => unknown;

/**
 * A plugin filter as templates call it: whatever it returns reaches templates as plain data
 * (JSON-cloned; strings, numbers, booleans and marked-safe strings as they are), never a host
 * object or function.
 */
export function plainDataFilter(name: string, fn: FilterFunction): FilterFunction {
  const SafeString = nunjucks.runtime.SafeString;
  return (...args: unknown[]) => {
    const r = fn(...args);
    if (r === null || r === undefined || typeof r !== 'object') {
      if (typeof r === 'function' || typeof r === 'symbol' || typeof r === 'bigint')
        throw new TemplateSecurityError(`filter ${name} returned a ${typeof r}, not plain data`);
      return r;
    }
    if (r instanceof SafeString) return r;
    return JSON.parse(JSON.stringify(r)) as unknown;
  };
}

/** A fresh environment: no loaders, the built-in filters, the given extra filters. */
export function createSandboxEnvironment(
  filters: Readonly<Record<string, FilterFunction>>,
  autoescape: boolean,
): nunjucks.Environment {
  hardenRuntime();
  const env = new nunjucks.Environment([], { autoescape, throwOnUndefined: false, trimBlocks: false });
  guardAttributeFilters(env);
  env.addGlobal('range', boundedRange);
  for (const [name, fn] of Object.entries(filters)) env.addFilter(name, fn);
  return env;
}

/** Longest list `range()` makes (one huge array can abort the process rather than the worker). */
export const MAX_RANGE = 100_000;

/** Nunjucks' `range(stop)` / `range(start, stop[, step])`, refusing more than MAX_RANGE items. */
function boundedRange(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  start = Number(start);
  stop = Number(stop);
  step = Number(step);
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0)
    throw new Error('range() needs finite numbers and a non-zero step');
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_RANGE) throw new Error(`range() makes at most ${MAX_RANGE} items`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

/**
 * Built-in filters that read an attribute named by the template (`join(",", "name")`,
 * `sum("size")`, `sort(attribute=...)`, `groupby`, `selectattr`, `rejectattr`) read it with a
 * plain `obj[attr]`: the attribute name is checked like a member access first.
 */
const ATTRIBUTE_ARGS: Readonly<Record<string, number>> = {
  join: 2,
  sum: 1,
  sort: 3,
  groupby: 1,
  selectattr: 1,
  rejectattr: 1,
};

function checkAttribute(value: unknown): void {
  if (typeof value === 'string') for (const part of value.split('.')) checkName(part);
}

function guardAttributeFilters(env: nunjucks.Environment): void {
  for (const [name, index] of Object.entries(ATTRIBUTE_ARGS)) {
    const original = env.getFilter(name) as FilterFunction;
    env.addFilter(name, function (this: unknown, ...args: unknown[]) {
      checkAttribute(args[index]);
      const last = args[args.length - 1] as Record<string, unknown> | undefined;
      if (last && typeof last === 'object' && '__keywords' in last) checkAttribute(last.attribute);
      return original.apply(this, args);
    });
  }
}

/** Compile-only check of a template (main thread; nothing of the template runs). Null when valid. */
export function templateSyntaxError(source: string): string | null {
  try {
    (
      nunjucks as unknown as {
        compiler: { compile(src: string, a: unknown[], e: unknown[], name: string): string };
      }
    ).compiler.compile(source, [], [], 'template');
    return null;
  } catch (e) {
    return cleanError(e);
  }
}

/** A render error without Nunjucks' internal stack noise: `(template) [Line 1, Column 3] ...`. */
export function cleanError(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  return message
    .replace(/\n\s+at .*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^\(unknown path\)\s*/, '')
    .trim()
    .slice(0, 500);
}
