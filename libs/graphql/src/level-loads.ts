import {
  GraphQLObjectType,
  Kind,
  getArgumentValues,
  getNamedType,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type { ModelMeta } from '@plinth/plugin-sdk';
import {
  childrenName,
  type ColumnSet,
  type GraphQLReader,
  type ListRelation,
  type ModelNode,
  type PageQuery,
} from '@plinth/core';

/**
 * What a generated field reads, so that a whole level of a query can be loaded before graphql-js
 * resolves it object by object: a list relation (its children per parent) or a foreign key (its
 * targets by distinct id).
 */
export type LevelLoad =
  | { kind: 'list'; rel: ListRelation; query: (args: Record<string, unknown>) => PageQuery }
  | { kind: 'fk'; target: ModelMeta; column: string };

/** LevelLoads of generated resolvers (see `withLevelLoad`). */
const byResolver = new WeakMap<object, LevelLoad>();

/**
 * LevelLoads by reader and field coordinate (`DeviceType.interfaces`). The served schema is
 * rebuilt from the generated one's SDL and resolver map (so that plugins' SDL merges in), with
 * the resolvers bound anew and field `extensions` dropped: type and field names are what both
 * schemas share.
 */
const byCoordinate = new WeakMap<GraphQLReader, Map<string, LevelLoad>>();

/** Row columns generated resolvers read (see `readingColumns`). */
const columnsByResolver = new WeakMap<object, readonly string[]>();

/** Row columns by reader and field coordinate, as `byCoordinate`. */
const columnsByCoordinate = new WeakMap<GraphQLReader, Map<string, readonly string[]>>();

/**
 * The resolver, marked as reading only these columns of its object's row (besides `id`):
 * selections of such fields only are read with those columns. A field left unmarked (computed
 * and plugin fields, `display`) needs the whole row.
 */
export function readingColumns<R extends object>(resolve: R, columns: readonly string[]): R {
  columnsByResolver.set(resolve, columns);
  return resolve;
}

/** The resolver, marked as reading `load` (registered by `registerLevelLoad` under its field). */
export function withLevelLoad<R extends object>(resolve: R, load: LevelLoad): R {
  byResolver.set(resolve, load);
  return resolve;
}

/** Registers the LevelLoad of a generated field's resolver, if it has one, under the field. */
export function registerLevelLoad(
  reader: GraphQLReader,
  coordinate: string,
  resolve: object | undefined,
): void {
  const columns = resolve && columnsByResolver.get(resolve);
  if (columns) {
    let byField = columnsByCoordinate.get(reader);
    if (!byField) columnsByCoordinate.set(reader, (byField = new Map()));
    byField.set(coordinate, columns);
  }
  const load = resolve && byResolver.get(resolve);
  if (!load) return;
  let loads = byCoordinate.get(reader);
  if (!loads) byCoordinate.set(reader, (loads = new Map()));
  loads.set(coordinate, load);
}

/** The object type a resolver returns objects of (its return type without lists and non-null). */
export function objectTypeOf(info: GraphQLResolveInfo): GraphQLObjectType | null {
  const type = getNamedType(info.returnType);
  return type instanceof GraphQLObjectType ? type : null;
}

/**
 * Loads, level by level, what the selection under `fieldNodes` reads from `parents` (objects
 * of `type`): each nested list field once for all parents of its level (one batch, the same
 * statement its loader runs) and each foreign key once per distinct target id. The field
 * resolvers then return what is loaded as plain values, instead of a loader call, a promise and
 * an arguments object per object. Anything not loaded here (fields under directives, fragments
 * on interfaces, computed fields, failed loads) is resolved by the loaders as before: results
 * go through the same cached loaders, so nothing is read twice.
 */
export async function loadLevels(
  reader: GraphQLReader,
  parents: readonly ModelNode[],
  type: GraphQLObjectType | null,
  fieldNodes: readonly FieldNode[],
  info: GraphQLResolveInfo,
): Promise<void> {
  if (parents.length === 0 || !type) return;
  const fields = type.getFields();
  const registered = byCoordinate.get(reader);
  const loads: Promise<void>[] = [];
  const lists: { node: FieldNode; rel: ListRelation; query: PageQuery; target: GraphQLObjectType | null }[] =
    [];
  /** The columns of each list query of this level: the union of its field nodes' selections. */
  const listColumns = new Map<string, ColumnSet>();
  for (const node of childFields(fieldNodes, type, info)) {
    const field = fields[node.name.value];
    const load = field && registered?.get(`${type.name}.${field.name}`);
    if (!load) continue;
    const childType = getNamedType(field.type);
    const target = childType instanceof GraphQLObjectType ? childType : null;
    if (load.kind === 'list') {
      let query: PageQuery;
      try {
        query = load.query(getArgumentValues(field, node, info.variableValues));
      } catch {
        continue; // bad arguments: the field's resolvers report them on the field
      }
      const key = childrenName(load.rel, query);
      const columns = target ? selectedColumns(reader, target, [node], info) : null;
      listColumns.set(key, listColumns.has(key) ? unionColumns(listColumns.get(key)!, columns) : columns);
      lists.push({ node, rel: load.rel, query, target });
    } else {
      const ids = new Set<string>();
      for (const p of parents) {
        const id = p.row[load.column];
        if (id !== null && id !== undefined) ids.add(String(id));
      }
      if (ids.size === 0) continue;
      const columns = target ? selectedColumns(reader, target, [node], info) : null;
      loads.push(
        reader
          .loadLevel(load.target, [...ids], columns, node)
          .then((targets) => loadLevels(reader, targets, target, [node], info)),
      );
    }
  }
  for (const { node, rel, query, target } of lists) {
    const columns = listColumns.get(childrenName(rel, query)) ?? null;
    loads.push(
      reader
        .loadChildrenLevel(node, rel, () => query, parents, columns)
        .then((children) => {
          if (children) return loadLevels(reader, children, target, [node], info);
        }),
    );
  }
  await Promise.all(loads);
}

function unionColumns(a: ColumnSet, b: ColumnSet): ColumnSet {
  if (a === null || b === null) return null;
  return [...new Set([...a, ...b])].sort();
}

/**
 * The row columns the selection under `fieldNodes` reads of objects of `type` (`id` always),
 * or null when it needs whole rows: a field not marked with `readingColumns`, or one the type
 * does not have (a fragment on another type). Fields under directives and in fragments count:
 * the read is made for everything that may be resolved.
 */
export function selectedColumns(
  reader: GraphQLReader,
  type: GraphQLObjectType,
  fieldNodes: readonly FieldNode[],
  info: Pick<GraphQLResolveInfo, 'fragments'>,
): ColumnSet {
  const marked = columnsByCoordinate.get(reader);
  if (!marked) return null;
  const columns = new Set<string>(['id']);
  const visit = (set: SelectionSetNode | undefined): boolean => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__typename') continue;
        const reads = marked.get(`${type.name}.${s.name.value}`);
        if (!reads) return false;
        for (const c of reads) columns.add(c);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(s.selectionSet)) return false;
      } else {
        const fragment = info.fragments[s.name.value];
        if (!fragment || !visit(fragment.selectionSet)) return false;
      }
    }
    return true;
  };
  for (const f of fieldNodes) if (!visit(f.selectionSet)) return null;
  return [...columns].sort();
}

/**
 * The fields selected on objects of `type` under these field nodes: directly, or through
 * fragments on the type itself. Fields with directives (`@include`/`@skip`) are left to their
 * resolvers, so that a skipped field is not read.
 */
function childFields(
  fieldNodes: readonly FieldNode[],
  type: GraphQLObjectType,
  info: GraphQLResolveInfo,
): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const s of set?.selections ?? []) {
      if (s.directives?.length) continue;
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || s.typeCondition.name.value === type.name) visit(s.selectionSet);
      } else {
        const fragment = info.fragments[s.name.value];
        if (fragment?.typeCondition.name.value === type.name) visit(fragment.selectionSet);
      }
    }
  };
  for (const f of fieldNodes) visit(f.selectionSet);
  return out;
}
