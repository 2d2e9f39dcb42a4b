import { Kind, buildSchema, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { NESTED_LIST_ESTIMATE, measureOperation } from './limits';

const schema = buildSchema(`
  type Query {
    users(limit: Int): [User!]
    user(id: ID!): User
  }
  type User {
    name: String!
    tags: [String!]!
    groups(limit: Int): [Group!]
    manager: User
  }
  type Group { name: String! users(limit: Int): [User!] }
`);

function measure(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return measureOperation(schema, op, fragments, variables);
}

describe('measureOperation', () => {
  it('counts depth from 1 at the root, through fragments, introspection apart', () => {
    expect(measure('{ users { name } }').depth).toBe(2);
    expect(measure('{ users { groups { users { name } } } }').depth).toBe(4);
    expect(measure('{ users { ...F } } fragment F on User { manager { manager { name } } }').depth).toBe(4);
    const intro = measure('{ __schema { types { fields { type { ofType { name } } } } } }');
    expect(intro).toMatchObject({ depth: 0, introspectionDepth: 6, introspection: true });
    expect(measure('{ users { __typename name } }')).toMatchObject({ depth: 2, introspection: false });
  });

  it('counts aliases, introspection included', () => {
    expect(measure('{ a: users { b: name name } c: user(id: 1) { name } }').aliases).toBe(3);
    const many = Array.from({ length: 60 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ');
    expect(measure(`{ ${many} }`).aliases).toBe(60);
  });

  it('costs introspection like other fields', () => {
    // __schema 1 + types 1 + (a nested list: 20) x (name 1 + fields 1 + 20 x name 1)
    expect(measure('{ __schema { types { name fields { name } } } }').cost).toBe(1 + 1 + 20 * (1 + 1 + 20));
  });

  it('estimates cost from limits (literal or variable), root default 1000, nested estimate', () => {
    // users: 1 + 10 x (name 1 + tags 1) = 21
    expect(measure('{ users(limit: 10) { name tags } }').cost).toBe(21);
    expect(measure('query ($n: Int) { users(limit: $n) { name } }', { n: 5 }).cost).toBe(6);
    // no limit at the root: the full page of 1000
    expect(measure('{ users { name } }').cost).toBe(1001);
    // limit 0 means the maximum page, as in REST
    expect(measure('{ users(limit: 0) { name } }').cost).toBe(1001);
    // nested lists without a limit are assumed to hold NESTED_LIST_ESTIMATE items
    expect(measure('{ user(id: 1) { groups { name } } }').cost).toBe(1 + 1 + NESTED_LIST_ESTIMATE);
    expect(measure('{ users(limit: 2) { groups(limit: 3) { users(limit: 4) { name } } } }').cost).toBe(
      1 + 2 * (1 + 3 * (1 + 4)),
    );
  });
});
