import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { MAX_PAGE_SIZE } from '@plinth/core';
import { RequestContext } from '@plinth/plugin-sdk';

export interface GraphQLLimits {
  /** Deepest field nesting (a root field is depth 1). */
  maxDepth: number;
  /** Largest estimated number of field values an operation may resolve (see measureOperation). */
  maxCost: number;
  /** Most aliased fields in one operation. */
  maxAliases: number;
  /** Deepest nesting inside `__schema`/`__type` (graphql-js's standard introspection query needs 15). */
  maxIntrospectionDepth: number;
  /** Who may introspect: everyone, staff and superusers, or nobody. */
  introspection: 'all' | 'staff' | 'off';
}

/** Items assumed per parent for a nested list without a `limit` argument. */
export const NESTED_LIST_ESTIMATE = 20;

export interface OperationMeasure {
  /** Deepest nesting outside introspection. */
  depth: number;
  /** Deepest nesting inside `__schema` / `__type` (counted from the root, like depth). */
  introspectionDepth: number;
  /** Does the operation introspect the schema (`__schema` or `__type`; `__typename` does not)? */
  introspection: boolean;
  aliases: number;
  cost: number;
}

/** Meta-fields that read the schema itself. */
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Depth, aliases and estimated cost of an operation. Cost counts field values: each field costs
 * 1, plus its selection's cost times the number of objects it returns: 1 for an object, the
 * `limit` argument for a list (a root list without one returns up to 1000 objects; a nested list
 * is assumed to hold NESTED_LIST_ESTIMATE per parent). Introspection counts like any other
 * field (aliases and cost: 950 aliased `__schema` fields are 950 schemas), with a depth of its
 * own, since the standard introspection query nests deeper than data queries need to.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): OperationMeasure {
  const measure: OperationMeasure = {
    depth: 0,
    introspectionDepth: 0,
    introspection: false,
    aliases: 0,
    cost: 0,
  };
  const root = schema.getRootType(operation.operation);
  if (!root) return measure;

  const limitOf = (node: FieldNode): number | undefined => {
    const arg = node.arguments?.find((a) => a.name.value === 'limit');
    if (!arg) return undefined;
    const raw =
      arg.value.kind === Kind.VARIABLE
        ? variables[arg.value.name.value]
        : arg.value.kind === Kind.INT
          ? Number(arg.value.value)
          : undefined;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return undefined;
    return raw <= 0 ? MAX_PAGE_SIZE : Math.min(raw, MAX_PAGE_SIZE);
  };

  const items = (def: GraphQLField<unknown, unknown>, node: FieldNode, atRoot: boolean): number => {
    if (!isListType(getNullableType(def.type))) return 1;
    const limit = limitOf(node);
    if (limit !== undefined) return limit;
    return atRoot && def.args.some((a) => a.name === 'limit') ? MAX_PAGE_SIZE : NESTED_LIST_ESTIMATE;
  };

  const fieldDef = (parent: GraphQLNamedType | undefined, name: string) => {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
    if (name === '__typename') return TypeNameMetaFieldDef;
    return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
  };

  const walk = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    atRoot: boolean,
    spreading: ReadonlySet<string>,
    inIntrospection: boolean,
  ): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        const introspecting = inIntrospection || INTROSPECTION_FIELDS.has(name);
        if (sel.alias) measure.aliases++;
        if (introspecting) {
          measure.introspection = true;
          measure.introspectionDepth = Math.max(measure.introspectionDepth, depth);
        } else if (name !== '__typename') measure.depth = Math.max(measure.depth, depth);
        const def = fieldDef(parent, name);
        cost += 1;
        if (sel.selectionSet && def) {
          const inner = walk(
            sel.selectionSet,
            getNamedType(def.type),
            depth + 1,
            false,
            spreading,
            introspecting,
          );
          cost += items(def, sel, atRoot) * inner;
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        cost += walk(sel.selectionSet, type, depth, atRoot, spreading, inIntrospection);
      } else {
        const name = sel.name.value;
        const fragment = fragments[name];
        // Cycles are rejected by validation; the guard keeps this walk finite regardless.
        if (!fragment || spreading.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        cost += walk(
          fragment.selectionSet,
          type,
          depth,
          atRoot,
          new Set([...spreading, name]),
          inIntrospection,
        );
      }
    }
    return cost;
  };

  measure.cost = walk(operation.selectionSet, root, 1, true, new Set(), false);
  return measure;
}

function limitError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Throws a GraphQLError when the operation is over the limits (or introspects without being
 * allowed to), before anything runs: the HTTP API (limitsPlugin) and GraphQLExecutor share it.
 */
export function checkOperationLimits(
  limits: GraphQLLimits,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
): void {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const m = measureOperation(schema, operation, fragments, variables);
  if (m.introspection && limits.introspection !== 'all') {
    const user = RequestContext.current()?.user;
    if (limits.introspection === 'off' || !(user?.is_staff || user?.is_superuser))
      throw new GraphQLError(
        limits.introspection === 'off'
          ? 'GraphQL introspection is disabled (PLINTH_GRAPHQL_INTROSPECTION=off).'
          : 'GraphQL introspection is limited to staff users.',
        { extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 403 } } },
      );
  }
  if (m.introspectionDepth > limits.maxIntrospectionDepth)
    throw limitError(
      `Introspection depth ${m.introspectionDepth} exceeds the maximum of ${limits.maxIntrospectionDepth}.`,
      'QUERY_TOO_DEEP',
    );
  if (m.depth > limits.maxDepth)
    throw limitError(`Query depth ${m.depth} exceeds the maximum of ${limits.maxDepth}.`, 'QUERY_TOO_DEEP');
  if (m.aliases > limits.maxAliases)
    throw limitError(
      `The query uses ${m.aliases} aliases; the maximum is ${limits.maxAliases}.`,
      'TOO_MANY_ALIASES',
    );
  if (m.cost > limits.maxCost)
    throw limitError(
      `Query cost ${m.cost} exceeds the maximum of ${limits.maxCost}: give its lists smaller limits.`,
      'QUERY_TOO_COMPLEX',
    );
}

/** Rejects operations over the limits before anything runs (HTTP 400 with a GraphQL error). */
export function limitsPlugin(limits: GraphQLLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          if (!ctx.operation) return;
          checkOperationLimits(limits, ctx.schema, ctx.operation, ctx.document, ctx.request.variables ?? {});
        },
      };
    },
  };
}

/** Plinth's GraphQL API is read-only: mutations and subscriptions are rejected as invalid (400). */
export const readOnlyRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== 'query')
      context.reportError(
        new GraphQLError(
          `Plinth's GraphQL API is read-only: ${node.operation} operations are not supported.`,
          {
            nodes: node,
          },
        ),
      );
  },
});
