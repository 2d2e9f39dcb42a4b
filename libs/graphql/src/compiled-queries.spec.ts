import { GraphQLError, buildSchema, execute, parse, type GraphQLSchema } from 'graphql';
import { CompiledQueries } from './compiled-queries';

class Invalid extends Error {}

function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    type Query { echo(text: String, texts: [String!]): String fails: String! items: [Item!] }
    type Item { name: String! }
  `);
  const fields = schema.getQueryType()!.getFields();
  fields.echo.resolve = (_root, args: { text?: string; texts?: string[] }) =>
    args.text ?? args.texts?.join('|') ?? null;
  fields.fails.resolve = () => {
    throw new Invalid('bad value');
  };
  fields.items.resolve = () => [{ name: 'a' }, { name: 'b' }];
  return schema;
}

const run = (compiled: CompiledQueries, schema: GraphQLSchema, source: string, variables = {}) =>
  Promise.resolve(compiled.run({ schema, document: parse(source), source, variables }));

describe('CompiledQueries', () => {
  it('answers as graphql-js does, arguments from the document and from variables', async () => {
    const schema = testSchema();
    const compiled = new CompiledQueries();
    const source = 'query ($t: [String!]) { a: echo(text: "x") b: echo(texts: $t) items { name } }';
    const result = await run(compiled, schema, source, { t: ['p', 'q'] });
    expect(result).toEqual(
      await execute({ schema, document: parse(source), variableValues: { t: ['p', 'q'] } }),
    );
    expect(result.data).toEqual({ a: 'x', b: 'p|q', items: [{ name: 'a' }, { name: 'b' }] });
  });

  it('reports resolver errors as graphql-js errors (extensions, locations, path, the original error)', async () => {
    const result = await run(new CompiledQueries(), testSchema(), '{ items { name } fails }');
    expect(result.data).toBeNull();
    const [error] = result.errors!;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.originalError).toBeInstanceOf(Invalid);
    expect(error.extensions).toEqual({});
    expect(error.toJSON()).toEqual({
      message: 'bad value',
      locations: [{ line: 1, column: 18 }],
      path: ['fails'],
    });
  });

  it('reports variables that do not coerce as graphql-js does (with the variable’s node)', async () => {
    const schema = testSchema();
    const source = 'query ($t: String) { echo(text: $t) }';
    const result = await run(new CompiledQueries(), schema, source, { t: true });
    const expected = await execute({ schema, document: parse(source), variableValues: { t: true } });
    expect(result).toEqual(expected);
    expect(result.errors![0].nodes).toHaveLength(1);
  });

  // graphql-jit 0.8.9 turns a JSON string starting with its date marker into `new Date(<rest>)`
  // in the code it compiles: these documents would run code on the server if compiled.
  it.each([
    ['as written', '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d0),[globalThis.__jitProbe=1]:(0'],
    ['escaped', '\\u005F_MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d0),[globalThis.__jitProbe=1]:(0'],
  ])('runs documents holding graphql-jit’s markers (%s) on graphql-js', async (_how, text) => {
    const result = await run(new CompiledQueries(), testSchema(), `{ echo(text: "${text}") }`);
    expect((globalThis as { __jitProbe?: number }).__jitProbe).toBeUndefined();
    expect(result.data?.echo).toContain('MAGIC_DATE__');
  });

  it('keeps the most recently run queries of each schema', async () => {
    const schema = testSchema();
    const compiled = new CompiledQueries(2);
    const cache = () => [
      ...(compiled as unknown as { bySchema: WeakMap<object, Map<string, unknown>> }).bySchema
        .get(schema)!
        .keys(),
    ];
    await run(compiled, schema, '{ a: echo(text: "1") }');
    await run(compiled, schema, '{ b: echo(text: "2") }');
    await run(compiled, schema, '{ a: echo(text: "1") }');
    await run(compiled, schema, '{ c: echo(text: "3") }');
    expect(cache()).toEqual(['\n{ a: echo(text: "1") }', '\n{ c: echo(text: "3") }']);
  });
});
