import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ValidationError } from '@plinth/plugin-sdk';
import { PlinthExceptionFilter } from '@plinth/core';

const CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

/**
 * Errors thrown while resolving become GraphQL errors classified as REST classifies them (the
 * same exception filter decides): bad filter values and arguments are BAD_USER_INPUT with the
 * REST field errors under `extensions.field_errors`, missing permissions FORBIDDEN; anything
 * unexpected is logged and reported without internals.
 */
export function graphqlErrorFormatter(): (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError {
  const classify = new PlinthExceptionFilter();
  const logger = new Logger('GraphQL');
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    if (!(original instanceof Error) || original instanceof GraphQLError) return formatted;
    const [status, body] = classify.describe(original);
    if (status >= 500) {
      logger.error(`${formatted.path?.join('.') ?? 'request'}: ${original.stack ?? original.message}`);
      return {
        message: 'Internal server error. The error has been logged.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    const detail = (body as { detail?: unknown }).detail;
    return {
      message: original instanceof ValidationError || typeof detail !== 'string' ? original.message : detail,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: CODES[status] ?? 'BAD_REQUEST',
        ...(original instanceof ValidationError ? { field_errors: original.errors } : {}),
      },
    };
  };
}

/**
 * A bad argument on a nested list fails the field once per parent object; the response keeps
 * the first of identical errors (same message and code, same path but for list indices) rather
 * than one per parent.
 */
export function dedupeErrorsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          if (body.kind !== 'single' || !body.singleResult.errors) return;
          const seen = new Set<string>();
          body.singleResult.errors = body.singleResult.errors.filter((e) => {
            const field = (e.path ?? []).filter((p) => typeof p === 'string');
            const key = JSON.stringify([e.message, e.extensions?.code, field]);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
        },
      };
    },
  };
}
