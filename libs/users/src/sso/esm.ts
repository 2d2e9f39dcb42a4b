/**
 * Load an ESM-only package (openid-client). TypeScript compiling to CommonJS would turn `import()`
 * into `require()`, which Jest's module loader cannot do for ES modules; a real dynamic import
 * works in Node and under Jest (`--experimental-vm-modules`, as `npm run jest` runs it).
 */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<unknown>;

export function importEsm<T>(specifier: string): Promise<T> {
  return dynamicImport(specifier) as Promise<T>;
}
