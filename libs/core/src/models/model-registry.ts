import { getMetadataArgsStorage } from 'typeorm';
import {
  bindRef,
  getFieldMetas,
  labelOf,
  type RelationMeta,
  registerModelTable,
  type DescribedFilter,
  type FeatureIndex,
  type FieldMeta,
  type FieldSource,
  type FilterDefinition,
  type ModelDefinition,
  type ModelExtension,
  type ModelFeature,
  type ModelFeatureProvider,
  type ModelHooks,
  type ModelLookup,
  type ModelMeta,
  type RegistryEntry,
  type ReverseRelation,
} from '@plinth/plugin-sdk';
import type { LoadedPlugin } from '../plugins/discovery';

export class ModelRegistryError extends Error {}

/** `IP addresses` -> `ip-addresses` (REST and UI path segments). */
export function kebab(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function tableOf(entity: unknown): string {
  const t = getMetadataArgsStorage().tables.find((x) => x.target === entity);
  if (!t?.name)
    throw new ModelRegistryError(`${(entity as { name?: string }).name} has no @Entity('<table>') name`);
  return t.name;
}

/** Features core itself implements (the change log, GraphQL types, custom validators). */
export const CORE_FEATURES: ReadonlySet<ModelFeature> = new Set([
  'changelog',
  'graphql',
  'custom_validators',
]);

class FinalModel implements ModelMeta {
  readonly reverse_relations: ReverseRelation[] = [];
  readonly sources: FieldSource[] = [];
  readonly extension_hooks: ModelHooks[] = [];
  /** Filters of features and extensions, beside the model's declared ones. */
  readonly extra_filters: Record<string, FilterDefinition> = {};
  readonly dynamic_filters: ModelFeatureProvider[] = [];
  private readonly byName: Map<string, FieldMeta>;

  constructor(
    readonly label: string,
    readonly app_label: string,
    readonly model: string,
    readonly verbose_name: string,
    readonly verbose_name_plural: string,
    readonly entity: ModelDefinition['entity'],
    readonly table: string,
    readonly plugin: string,
    readonly fields: readonly FieldMeta[],
    readonly features: ReadonlySet<ModelFeature>,
    readonly api_path: string | null,
    readonly read_only: boolean,
    readonly natural_key: readonly string[],
    readonly search_fields: readonly string[],
    readonly ordering: readonly string[],
    readonly declared_filters: Readonly<Record<string, FilterDefinition>>,
    readonly definition: ModelDefinition,
  ) {
    this.byName = new Map(fields.map((f) => [f.name, f]));
  }

  private merged?: Readonly<Record<string, FilterDefinition>>;

  /** Declared, extension and feature filters (fixed once the registry is built). */
  get filters(): Readonly<Record<string, FilterDefinition>> {
    this.merged ??= { ...this.extra_filters, ...this.declared_filters };
    return this.merged;
  }

  field(name: string): FieldMeta | undefined {
    return this.byName.get(name);
  }

  source(name: string): FieldSource | undefined {
    return this.sources.find((s) => s.name === name);
  }

  filter(name: string): FilterDefinition | undefined {
    // Own keys only: `constructor` or `__proto__` are not filters.
    const fixed =
      (Object.hasOwn(this.declared_filters, name) ? this.declared_filters[name] : undefined) ??
      (Object.hasOwn(this.extra_filters, name) ? this.extra_filters[name] : undefined);
    if (fixed) return fixed;
    for (const p of this.dynamic_filters) {
      const f = p.filter?.(this, name);
      if (f) return f;
    }
    return undefined;
  }

  describeDynamicFilters(): DescribedFilter[] {
    return this.dynamic_filters.flatMap((p) => p.describeFilters?.(this) ?? []);
  }

  has(feature: ModelFeature): boolean {
    return this.features.has(feature);
  }
}

/** The finalised models of an app: fields (own + feature-contributed), paths, reverse relations. */
export class ModelRegistry implements ModelLookup {
  private readonly byLabel = new Map<string, ModelMeta>();
  private readonly byEntity = new Map<unknown, ModelMeta>();
  private readonly byPath = new Map<string, ModelMeta>();
  private readonly indexesByLabel = new Map<string, FeatureIndex[]>();

  constructor(
    definitions: readonly RegistryEntry<ModelDefinition>[],
    features: readonly RegistryEntry<ModelFeatureProvider>[],
    plugins: readonly LoadedPlugin[],
    extensions: readonly RegistryEntry<ModelExtension>[] = [],
  ) {
    const pluginByName = new Map(plugins.map((p) => [p.name, p]));
    for (const { item: def, plugin: pluginName } of definitions) {
      const plugin = pluginByName.get(pluginName);
      const app_label = def.app_label ?? pluginName;
      if (plugin && !plugin.builtin && app_label !== plugin.name) {
        throw new ModelRegistryError(
          `plugin "${plugin.name}": model ${def.model} must use app_label "${plugin.name}"`,
        );
      }
      const label = `${app_label}.${def.model}`;
      if (this.byLabel.has(label)) throw new ModelRegistryError(`model ${label} is registered twice`);
      const verbose_name = def.verbose_name ?? def.model;
      const verbose_name_plural = def.verbose_name_plural ?? `${verbose_name}s`;
      const featureSet = new Set<ModelFeature>(def.features ?? []);
      const own = [...getFieldMetas(def.entity), ...(def.extra_fields ?? [])];
      const contributed = features
        .filter((p) => featureSet.has(p.item.feature))
        .flatMap((p) => p.item.fields?.({ label }) ?? []);
      const fields = [...own, ...contributed.filter((f) => !own.some((o) => o.name === f.name))];
      let api_path: string | null = null;
      if (def.api_path !== false) {
        const segment = def.api_path ?? kebab(verbose_name_plural);
        const root = !plugin || plugin.builtin ? `/api/${app_label}` : `/api/plugins/${plugin.base_url}`;
        api_path = `${root}/${segment}/`;
      }
      const byField = new Set(fields.map((f) => f.name));
      const natural_key = def.natural_key ?? (byField.has('name') ? ['name'] : []);
      const search_fields = [
        ...new Set([...(def.search_fields ?? []), ...fields.filter((f) => f.search).map((f) => f.name)]),
      ];
      const ordering = def.ordering ?? (byField.has('name') ? ['name'] : ['created']);
      const meta = new FinalModel(
        label,
        app_label,
        def.model,
        verbose_name,
        verbose_name_plural,
        def.entity,
        tableOf(def.entity),
        pluginName,
        fields,
        featureSet,
        api_path,
        def.read_only ?? false,
        natural_key,
        search_fields,
        ordering,
        def.filters ?? {},
        def,
      );
      for (const key of natural_key) {
        if (!byField.has(key))
          throw new ModelRegistryError(`model ${label}: natural_key field "${key}" does not exist`);
      }
      this.byLabel.set(label, meta);
      this.byEntity.set(def.entity, meta);
      registerModelTable(label, meta.table);
      // defineModel's result is the model's typed ref: give it its label now it is known.
      bindRef(def, label);
      if (api_path) {
        const other = this.byPath.get(api_path);
        if (other) throw new ModelRegistryError(`models ${other.label} and ${label} both claim ${api_path}`);
        this.byPath.set(api_path, meta);
      }
    }
    this.linkRelations();
    this.applyFeatures(features);
    this.applyExtensions(extensions, pluginByName);
  }

  /**
   * Every declared feature has an implementation (or start-up stops naming the model and the
   * feature); the implementations' sources, filters and hooks join each model that has it.
   */
  private applyFeatures(features: readonly RegistryEntry<ModelFeatureProvider>[]): void {
    for (const model of this.byLabel.values() as Iterable<FinalModel>) {
      for (const feature of model.features) {
        const impls = features.filter((p) => p.item.feature === feature).map((p) => p.item);
        if (impls.length === 0 && !CORE_FEATURES.has(feature)) {
          throw new ModelRegistryError(
            `model ${model.label} declares feature "${feature}", which no enabled plugin implements`,
          );
        }
        for (const impl of impls) {
          model.sources.push(...(impl.sources?.(model) ?? []));
          Object.assign(model.extra_filters, impl.filters?.(model) ?? {});
          if (impl.filter) model.dynamic_filters.push(impl);
          if (impl.hooks) model.extension_hooks.push(impl.hooks);
          const indexes = impl.indexes?.(model) ?? [];
          if (indexes.length)
            this.indexesByLabel.set(model.label, [
              ...(this.indexesByLabel.get(model.label) ?? []),
              ...indexes,
            ]);
        }
      }
    }
  }

  /** Indexes the features of a model need on its table (see `ModelFeatureProvider.indexes`). */
  featureIndexes(model: ModelMeta): readonly FeatureIndex[] {
    return this.indexesByLabel.get(model.label) ?? [];
  }

  /**
   * Plugins' filters and field sources on other models, named `<plugin>_...`. Built-in domains
   * play Nautobot's own apps, so theirs take Nautobot's names (`virtual_machine` on IP addresses).
   */
  private applyExtensions(
    extensions: readonly RegistryEntry<ModelExtension>[],
    plugins: ReadonlyMap<string, LoadedPlugin>,
  ): void {
    for (const { item, plugin } of extensions) {
      const labels = typeof item.model === 'string' ? [item.model] : item.model;
      const names = [...Object.keys(item.filters ?? {}), ...(item.sources ?? []).map((s) => s.name)];
      const builtin = plugins.get(plugin)?.builtin ?? false;
      for (const name of names) {
        if (!builtin && !name.startsWith(`${plugin}_`)) {
          throw new ModelRegistryError(
            `plugin "${plugin}": filter or field "${name}" added to ${labels.join(', ')} must be named "${plugin}_..."`,
          );
        }
      }
      for (const label of labels) {
        const model = this.byLabel.get(label) as FinalModel | undefined;
        if (!model) {
          throw new ModelRegistryError(
            `plugin "${plugin}": extends ${label}, which is not a registered model`,
          );
        }
        for (const name of names) {
          if (model.field(name) || model.filter(name) || model.source(name)) {
            throw new ModelRegistryError(`plugin "${plugin}": "${name}" already exists on ${label}`);
          }
        }
        Object.assign(model.extra_filters, item.filters ?? {});
        model.sources.push(...(item.sources ?? []));
        if (item.hooks) model.extension_hooks.push(item.hooks);
      }
    }
  }

  private linkRelations(): void {
    for (const model of this.byLabel.values()) {
      for (const field of model.fields) {
        if (field.kind !== 'fk' && field.kind !== 'm2m') continue;
        const target = this.resolveTarget(field);
        if (!target) {
          const t = field.target;
          const name = typeof t === 'function' ? (t() as { name?: string }).name : labelOf(t);
          throw new ModelRegistryError(
            `model ${model.label}: field "${field.name}" points at ${name}, which is not a registered model`,
          );
        }
        // Default accessor: the source's plural (`console_ports` on devices), as Nautobot names most of them.
        const name =
          field.related_name ?? model.verbose_name_plural.toLowerCase().replace(/[^a-z0-9]+/g, '_');
        const clash = target.reverse_relations.find((r) => r.name === name);
        if (clash) {
          throw new ModelRegistryError(
            `model ${target.label}: reverse relation "${name}" comes from both ${clash.model.label}.${clash.field.name} and ${model.label}.${field.name}; set related_name on one of them`,
          );
        }
        (target.reverse_relations as ReverseRelation[]).push({ model, field, name });
      }
    }
  }

  get(label: string): ModelMeta | undefined {
    return this.byLabel.get(label);
  }

  require(label: string): ModelMeta {
    const m = this.byLabel.get(label);
    if (!m) throw new ModelRegistryError(`unknown model ${label}`);
    return m;
  }

  all(): readonly ModelMeta[] {
    return [...this.byLabel.values()];
  }

  forEntity(entity: unknown): ModelMeta | undefined {
    return this.byEntity.get(entity);
  }

  private resolveTarget(field: RelationMeta): ModelMeta | undefined {
    const t = field.target;
    return typeof t === 'function' ? this.forEntity(t()) : this.byLabel.get(labelOf(t));
  }

  /** Target model of a foreign key / many-to-many field. */
  targetOf(field: RelationMeta): ModelMeta {
    const m = this.resolveTarget(field);
    if (!m) throw new ModelRegistryError(`field ${field.name}: target is not a registered model`);
    return m;
  }

  forApiPath(path: string): ModelMeta | undefined {
    return this.byPath.get(path);
  }

  /** Content type labels of all models (for fields that hold content types). */
  labels(): string[] {
    return [...this.byLabel.keys()].sort();
  }

  /** The labels a content-types field accepts: every model, or those with its feature. */
  contentTypesFor(f: FieldMeta): string[] {
    if (typeof f.content_types !== 'string') return this.labels();
    const feature = f.content_types;
    return this.labels().filter((l) => this.byLabel.get(l)!.has(feature));
  }
}
