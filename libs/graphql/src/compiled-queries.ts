import type { CompiledQuery } from 'graphql-jit';
import {
  BREAK,
  GraphQLError,
  execute,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type SourceLocation,
} from 'graphql';

/** What one query run needs: the schema, the parsed and validated document and its text. */
export interface QueryRun {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** The document's text: what compiled queries are kept by. */
  source: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  context?: unknown;
}

type GraphQLJit = typeof import('graphql-jit');
let jit: GraphQLJit | undefined;

/** graphql-jit, loaded by the first query compiled: start-up need not load it (the schema is lazy too). */
function graphqlJit(): GraphQLJit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jit ??= require('graphql-jit') as GraphQLJit;
  return jit;
}

/** How many compiled queries each schema keeps (the least recently run are dropped). */
const MAX_COMPILED = 200;

/**
 * Queries compiled with graphql-jit, kept per schema by document text and operation name.
 * graphql-js works out a field's arguments, its resolve info and how to complete its value for
 * every object it resolves; a compiled query has done that once per field of the document, so
 * a nested list of 13,000 objects costs a call of the field's resolver per object and little
 * more. Documents graphql-jit cannot compile, or must not (see `holdsJitMarker`), run on
 * graphql-js. A schema rebuilt (custom fields changed) is another schema: its queries are
 * compiled anew, the old ones go with it.
 */
export class CompiledQueries {
  private readonly bySchema = new WeakMap<GraphQLSchema, Map<string, CompiledQuery | null>>();

  constructor(private readonly max = MAX_COMPILED) {}

  run(q: QueryRun): Promise<ExecutionResult> | ExecutionResult {
    const compiled = this.compiled(q);
    if (!compiled) return runGraphQLJs(q);
    const result = compiled.query(undefined, q.context, q.variables ?? {});
    const settle = (r: ExecutionResult): Promise<ExecutionResult> | ExecutionResult =>
      // No data: the variables did not coerce and nothing ran. graphql-js reports that with the
      // variable's node, which Apollo classifies (BAD_USER_INPUT): its answer is the one given.
      r.data === undefined && r.errors?.length ? runGraphQLJs(q) : asGraphQLJs(r);
    return 'then' in result ? result.then(settle) : settle(result);
  }

  /** The query compiled (from cache), or null when graphql-jit cannot compile it. */
  private compiled(q: QueryRun): CompiledQuery | null {
    let cache = this.bySchema.get(q.schema);
    if (!cache) this.bySchema.set(q.schema, (cache = new Map()));
    const key = `${q.operationName ?? ''}\n${q.source}`;
    let compiled = cache.get(key);
    if (compiled !== undefined) {
      // Most recently used last: the first entry is the one dropped.
      cache.delete(key);
      cache.set(key, compiled);
      return compiled;
    }
    if (holdsJitMarker(q)) compiled = null;
    else {
      const { compileQuery, isCompiledQuery } = graphqlJit();
      const result = compileQuery(q.schema, q.document, q.operationName ?? undefined);
      compiled = isCompiledQuery(result) ? result : null;
    }
    cache.set(key, compiled);
    if (cache.size > this.max) cache.delete(cache.keys().next().value!);
    return compiled;
  }
}

function runGraphQLJs(q: QueryRun): Promise<ExecutionResult> | ExecutionResult {
  return execute({
    schema: q.schema,
    document: q.document,
    operationName: q.operationName,
    variableValues: q.variables,
    contextValue: q.context,
  });
}

/** What graphql-jit's markers start with (`__MAGIC_DATE__<uuid>`, `__MAGIC_NAN__<uuid>`, ...). */
const JIT_MARKER = '__MAGIC_';

/**
 * Whether the document holds graphql-jit's marker text. graphql-jit writes the literal argument
 * values of a document into the code it compiles as JSON, then replaces quoted strings that
 * start with its markers by `new Date(...)`, `NaN` or `Infinity`: a string argument holding a
 * marker would end the JSON string and write code that runs on the server (graphql-jit 0.8.9).
 * Queries never need the marker: documents with it anywhere, in their text or in a string
 * value once its escapes are decoded, run on graphql-js instead.
 */
function holdsJitMarker(q: QueryRun): boolean {
  if (q.source.includes(JIT_MARKER)) return true;
  let found = false;
  visit(q.document, {
    StringValue(node) {
      if (!node.value.includes(JIT_MARKER)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * The result with its errors as graphql-js makes them: graphql-jit's own error objects leave
 * `extensions` out when there are none, where Apollo and the error formatter expect an object.
 */
function asGraphQLJs(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, {
      path: e.path,
      originalError: e.originalError,
      extensions: e.extensions,
    });
    // Where in the document: graphql-jit has the locations, graphql-js derives them from nodes.
    (error as { locations?: readonly SourceLocation[] }).locations = e.locations;
    return error;
  });
  return { ...result, errors };
}
