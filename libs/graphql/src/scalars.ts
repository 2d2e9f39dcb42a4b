import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { formatDatetime } from '@plinth/core';

/** Output-only scalars: Plinth's GraphQL API is read-only, so these are never parsed from input. */
function outputOnly(name: string): never {
  throw new GraphQLError(`${name} values cannot be used as arguments.`);
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC (`2024-05-01T12:00:00.000Z`).',
  serialize: (v) => formatDatetime(v),
  parseValue: () => outputOnly('DateTime'),
  parseLiteral: () => outputOnly('DateTime'),
});

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date (`2024-05-01`).',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: () => outputOnly('Date'),
  parseLiteral: () => outputOnly('Date'),
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast: ValueNode, variables) => valueFromASTUntyped(ast, variables),
});

/** 64-bit integers (GraphQL's Int stops at 2^31 - 1): numbers in, numbers out. */
export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  description: 'A 64-bit integer (GraphQL Int is limited to 32 bits).',
  serialize: (v) => (typeof v === 'number' ? v : Number(v)),
  parseValue: (v) => {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    throw new GraphQLError(`BigInt cannot represent ${JSON.stringify(v)}.`);
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || (ast.kind === Kind.STRING && /^-?\d+$/.test(ast.value)))
      return Number(ast.value);
    throw new GraphQLError('BigInt values are whole numbers.');
  },
});

export const PLINTH_SCALARS = [DateTimeScalar, DateScalar, JSONScalar, BigIntScalar];
