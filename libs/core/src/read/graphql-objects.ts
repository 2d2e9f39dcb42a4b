import type {
  GraphQLListOptions,
  GraphQLLoader,
  GraphQLModelObject,
  GraphQLObjects,
  ModelMeta,
} from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import type { QueryParams } from '../query/filter-engine';
import { typeNameOf } from './graphql-names';
import { pageWindow, type GraphQLReader } from './batched-reader';

/** What plugin resolvers read with (GRAPHQL_OBJECTS): the same reads the generated fields use. */
export class GraphQLObjectsService implements GraphQLObjects {
  constructor(
    private readonly reader: GraphQLReader,
    private readonly models: ModelRegistry,
  ) {}

  private model(label: string): ModelMeta {
    return this.models.require(label);
  }

  list(
    label: string,
    filters: Record<string, string | readonly string[]> = {},
    opts: GraphQLListOptions = {},
  ): Promise<GraphQLModelObject[]> {
    const params: QueryParams = {};
    for (const [k, v] of Object.entries(filters)) params[k] = typeof v === 'string' ? [v] : [...v];
    return this.reader.list(this.model(label), {
      params,
      ...pageWindow(opts.limit, opts.offset),
      sort: opts.sort,
    });
  }

  get(label: string, id: string): Promise<GraphQLModelObject | null> {
    return this.reader.get(this.model(label), id);
  }

  loader<K, V>(
    name: string,
    batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  ): GraphQLLoader<K, V> {
    return this.reader.loader<K, V>(`plugin:${name}`, batch);
  }

  typeName(label: string): string {
    return typeNameOf(this.model(label));
  }
}
