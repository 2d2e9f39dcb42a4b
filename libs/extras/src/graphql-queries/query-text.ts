import { Kind, parse, valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';

/** Largest saved query, in tokens (as the HTTP API accepts). */
const MAX_TOKENS = 20_000;

function operations(text: string): OperationDefinitionNode[] {
  return parse(text, { maxTokens: MAX_TOKENS }).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
}

/** Syntax and shape only (the schema check needs the running server's schema: see query-check.ts). */
export function checkQuerySyntax(text: string): string | undefined {
  if (!text.trim()) return 'This field may not be blank.';
  try {
    const ops = operations(text);
    if (ops.length !== 1 || ops[0].operation !== 'query') return 'Enter one GraphQL query operation.';
  } catch (e) {
    return `Not a valid GraphQL query: ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * The variables a query declares, with their default values (null without one), as Nautobot
 * fills `variables` when a query is saved. Empty for text that does not parse.
 */
export function declaredVariables(text: string): Record<string, unknown> {
  let ops: OperationDefinitionNode[];
  try {
    ops = operations(text);
  } catch {
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const op of ops)
    for (const v of op.variableDefinitions ?? [])
      out[v.variable.name.value] = v.defaultValue ? valueFromASTUntyped(v.defaultValue) : null;
  return out;
}
