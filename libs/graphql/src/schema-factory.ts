import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from 'graphql';
import {
  RequestContext,
  sql,
  type ComputedField,
  type ComputedContext,
  type FieldMeta,
  type GraphQLFieldProvider,
  type ModelMeta,
  type ObjectRef,
  type RegistryEntry,
  type ReverseRelation,
  type ForeignKeyMeta,
  type ManyToManyMeta,
} from '@plinth/plugin-sdk';
import {
  type ModelRegistry,
  apiValue,
  type FilterEngine,
  type FilterSpec,
  type QueryParams,
  PluginLoadError,
  displayOf,
  apiUrlOf,
  sourceAsComputed,
  GRAPHQL_NAME,
  queryNamesOf,
  typeNameOf,
  JOIN,
  TARGET,
  pageWindow,
  type GraphQLReader,
  type PageQuery,
  type ListRelation,
  type ModelNode,
} from '@plinth/core';
import { BigIntScalar, DateScalar, DateTimeScalar, JSONScalar } from './scalars';
import {
  loadLevels,
  objectTypeOf,
  readingColumns,
  registerLevelLoad,
  selectedColumns,
  withLevelLoad,
} from './level-loads';

type FieldConfig = GraphQLFieldConfig<ModelNode, unknown, Record<string, unknown>>;

/** The interface every generated type implements (and what generic references resolve to). */
export const OBJECT_INTERFACE = 'PlinthObject';

/** Names core itself defines; models and plugins may not take them. */
export const CORE_TYPE_NAMES = ['Query', OBJECT_INTERFACE, 'DateTime', 'Date', 'JSON', 'BigInt'];

/** Arguments every list field takes besides the model's filters. */
const PAGING_ARGS = new Set(['limit', 'offset', 'sort']);

export interface SchemaFactoryOptions {
  /**
   * false: list fields take no arguments. The schema's outline (every type and field) is then
   * built several times faster, enough to check what plugins add against it at start-up.
   */
  withArguments?: boolean;
}

/** The generated schema and who owns what in it (for clash messages). */
export interface GeneratedSchema {
  schema: GraphQLSchema;
  /** Type name -> model. */
  typeOwners: ReadonlyMap<string, ModelMeta>;
  /** `Type.field` of every generated field (plugins may not replace them). */
  fields: ReadonlySet<string>;
  /** Non-fatal notes (fields left out because their names clash). */
  warnings: string[];
}

/**
 * Where the fields of a model's type come from. Each source adds fields in order; a later
 * source's field whose name is taken is left out with a warning. Features add fields through
 * the GraphQLFields registry (the source after the model's own computed fields): that is where
 * custom fields (`cf_<key>`, `_custom_field_data`), relationships (`rel_<key>`) and
 * `config_context` belong when the extras domain provides them.
 */
type AddField = (name: string, config: FieldConfig, origin?: string) => void;
type FieldGroup = (model: ModelMeta, add: AddField) => void;

/**
 * Builds the GraphQL schema from the model registry: for every model with the `graphql`
 * feature a type (`DeviceType`), a single-object query (`device(id:)`) and a list query
 * (`devices(...)`) taking `limit`, `offset`, `sort`, `q` and the model's REST filters. Foreign
 * keys resolve to objects; many-to-many fields and reverse relations are lists taking the
 * listed model's filters. Resolvers read through the GraphQLReader (batched, permission-scoped).
 */
export class GraphQLSchemaFactory {
  private readonly types = new Map<string, GraphQLObjectType>();
  private readonly argsCache = new Map<string, GraphQLFieldConfigArgumentMap>();
  private readonly generatedFields = new Set<string>();
  private readonly warnings: string[] = [];
  private readonly objectInterface: GraphQLInterfaceType;
  /** Fields features contribute, per model label (resolved before the types are built). */
  private readonly featureFields = new Map<string, { plugin: string; field: ComputedField }[]>();
  private readonly fieldGroups: readonly FieldGroup[] = [
    (m, add) => this.systemFields(m, add),
    (m, add) => this.modelFields(m, add),
    (m, add) => this.computedFields(m, add),
    (m, add) => this.featureProvidedFields(m, add),
    (m, add) => this.sourceFields(m, add),
    (m, add) => this.reverseRelations(m, add),
  ];

  constructor(
    private readonly models: ModelRegistry,
    private readonly filters: FilterEngine,
    private readonly reader: GraphQLReader,
    private readonly providers: readonly RegistryEntry<GraphQLFieldProvider>[] = [],
    private readonly options: SchemaFactoryOptions = {},
  ) {
    this.objectInterface = new GraphQLInterfaceType({
      name: OBJECT_INTERFACE,
      description: 'Fields every Plinth object has.',
      fields: () => this.systemFieldConfigs(),
      resolveType: (node: ModelNode) => typeNameOf(node.model),
    });
  }

  /** Models exposed in GraphQL: those with the `graphql` feature. */
  exposed(): ModelMeta[] {
    return this.models.all().filter((m) => m.has('graphql'));
  }

  async build(ctx: ComputedContext): Promise<GeneratedSchema> {
    const models = this.exposed();
    const typeOwners = this.claimNames(models);
    for (const model of models) {
      const fields: { plugin: string; field: ComputedField }[] = [];
      for (const { item: provider, plugin } of this.providers) {
        if (!model.has(provider.feature)) continue;
        for (const field of await provider.fields(model, ctx)) fields.push({ plugin, field });
      }
      this.featureFields.set(model.label, fields);
    }
    for (const model of models) this.typeOf(model);
    const queryFields: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const model of models) {
      const { single, list } = queryNamesOf(model);
      const type = this.typeOf(model);
      queryFields[single] = {
        type,
        description: `One ${model.verbose_name} by id (null when it does not exist or you may not view it).`,
        args: { id: { type: new GraphQLNonNull(GraphQLID) } },
        resolve: async (_root, args: { id: string }, _ctx, info) => {
          const node = await this.reader.get(model, args.id);
          if (node) await loadLevels(this.reader, [node], objectTypeOf(info), info.fieldNodes, info);
          return node;
        },
      };
      queryFields[list] = {
        type: new GraphQLList(new GraphQLNonNull(type)),
        description: `${capitalize(model.verbose_name_plural)}, filtered like the REST list endpoint${model.api_path ? ` ${model.api_path}` : ''}.`,
        args: this.listArgs(model),
        resolve: async (_root, args: Record<string, unknown>, _ctx, info) => {
          const nodes = await this.reader.list(model, this.listQuery(args));
          await loadLevels(this.reader, nodes, objectTypeOf(info), info.fieldNodes, info);
          return nodes;
        },
      };
      this.generatedFields.add(`Query.${single}`).add(`Query.${list}`);
    }
    const query = new GraphQLObjectType({
      name: 'Query',
      description: 'Read-only access to every model with the graphql feature.',
      fields: queryFields,
    });
    const schema = new GraphQLSchema({ query, types: [this.objectInterface, ...this.types.values()] });
    return { schema, typeOwners, fields: this.generatedFields, warnings: this.warnings };
  }

  /** Type and query names must be unique: a clash stops start-up naming the plugin. */
  private claimNames(models: readonly ModelMeta[]): Map<string, ModelMeta> {
    const types = new Map<string, ModelMeta>();
    const queries = new Map<string, ModelMeta>();
    for (const model of models) {
      const name = typeNameOf(model);
      const { single, list } = queryNamesOf(model);
      const fail = (reason: string): never => {
        throw new PluginLoadError(model.plugin, `model ${model.label}: ${reason}`);
      };
      for (const n of [name, single, list]) {
        if (!GRAPHQL_NAME.test(n))
          fail(`"${n}" is not a valid GraphQL name (check verbose_name/verbose_name_plural)`);
      }
      if (CORE_TYPE_NAMES.includes(name)) fail(`GraphQL type "${name}" is reserved by core`);
      const sameType = types.get(name);
      if (sameType)
        fail(`GraphQL type "${name}" clashes with model ${sameType.label} (plugin "${sameType.plugin}")`);
      if (single === list)
        fail(
          `GraphQL query names "${single}" (single) and "${list}" (list) are equal; set verbose_name_plural`,
        );
      for (const q of [single, list]) {
        const other = queries.get(q);
        if (other) fail(`GraphQL query "${q}" clashes with model ${other.label} (plugin "${other.plugin}")`);
        queries.set(q, model);
      }
      types.set(name, model);
    }
    return types;
  }

  private typeOf(model: ModelMeta): GraphQLObjectType {
    let type = this.types.get(model.label);
    if (!type) {
      const name = typeNameOf(model);
      type = new GraphQLObjectType({
        name,
        description: model.definition.description ?? `${capitalize(model.verbose_name)} (${model.label}).`,
        interfaces: [this.objectInterface],
        fields: () => this.fieldsOf(model, name),
      });
      this.types.set(model.label, type);
    }
    return type;
  }

  private fieldsOf(model: ModelMeta, typeName: string): GraphQLFieldConfigMap<ModelNode, unknown> {
    const fields: GraphQLFieldConfigMap<ModelNode, unknown> = {};
    const add: AddField = (name, config, origin = 'core') => {
      if (!GRAPHQL_NAME.test(name)) {
        this.warnings.push(`${typeName}: "${name}" (from ${origin}) is not a valid GraphQL name; left out`);
      } else if (fields[name]) {
        this.warnings.push(
          `${typeName}.${name} (from ${origin}) is left out: the type already has that field`,
        );
      } else {
        fields[name] = config as GraphQLFieldConfig<ModelNode, unknown>;
        this.generatedFields.add(`${typeName}.${name}`);
        registerLevelLoad(this.reader, `${typeName}.${name}`, config.resolve);
      }
    };
    for (const group of this.fieldGroups) group(model, add);
    return fields;
  }

  // --- field sources ---------------------------------------------------------------------

  private systemFieldConfigs(): Record<string, FieldConfig> {
    return {
      id: { type: new GraphQLNonNull(GraphQLID), resolve: (n) => n.id },
      object_type: {
        type: new GraphQLNonNull(GraphQLString),
        description: 'Content type label: `dcim.device`.',
        resolve: (n) => n.model.label,
      },
      display: {
        type: new GraphQLNonNull(GraphQLString),
        description: 'How the object is named in lists and references.',
        resolve: (n) => displayOf(n.model, n.row),
      },
      url: {
        type: GraphQLString,
        description: 'The REST API URL of the object.',
        resolve: (n) => apiUrlOf(n.model, n.id, RequestContext.current()?.base_url ?? ''),
      },
      created: { type: DateTimeScalar, resolve: (n) => n.row.created ?? null },
      last_updated: { type: DateTimeScalar, resolve: (n) => n.row.last_updated ?? null },
    };
  }

  private systemFields(model: ModelMeta, add: AddField): void {
    // The columns each reads (`display` may read any: it is left unmarked).
    const reads: Record<string, string[]> = {
      id: [],
      object_type: [],
      url: [],
      created: model.field('created')?.column === 'created' ? ['created'] : [],
      last_updated: model.field('last_updated')?.column === 'last_updated' ? ['last_updated'] : [],
    };
    for (const [name, config] of Object.entries(this.systemFieldConfigs())) {
      const columns = reads[name];
      add(
        name,
        columns && config.resolve ? { ...config, resolve: readingColumns(config.resolve, columns) } : config,
      );
    }
  }

  private modelFields(model: ModelMeta, add: AddField): void {
    for (const f of model.fields) {
      if (f.write_only || f.kind === 'password' || f.name === 'id') continue;
      if (f.name === 'created' || f.name === 'last_updated') continue;
      const description = f.help_text;
      if (f.kind === 'fk') {
        const target = this.models.targetOf(f);
        if (!target.has('graphql')) continue;
        const column = f.column;
        add(f.name, {
          type: this.typeOf(target),
          description,
          resolve: readingColumns(
            withLevelLoad(
              (n: ModelNode, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
                const value = n.row[column];
                if (value === null || value === undefined) return null;
                const id = String(value);
                const known =
                  this.reader.readyTarget(info.fieldNodes[0], id) ?? this.reader.knownById(target, id);
                return known !== undefined ? known : this.reader.byId(target).load(id);
              },
              { kind: 'fk', target, column },
            ),
            [column],
          ),
        });
      } else if (f.kind === 'm2m') {
        const target = this.models.targetOf(f);
        if (!target.has('graphql')) continue;
        add(f.name, this.listField(this.m2mRelation(model, f), description));
      } else if (f.column) {
        const column = f.column;
        add(f.name, {
          type: scalarType(f),
          description,
          resolve: readingColumns(
            (n: ModelNode) => (f.kind === 'choice' ? (n.row[column] ?? null) : apiValue(f, n.row[column])),
            [column],
          ),
        });
        if (f.kind === 'choice') {
          add(`${f.name}_label`, {
            type: f.nullable ? GraphQLString : new GraphQLNonNull(GraphQLString),
            description: `Human-readable label of ${f.name}.`,
            resolve: readingColumns(
              (n: ModelNode) => {
                const v = n.row[column];
                if (v === null || v === undefined) return null;
                return f.choices?.find((c) => c.value === v)?.label ?? String(v);
              },
              [column],
            ),
          });
        }
      }
    }
  }

  private computedFields(model: ModelMeta, add: AddField): void {
    for (const c of model.definition.computed ?? []) {
      const config = this.computedField(model, c);
      if (config) add(c.name, config);
    }
  }

  /** Values kept outside the model's fields (custom fields, relationships, plugin fields). */
  private sourceFields(model: ModelMeta, add: AddField): void {
    for (const s of model.sources) {
      const config = this.computedField(model, sourceAsComputed(s));
      if (config) add(s.name, config);
    }
  }

  private featureProvidedFields(model: ModelMeta, add: AddField): void {
    for (const { plugin, field } of this.featureFields.get(model.label) ?? []) {
      const config = this.computedField(model, field);
      if (!config) continue;
      add(field.name, config, `plugin "${plugin}"`);
    }
  }

  private computedField(model: ModelMeta, c: ComputedField): FieldConfig | null {
    const description = c.help_text;
    const value = (n: ModelNode): Promise<unknown> => this.reader.computed(model, c).load(n);
    const ref = (label: string | undefined, id: unknown): Promise<ModelNode | null> => {
      const target = label ? this.models.get(label) : undefined;
      if (!target?.has('graphql') || typeof id !== 'string') return Promise.resolve(null);
      return this.reader.byId(target).load(id);
    };
    const present = (nodes: (ModelNode | null)[]): ModelNode[] => nodes.filter((x): x is ModelNode => !!x);
    switch (c.type) {
      case 'string':
        return { type: GraphQLString, description, resolve: value };
      case 'integer':
        return { type: GraphQLInt, description, resolve: value };
      case 'number':
        return { type: GraphQLFloat, description, resolve: value };
      case 'boolean':
        return { type: GraphQLBoolean, description, resolve: value };
      case 'json':
        return { type: JSONScalar, description, resolve: value };
      case 'ref':
      case 'refs': {
        const target = c.target ? this.models.get(c.target) : undefined;
        if (!target?.has('graphql')) return null;
        const type = this.typeOf(target);
        if (c.type === 'ref')
          return { type, description, resolve: async (n) => ref(c.target, await value(n)) };
        return {
          type: new GraphQLList(new GraphQLNonNull(type)),
          description,
          resolve: async (n) =>
            present(
              await Promise.all(((await value(n)) as string[] | null)?.map((id) => ref(c.target, id)) ?? []),
            ),
        };
      }
      case 'generic_ref':
        return {
          type: this.objectInterface,
          description,
          resolve: async (n) => {
            const v = (await value(n)) as ObjectRef | null;
            return v ? ref(v.object_type, v.id) : null;
          },
        };
      case 'generic_refs':
        return {
          type: new GraphQLList(new GraphQLNonNull(this.objectInterface)),
          description,
          resolve: async (n) =>
            present(
              await Promise.all(
                ((await value(n)) as ObjectRef[] | null)?.map((r) => ref(r.object_type, r.id)) ?? [],
              ),
            ),
        };
    }
  }

  /**
   * Reverse relations (`interfaces` on devices), named by the foreign key's `related_name`.
   * Generic join tables (tags) are left out: every tagged model shares their related name.
   */
  private reverseRelations(model: ModelMeta, add: AddField): void {
    // A model may show a relation its own way under the related name (a module bay's
    // `installed_module`: the one module, not a list); that computed field stands for it.
    const computed = new Set((model.definition.computed ?? []).map((c) => c.name));
    for (const r of model.reverse_relations) {
      if (!r.model.has('graphql') || computed.has(r.name)) continue;
      if (r.field.kind === 'm2m' && r.field.through?.discriminator) continue;
      const relation =
        r.field.kind === 'fk'
          ? this.reverseFkRelation(model, r, r.field)
          : this.reverseM2mRelation(model, r, r.field);
      const verb = r.field.kind === 'fk' ? 'is' : 'include';
      add(
        r.name,
        this.listField(
          relation,
          `${capitalize(r.model.verbose_name_plural)} whose ${r.field.name} ${verb} this ${model.verbose_name}.`,
        ),
      );
    }
  }

  // --- list relations ----------------------------------------------------------------------

  private m2mRelation(owner: ModelMeta, f: ManyToManyMeta): ListRelation {
    const target = this.models.targetOf(f);
    const th = f.through;
    return {
      key: `${owner.label}.${f.name}`,
      target,
      from: sql`${sql.ident(th.table)} ${JOIN} JOIN ${sql.ident(target.table)} ${TARGET} ON ${TARGET}."id" = ${JOIN}.${sql.ident(th.target)}`,
      parent: sql`${JOIN}.${sql.ident(th.source)}`,
      condition: th.discriminator
        ? sql`${JOIN}.${sql.ident(th.discriminator)} = ${owner.label}`
        : sql.raw('TRUE'),
    };
  }

  private reverseFkRelation(owner: ModelMeta, r: ReverseRelation, field: ForeignKeyMeta): ListRelation {
    return {
      key: `${owner.label}.${r.name}`,
      target: r.model,
      from: sql`${sql.ident(r.model.table)} ${TARGET}`,
      parent: sql`${TARGET}.${sql.ident(field.column)}`,
      condition: sql.raw('TRUE'),
    };
  }

  private reverseM2mRelation(owner: ModelMeta, r: ReverseRelation, field: ManyToManyMeta): ListRelation {
    const th = field.through;
    return {
      key: `${owner.label}.${r.name}`,
      target: r.model,
      from: sql`${sql.ident(th.table)} ${JOIN} JOIN ${sql.ident(r.model.table)} ${TARGET} ON ${TARGET}."id" = ${JOIN}.${sql.ident(th.source)}`,
      parent: sql`${JOIN}.${sql.ident(th.target)}`,
      condition: sql.raw('TRUE'),
    };
  }

  private listField(rel: ListRelation, description: string | undefined): FieldConfig {
    const type = this.typeOf(rel.target);
    const resolve: FieldConfig['resolve'] = (n, args, _ctx, info) =>
      this.reader.readyChildren(info.fieldNodes[0], n.id) ??
      this.reader
        .childrenAt(
          info.fieldNodes[0],
          rel,
          () => this.listQuery(args),
          () => selectedColumns(this.reader, type, info.fieldNodes, info),
        )
        .load(n.id);
    return {
      type: new GraphQLList(new GraphQLNonNull(type)),
      description,
      args: this.listArgs(rel.target),
      // A list reads its object's id only.
      resolve: readingColumns(
        withLevelLoad(resolve, { kind: 'list', rel, query: (args) => this.listQuery(args) }),
        [],
      ),
    };
  }

  // --- arguments ---------------------------------------------------------------------------

  /** `limit`, `offset`, `sort`, `q` and every filter of the REST list endpoint, same names. */
  private listArgs(model: ModelMeta): GraphQLFieldConfigArgumentMap {
    if (this.options.withArguments === false) return {};
    let args = this.argsCache.get(model.label);
    if (args) return args;
    args = {
      limit: { type: GraphQLInt, description: 'Page size: 1 to 1000 (0 or none: 1000).' },
      offset: { type: GraphQLInt, description: 'Objects to skip.' },
      sort: {
        type: new GraphQLList(new GraphQLNonNull(GraphQLString)),
        description: 'Field names; `-` for descending.',
      },
      q: { type: GraphQLString, description: 'Free-text search.' },
    };
    for (const spec of this.filters.describe(model)) {
      if (!GRAPHQL_NAME.test(spec.name) || args[spec.name]) {
        this.warnings.push(
          `${typeNameOf(model)} filter "${spec.name}" cannot be a GraphQL argument; left out`,
        );
        continue;
      }
      args[spec.name] = { type: filterArgType(spec), description: filterDescription(spec) };
    }
    this.argsCache.set(model.label, args);
    return args;
  }

  /** GraphQL arguments -> the list query REST would run for the same parameters. */
  private listQuery(args: Record<string, unknown>): PageQuery {
    const params: QueryParams = {};
    for (const [name, value] of Object.entries(args)) {
      if (PAGING_ARGS.has(name) || value === null || value === undefined) continue;
      params[name] = (Array.isArray(value) ? value : [value]).map(String);
    }
    const { limit, offset } = pageWindow(args.limit as number | null, args.offset as number | null);
    return { params, limit, offset, sort: (args.sort as string[] | null) ?? undefined };
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function scalarType(f: FieldMeta): GraphQLOutputType {
  let type: GraphQLOutputType;
  switch (f.kind) {
    case 'integer':
      type = f.big ? BigIntScalar : GraphQLInt;
      break;
    case 'float':
    case 'decimal':
      type = GraphQLFloat;
      break;
    case 'boolean':
      type = GraphQLBoolean;
      break;
    case 'datetime':
      type = DateTimeScalar;
      break;
    case 'date':
      type = DateScalar;
      break;
    case 'json':
      type = JSONScalar;
      break;
    case 'array':
      return new GraphQLNonNull(
        new GraphQLList(new GraphQLNonNull(f.item === 'integer' ? GraphQLInt : GraphQLString)),
      );
    default:
      type = GraphQLString;
  }
  return f.nullable ? type : new GraphQLNonNull(type);
}

/** Filters take lists (repeated REST parameters, OR-ed); a single value is a list of one. */
function filterArgType(spec: FilterSpec): GraphQLInputType {
  const list = (t: GraphQLInputType): GraphQLInputType => new GraphQLList(new GraphQLNonNull(t));
  switch (spec.type) {
    case 'boolean':
      return GraphQLBoolean;
    case 'integer':
      return list(spec.field?.big ? BigIntScalar : GraphQLInt);
    case 'number':
      return list(GraphQLFloat);
    default:
      return list(GraphQLString);
  }
}

/** Lookups are documented once (README); arguments describe what is not obvious from the name. */
function filterDescription(spec: FilterSpec): string | undefined {
  if (spec.help_text) return spec.help_text;
  if (spec.related && (spec.lookup ?? 'exact') === 'exact') return `Id or natural key of ${spec.related}.`;
  return undefined;
}
