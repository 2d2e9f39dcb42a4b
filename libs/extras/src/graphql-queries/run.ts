import type { AuthUser, GraphQLExecutionResult, GraphQLExecutor } from '@plinth/plugin-sdk';

/** The answer of a run, in GraphQL's response shape (Nautobot's `…/run/` answers the same). */
export interface SavedQueryResponse {
  data: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export function savedQueryResponse(result: GraphQLExecutionResult): SavedQueryResponse {
  return result.errors.length
    ? { data: result.data, errors: result.errors.map((message) => ({ message })) }
    : { data: result.data };
}

/** A run of a saved query: its result, or why it could not start (a 400 naming `variables`, a 503). */
export type SavedQueryRun =
  { ran: true; result: GraphQLExecutionResult } | { ran: false; status: 400 | 503; message: string };

/**
 * Runs a saved query as `user` with `variables` as the client sent them — the one path of the
 * REST `run` action and the query's page.
 */
export async function runSavedQuery(
  graphql: GraphQLExecutor | undefined,
  query: string,
  variables: unknown,
  user: AuthUser | null,
): Promise<SavedQueryRun> {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables))
    return { ran: false, status: 400, message: 'Enter the variables as a JSON object.' };
  if (!graphql) return { ran: false, status: 503, message: 'This process cannot run GraphQL queries.' };
  const result = await graphql.execute(query, { user, variables: variables as Record<string, unknown> });
  return { ran: true, result };
}
