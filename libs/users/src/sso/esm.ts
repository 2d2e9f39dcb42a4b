/**
 * Load an ESM-only package (openid-client). TypeScript compiling to CommonJS would turn `import()`
 * into `require()`, which Jest's module loader cannot do for ES modules; a real dynamic import
 * works in Node and under Jest (`--experimental-vm-modules`, as `npm run jest` runs it).
 *
 * The source is made unique per load of this module: V8 caches compiled functions by source, and
 * a cached one keeps the import context of whoever compiled it first. Under Jest that is an earlier
 * test file whose environment is torn down ("import after the environment has been torn down").
 */
const dynamicImport = new Function(
  'specifier',
  `return import(specifier); // ${process.hrtime.bigint()}`,
) as (s: string) => Promise<unknown>;

export function importEsm<T>(specifier: string): Promise<T> {
  return dynamicImport(specifier) as Promise<T>;
}
