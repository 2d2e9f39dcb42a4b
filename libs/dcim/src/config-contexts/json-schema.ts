import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';

/**
 * JSON Schema (draft-07, as Nautobot's jsonschema Draft7Validator) for config context schemas:
 * ajv checks the schema document itself and compiles it once per distinct schema text.
 * `strict: false` accepts the extra keywords people put in real schemas (`title`-like
 * annotations, vendor keys) as Nautobot does; formats (`ipv4`, `uri`, ...) come from ajv-formats.
 */
let shared: Ajv | null = null;

/** Made on first use: ajv and its formats are modules start-up need not load. */
function ajv(): Ajv {
  if (!shared) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: AjvClass } = require('ajv') as typeof import('ajv');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
    shared = new AjvClass({ allErrors: false, strict: false });
    addFormats(shared);
  }
  return shared;
}

const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 200;

/** Why a schema document is not a usable JSON Schema, or null when it is. */
export function schemaProblem(schema: unknown): string | null {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    return 'The schema must be a JSON object.';
  try {
    if (!ajv().validateSchema(schema)) return `Invalid JSON Schema: ${describe(ajv().errors ?? [])}`;
    validatorOf(schema as Record<string, unknown>);
    return null;
  } catch (e) {
    return `Invalid JSON Schema: ${(e as Error).message}`;
  }
}

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    // `$id`s would collide in ajv's shared registry: compile a copy without one.
    const { $id: _ignored, ...rest } = schema;
    fn = ajv().compile(rest);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, fn);
  }
  return fn;
}

/** Why `data` does not validate against `schema` (with the failing path), or null when it does. */
export function dataProblem(schema: Record<string, unknown>, data: unknown): string | null {
  const fn = validatorOf(schema);
  if (fn(data)) return null;
  return describe(fn.errors ?? []);
}

function describe(errors: readonly ErrorObject[]): string {
  const e = errors[0];
  if (!e) return 'invalid';
  const path = e.instancePath || '/';
  return `${path}: ${e.message ?? 'invalid'}`;
}
