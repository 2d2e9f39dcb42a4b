import { checkQuerySyntax, declaredVariables } from './query-text';

describe('saved GraphQL query text', () => {
  it('accepts one query operation', () => {
    expect(checkQuerySyntax('query ($id: ID!) { device(id: $id) { name } }')).toBeUndefined();
    expect(checkQuerySyntax('{ devices { name } }')).toBeUndefined();
  });

  it('refuses blanks, syntax errors, mutations and several operations', () => {
    expect(checkQuerySyntax('  ')).toBe('This field may not be blank.');
    expect(checkQuerySyntax('query { devices {')).toMatch(/^Not a valid GraphQL query: Syntax Error/);
    expect(checkQuerySyntax('mutation { x }')).toBe('Enter one GraphQL query operation.');
    expect(checkQuerySyntax('query a { x } query b { y }')).toBe('Enter one GraphQL query operation.');
  });

  it('lists declared variables with their defaults', () => {
    expect(
      declaredVariables(
        'query ($device_id: ID!, $limit: Int = 5, $names: [String] = ["a", "b"], $f: Boolean = false) { x }',
      ),
    ).toEqual({ device_id: null, limit: 5, names: ['a', 'b'], f: false });
    expect(declaredVariables('query {')).toEqual({});
  });
});
