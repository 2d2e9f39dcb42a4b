/**
 * A fuzzer for Plinth's HTTP surfaces, generated from what the server publishes: every operation
 * of its OpenAPI document and every root field of its GraphQL schema, each fed a corpus of bad
 * values (wrong types, NUL and control characters, huge strings, bad CIDRs/IPs/UUIDs/dates, `%`,
 * prototype keys, objects where ids are expected, malformed JSON, wrong content types, oversized
 * and deeply nested bodies). A finding is a 5xx, a transport failure, or a 4xx without a JSON body
 * saying what is wrong. The e2e suite runs a bounded sample; bench/fuzz.js runs all of it.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface FuzzRequest {
  method: string;
  path: string;
  /** Raw body text (already encoded) and its content type. */
  body?: string;
  contentType?: string;
  /** GraphQL requests: no 4xx body check beyond JSON. */
  graphql?: boolean;
  label: string;
}

export interface FuzzFinding {
  request: FuzzRequest;
  status: number;
  body: string;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  findings: FuzzFinding[];
  seconds: number;
}

const HUGE = 'A'.repeat(100_000);

function nested(levels: number): Json {
  let v: Json = 'leaf';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

/** Values for a body property or a GraphQL variable. */
export const VALUE_CORPUS: readonly Json[] = [
  // wrong types
  0,
  -1,
  1.5,
  true,
  [],
  {},
  [1, 'two', null],
  { a: 1 },
  null,
  // strings: empty, NUL and control characters, huge, unicode, percent signs, markup, paths
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\t\r\n',
  HUGE,
  '💥'.repeat(2000),
  '%',
  '50%',
  '%00',
  '%E0%A4%A',
  "'; DROP TABLE core_user; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  // network values
  '10.0.0.0/33',
  '999.1.1.1',
  '10.0.0.1/-1',
  '1.2.3.4/24/5',
  'ffff::ffff::1',
  '::g',
  'zz:zz:zz:zz:zz:zz',
  // uuids and references
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-000000000000',
  { id: { id: { id: 1 } } },
  { id: 'not-a-uuid' },
  { name: { name__re: '((' } },
  { name__re: '((' },
  { name__isw: '\u0000' },
  ['00000000-0000-0000-0000-000000000000', { id: [] }],
  // dates and times
  '2020-02-30',
  '1',
  '9999-99-99',
  '2020-01-01T25:61:61Z',
  '0000-00-00T00:00:00Z',
  // numbers out of range
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31,
  -(2 ** 31) - 1,
  'NaN',
  'Infinity',
  // prototype keys
  { __proto__: { polluted: 1 } } as unknown as Json,
  { constructor: { prototype: { polluted: 1 } } },
  'toString',
  '__proto__',
  nested(50),
];

/** Values for query parameters and path segments (strings only). */
export const STRING_CORPUS: readonly string[] = [
  '',
  '\u0000',
  'a\u0000b',
  '\u0001',
  'x'.repeat(5000),
  '%',
  '50%',
  '-1',
  '1.5',
  '1e309',
  '99999999999999999999',
  'true',
  'null',
  '((',
  '[a-',
  '10.0.0.0/33',
  '999.1.1.1',
  '::g',
  '00000000-0000-0000-0000-00000000000g',
  '2020-02-30',
  '2020-01-01T25:00:00Z',
  '__proto__',
  'constructor',
  '\'"',
  '💥',
];

/** Whole bodies: malformed, wrongly typed, oversized, deeply nested. */
const BODY_CORPUS: readonly { body: string; contentType: string; label: string }[] = [
  { body: '{', contentType: 'application/json', label: 'truncated JSON' },
  { body: '{"a":', contentType: 'application/json', label: 'truncated JSON' },
  { body: '[1,2', contentType: 'application/json', label: 'truncated JSON' },
  { body: 'nul', contentType: 'application/json', label: 'bad literal' },
  { body: '"\\u0000"', contentType: 'application/json', label: 'NUL string body' },
  { body: '42', contentType: 'application/json', label: 'number body' },
  { body: 'null', contentType: 'application/json', label: 'null body' },
  { body: '[null, "x", 1, []]', contentType: 'application/json', label: 'junk list' },
  { body: '[]', contentType: 'application/json', label: 'empty list' },
  {
    body: '{"__proto__": {"x": 1}, "constructor": 1, "toString": 2}',
    contentType: 'application/json',
    label: 'prototype keys',
  },
  { body: '{"name": "x"}', contentType: 'text/plain', label: 'text/plain' },
  { body: '<a/>', contentType: 'application/xml', label: 'xml' },
  { body: '--x\r\n\r\n--x--', contentType: 'multipart/form-data; boundary=x', label: 'multipart' },
  { body: '{"name": "x"}', contentType: 'application/json; charset=klingon', label: 'unknown charset' },
  { body: 'name=%00&x=%', contentType: 'application/x-www-form-urlencoded', label: 'form with NUL' },
  { body: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json', label: 'deeply nested' },
  { body: `[${'{},'.repeat(2000)}{}]`, contentType: 'application/json', label: 'too many items' },
];

const OVERSIZED = {
  body: `{"name": "${'x'.repeat(11 * 1024 * 1024)}"}`,
  contentType: 'application/json',
  label: 'oversized',
};

interface OpenApiParameter {
  name: string;
  in: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string; items?: { $ref?: string } } }> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

export interface FuzzTargets {
  /** An existing object id per collection path (`/api/extras/tags/` -> uuid), for detail writes. */
  ids: Record<string, string>;
  /** Collection paths whose objects must not be written (the fuzzer's own user and token). */
  protectedIds: Set<string>;
}

function schemaProps(doc: OpenApiDoc, op: OpenApiOperation): string[] {
  const content = op.requestBody?.content?.['application/json']?.schema;
  const ref = content?.$ref ?? content?.items?.$ref;
  const name = ref?.split('/').pop();
  const schema = name ? doc.components?.schemas?.[name] : undefined;
  return Object.keys(schema?.properties ?? {});
}

/** Pick `n` items spread over `list` (deterministic; all when n >= length). */
function spread<T>(list: readonly T[], n: number, seed: number): T[] {
  if (n >= list.length) return [...list];
  const out: T[] = [];
  const step = list.length / n;
  for (let i = 0; i < n; i++) out.push(list[Math.floor((i * step + seed) % list.length)]);
  return out;
}

export interface GenerateOptions {
  /** Bad values per parameter or property (all of the corpus when omitted). */
  valuesPerField?: number;
  /** Parameters or properties per operation (all when omitted). */
  fieldsPerOperation?: number;
  /** Whole-body cases per writing operation (all when omitted). */
  bodiesPerOperation?: number;
  /** Include the 11 MB body (once per writing operation). */
  oversized?: boolean;
  seed?: number;
}

/** Requests for every operation of the OpenAPI document. */
export function restRequests(
  doc: OpenApiDoc,
  targets: FuzzTargets,
  opts: GenerateOptions = {},
): FuzzRequest[] {
  const seed = opts.seed ?? 0;
  const out: FuzzRequest[] = [];
  let n = 0;
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'options'].includes(method)) continue;
      n++;
      const M = method.toUpperCase();
      const collection = template.replace(/\{[^}]+\}\/$/, '');
      const hasId = /\{[^}]+\}/.test(template);
      const existing = targets.ids[collection];
      const validPath = hasId
        ? existing && !targets.protectedIds.has(existing) && M !== 'DELETE'
          ? template.replace(/\{[^}]+\}/, existing)
          : null
        : template;
      // Path parameters: bad ids (never an existing one: DELETE must not delete fixtures).
      if (hasId) {
        for (const bad of spread(STRING_CORPUS, opts.valuesPerField ?? STRING_CORPUS.length, seed + n)) {
          out.push({
            method: M,
            path: template.replace(/\{[^}]+\}/, encodeURIComponent(bad)),
            label: `${M} ${template} id=${JSON.stringify(bad).slice(0, 40)}`,
          });
        }
      }
      if (!validPath) continue;
      // Query parameters.
      const params = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      if (M === 'GET')
        params.push('q', 'limit', 'offset', 'depth', 'sort', 'format', 'brief', 'include', 'constructor');
      for (const name of spread(params, opts.fieldsPerOperation ?? params.length, seed + n)) {
        for (const bad of spread(
          STRING_CORPUS,
          opts.valuesPerField ?? STRING_CORPUS.length,
          seed + n + name.length,
        )) {
          out.push({
            method: M === 'DELETE' ? 'GET' : M,
            path: `${validPath}?${encodeURIComponent(name)}=${encodeURIComponent(bad)}`,
            label: `${M} ${template} ?${name}=${JSON.stringify(bad).slice(0, 40)}`,
          });
        }
      }
      if (!['POST', 'PUT', 'PATCH'].includes(M)) continue;
      // Body properties, one bad value at a time.
      const props = schemaProps(doc, op);
      const bulk = !hasId && M !== 'POST';
      for (const prop of spread(props, opts.fieldsPerOperation ?? props.length, seed + n)) {
        for (const bad of spread(
          VALUE_CORPUS,
          opts.valuesPerField ?? VALUE_CORPUS.length,
          seed + n + prop.length,
        )) {
          const item: Record<string, Json> = {};
          // `__proto__` must be an own key in the text, not a prototype.
          Object.defineProperty(item, prop, { value: bad, enumerable: true });
          if (bulk) item.id = targets.ids[collection] ?? '00000000-0000-0000-0000-000000000000';
          out.push({
            method: M,
            path: validPath,
            body: JSON.stringify(bulk ? [item] : item),
            contentType: 'application/json',
            label: `${M} ${template} {${prop}: ${JSON.stringify(bad)?.slice(0, 40)}}`,
          });
        }
      }
      // Whole bodies.
      for (const b of spread(BODY_CORPUS, opts.bodiesPerOperation ?? BODY_CORPUS.length, seed + n)) {
        out.push({
          method: M,
          path: validPath,
          body: b.body,
          contentType: b.contentType,
          label: `${M} ${template} ${b.label}`,
        });
      }
      if (opts.oversized)
        out.push({
          method: M,
          path: validPath,
          body: OVERSIZED.body,
          contentType: OVERSIZED.contentType,
          label: `${M} ${template} oversized`,
        });
    }
  }
  return out;
}

/** GraphQL literals for arguments (text as written in the document). */
const GRAPHQL_LITERALS: readonly string[] = [
  '"\\u0000"',
  '"a\\u0000b"',
  '"%"',
  `"${'x'.repeat(10_000)}"`,
  '123',
  '-1',
  '1.5',
  '99999999999999999999',
  'true',
  'null',
  '[]',
  '["\\u0000", 1]',
  '{a: 1}',
  'FOO',
  '"2020-02-30"',
  '"10.0.0.0/33"',
  '"00000000-0000-0000-0000-00000000000g"',
  '"(("',
  '"__proto__"',
];

interface IntrospectedType {
  kind: string;
  name: string | null;
  ofType: IntrospectedType | null;
}
interface IntrospectedField {
  name: string;
  args: { name: string; type: IntrospectedType }[];
  type: IntrospectedType;
}

function named(t: IntrospectedType): IntrospectedType {
  return t.ofType ? named(t.ofType) : t;
}

/** The query type's root fields, from an introspection result. */
export const ROOT_FIELDS_QUERY =
  '{ __schema { queryType { fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }';

/** Requests for every root query field x argument x literal (and variables from the value corpus). */
export function graphqlRequests(
  fields: readonly IntrospectedField[],
  opts: GenerateOptions = {},
): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const seed = opts.seed ?? 0;
  let n = 0;
  for (const f of fields) {
    n++;
    const t = named(f.type);
    const selection =
      t.kind === 'OBJECT' || t.kind === 'INTERFACE' || t.kind === 'UNION' ? ' { __typename }' : '';
    for (const arg of spread(f.args, opts.fieldsPerOperation ?? f.args.length, seed + n)) {
      for (const lit of spread(
        GRAPHQL_LITERALS,
        opts.valuesPerField ?? GRAPHQL_LITERALS.length,
        seed + n + arg.name.length,
      )) {
        out.push({
          method: 'POST',
          path: '/api/graphql/',
          contentType: 'application/json',
          graphql: true,
          body: JSON.stringify({ query: `{ ${f.name}(${arg.name}: ${lit})${selection} }` }),
          label: `GraphQL ${f.name}(${arg.name}: ${lit.slice(0, 30)})`,
        });
      }
      const value = VALUE_CORPUS[(seed + n) % VALUE_CORPUS.length];
      out.push({
        method: 'POST',
        path: '/api/graphql/',
        contentType: 'application/json',
        graphql: true,
        body: JSON.stringify({
          query: `query ($v: ${typeText(arg.type)}) { ${f.name}(${arg.name}: $v)${selection} }`,
          variables: { v: value },
        }),
        label: `GraphQL ${f.name}($${arg.name} = ${JSON.stringify(value)?.slice(0, 30)})`,
      });
    }
  }
  return out;
}

function typeText(t: IntrospectedType): string {
  if (t.kind === 'NON_NULL') return `${typeText(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeText(t.ofType!)}]`;
  return t.name ?? 'String';
}

/** Is a client error answered with a JSON body that says what is wrong? */
function explains(status: number, text: string, graphql: boolean): boolean {
  if (status < 400 || status >= 500 || status === 405) return true;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (graphql) return typeof body === 'object' && body !== null;
  if (Array.isArray(body)) return body.length > 0;
  if (typeof body !== 'object' || body === null) return false;
  const entries = Object.entries(body);
  return (
    entries.length > 0 && entries.every(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== ''))
  );
}

/** Send the requests (`concurrency` at a time) and collect what went wrong. */
export async function runFuzz(
  baseUrl: string,
  token: string,
  requests: readonly FuzzRequest[],
  opts: { concurrency?: number; onProgress?: (done: number) => void } = {},
): Promise<FuzzReport> {
  const started = Date.now();
  const report: FuzzReport = { requests: 0, byStatus: {}, serverErrors: 0, findings: [], seconds: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++];
      let status = 0;
      let text: string;
      try {
        const res = await fetch(`${baseUrl}${r.path}`, {
          method: r.method,
          headers: {
            Authorization: `Token ${token}`,
            Accept: 'application/json',
            ...(r.contentType ? { 'Content-Type': r.contentType } : {}),
          },
          body: r.body,
          signal: AbortSignal.timeout(60_000),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        text = (e as Error).message;
      }
      report.requests++;
      report.byStatus[String(status)] = (report.byStatus[String(status)] ?? 0) + 1;
      if (status >= 500 || status === 0) report.serverErrors++;
      const internal = r.graphql && /INTERNAL_SERVER_ERROR/.test(text);
      if (status >= 500 || status === 0 || internal || !explains(status, text, !!r.graphql))
        report.findings.push({
          request: { ...r, body: r.body?.slice(0, 300) },
          status,
          body: text.slice(0, 300),
        });
      if (report.requests % 1000 === 0) opts.onProgress?.(report.requests);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 1 }, worker));
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** An existing object per collection (first of each list), for detail-path writes. */
export async function collectIds(
  baseUrl: string,
  token: string,
  doc: OpenApiDoc,
  protectedIds: ReadonlySet<string>,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const template of Object.keys(doc.paths)) {
    if (/\{/.test(template) || !doc.paths[template].get) continue;
    const res = await fetch(`${baseUrl}${template}?limit=5&brief=1`, {
      headers: { Authorization: `Token ${token}` },
    });
    if (!res.ok) continue;
    const body = (await res.json().catch(() => null)) as { results?: { id?: string }[] } | null;
    const id = body?.results?.map((r) => r.id).find((x) => typeof x === 'string' && !protectedIds.has(x));
    if (id) ids[template] = id;
  }
  return ids;
}
