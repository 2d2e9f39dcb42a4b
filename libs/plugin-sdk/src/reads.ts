import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from './model';
import type { ModelTarget, RecordOf } from './refs';

/**
 * Who is reading. Every read names its actor: a user (reads are narrowed to what the user may
 * view; a user who may view none of the model gets a 403) or, explicitly, the system (nothing is
 * narrowed: jobs, install hooks and rules that must see everything).
 */
export type ReadActor = { readonly user: AuthUser | null; readonly system?: false } | typeof SYSTEM_ACTOR;

/** The actor for reads that must see every object (jobs acting as the system, install hooks). */
export const SYSTEM_ACTOR = Object.freeze({ user: null, system: true as const });

/** A user actor. */
export function asUser(user: AuthUser | null): ReadActor {
  return { user };
}

/** List-endpoint filter parameters (`{status: 'active', name__ic: 'core'}`; lists are OR-ed). */
export type FilterParams = Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;

/** Which objects of a filtered list. */
export interface PageRequest {
  /** Default 50, at most 1000 (0 = 1000), as the REST API. */
  limit?: number;
  offset?: number;
  /** Field names, `-` for descending; default: the model's ordering. */
  sort?: readonly string[];
  /** Count every match (default true for `list`); false saves the count query. */
  count?: boolean;
}

/** An object as the REST API represents it: `id`, `object_type`, `display`, `url`, fields. */
export type ApiObject = Record<string, unknown>;

export interface RenderOptions {
  /** Nested related objects, as the REST API's `?depth=` (0–3, default 0). */
  depth?: number;
  /** Include detail-only computed fields (single-object responses). */
  detail?: boolean;
  /** Only `id`, `object_type`, `display`, `url` (the REST API's `?brief=1`). */
  brief?: boolean;
  /** Leave many-to-many fields out (`?exclude_m2m=1`). */
  exclude_m2m?: boolean;
  /**
   * Fields the model's features add on request (`?include=config_context,relationships`):
   * names registered by feature implementations.
   */
  include?: readonly string[];
}

export interface ReadOptions extends RenderOptions {
  /**
   * `api` (default): objects as the REST API shows them; `record`: stored values (foreign keys
   * as ids, many-to-many as id lists), typed from the model's entity.
   */
  as?: 'api' | 'record';
  /** Read inside this transaction (a rule or hook's `ctx.tx.manager`). */
  manager?: EntityManager;
}

export interface ReadPage<T> {
  /** Every match (null when `count: false`). */
  count: number | null;
  results: T[];
}

/**
 * The one read path: permission scope, filters, ordering, paging and serialization, for every
 * surface (REST, web UI, GraphQL, home panels, plugin endpoints). Nothing else composes a scoped
 * query, so no surface can forget the scope.
 */
export interface ReadService {
  list<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    filters?: FilterParams,
    page?: PageRequest,
    opts?: ReadOptions & { as?: 'api' },
  ): Promise<ReadPage<ApiObject>>;
  list<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    filters: FilterParams | undefined,
    page: PageRequest | undefined,
    opts: ReadOptions & { as: 'record' },
  ): Promise<ReadPage<RecordOf<E>>>;

  /** One object, or null when it does not exist or the actor may not view it. */
  get<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    id: string,
    opts?: ReadOptions & { as?: 'api' },
  ): Promise<ApiObject | null>;
  get<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    id: string,
    opts: ReadOptions & { as: 'record' },
  ): Promise<RecordOf<E> | null>;

  /** How many objects match (exact). */
  count<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    filters?: FilterParams,
    opts?: { manager?: EntityManager },
  ): Promise<number>;

  /** Counts of several models in one query (objects each actor may view; unviewable models are left out). */
  counts(actor: ReadActor, labels: readonly string[]): Promise<Map<string, number>>;

  /** Objects by id, in the order of `ids`; ids that do not exist or are not viewable are left out. */
  render<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    ids: readonly string[],
    opts?: RenderOptions,
  ): Promise<ApiObject[]>;

  /**
   * Objects the actor has just written (a write endpoint's response): shown whatever the actor's
   * view scope, since the write path checked the add/change scope; nested objects are shown only
   * as far as the actor may view them.
   */
  renderWritten<E>(
    actor: ReadActor,
    model: ModelTarget<E>,
    ids: readonly string[],
    opts?: RenderOptions,
  ): Promise<ApiObject[]>;

  /** May the actor perform `action` on at least some objects of the model? */
  can(
    actor: ReadActor,
    action: 'view' | 'add' | 'change' | 'delete',
    model: ModelTarget<unknown>,
  ): Promise<boolean>;
}

export const READS = Symbol.for('plinth:reads');
export const InjectReads = (): ParameterDecorator & PropertyDecorator => Inject(READS);

/** A stored record of any model: its `id`, and its fields untyped (code that handles many models). */
export type AnyRecord = RecordOf<object>;
