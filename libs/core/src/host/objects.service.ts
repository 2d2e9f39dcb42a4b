import {
  RequestContext,
  type CreateOptions,
  type FilterParams,
  type InputOf,
  type ModelTarget,
  type ObjectsApi,
  type ObjectsService,
  type Rec,
  type RecordOf,
  type TransactionContext,
  type UpdateOptions,
  type WriteOptions,
} from '@plinth/plugin-sdk';
import { newRequestId } from '../changelog/changelog';
import type { WriteActor, WriteService } from '../write/write-service';

/**
 * The write path as plugins see it. Inside a request the acting user and request id come from
 * the request (and the user's permissions are checked); elsewhere (CLI, jobs) writes are by the
 * system unless `as({user})` says otherwise.
 */
export class ObjectsServiceImpl implements ObjectsService {
  constructor(private readonly write: WriteService) {}

  private actor(opts?: WriteOptions): WriteActor {
    const req = RequestContext.current();
    const user = opts && 'user' in opts ? (opts.user ?? null) : (req?.user ?? null);
    return {
      user,
      source: opts?.source ?? req?.source ?? 'system',
      request_id: opts?.request_id ?? req?.request_id ?? newRequestId(),
      enforce: user !== null && !opts?.trusted,
    };
  }

  /** Each call in its own transaction. */
  private bound(opts?: WriteOptions): ObjectsApi {
    const run = <T>(fn: (api: ObjectsApi) => Promise<T>): Promise<T> =>
      this.write.run(this.actor(opts), (tx) => fn(this.write.api(tx)));
    return {
      create: ((model: ModelTarget<unknown>, data: readonly Rec[], o?: CreateOptions) =>
        run((api) => (o ? api.create(model, data, o) : api.create(model, data)))) as ObjectsApi['create'],
      update: (model, changes, o) => run((api) => api.update(model, changes, o)),
      delete: (model, ids) => run((api) => api.delete(model, ids)),
      get: (model, id) => run((api) => api.get(model, id)),
      find: (model, filters, o) => run((api) => api.find(model, filters, o)),
      count: (model, filters) => run((api) => api.count(model, filters)),
    };
  }

  create<E>(model: ModelTarget<E>, data: readonly InputOf<E>[]): Promise<RecordOf<E>[]>;
  create<E>(
    model: ModelTarget<E>,
    data: readonly InputOf<E>[],
    opts: CreateOptions,
  ): Promise<{ id: string }[]>;
  create<E>(
    model: ModelTarget<E>,
    data: readonly InputOf<E>[],
    opts?: CreateOptions,
  ): Promise<RecordOf<E>[] | { id: string }[]> {
    return opts ? this.bound().create(model, data, opts) : this.bound().create(model, data);
  }
  update<E>(
    model: ModelTarget<E>,
    changes: readonly ({ id: string } & InputOf<E>)[],
    opts?: UpdateOptions,
  ): Promise<RecordOf<E>[]> {
    return this.bound().update(model, changes, opts);
  }
  delete(model: ModelTarget<unknown>, ids: readonly string[]): Promise<void> {
    return this.bound().delete(model, ids);
  }
  get<E>(model: ModelTarget<E>, id: string): Promise<RecordOf<E> | null> {
    return this.bound().get(model, id);
  }
  find<E>(model: ModelTarget<E>, filters?: FilterParams, opts?: { limit?: number }): Promise<RecordOf<E>[]> {
    return this.bound().find(model, filters, opts);
  }
  count(model: ModelTarget<unknown>, filters?: FilterParams): Promise<number> {
    return this.bound().count(model, filters);
  }

  transaction<T>(fn: (tx: TransactionContext) => Promise<T>, opts?: WriteOptions): Promise<T> {
    return this.write.run(this.actor(opts), (tx) => fn(this.write.context(tx, false)));
  }

  as(opts: WriteOptions): ObjectsApi {
    return this.bound(opts);
  }
}
