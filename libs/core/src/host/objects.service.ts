import {
  RequestContext,
  type ObjectsApi,
  type ObjectsService,
  type Rec,
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

  private bound(opts?: WriteOptions): ObjectsApi {
    const run = <T>(fn: (api: ObjectsApi) => Promise<T>): Promise<T> =>
      this.write.run(this.actor(opts), (tx) => fn(this.write.api(tx)));
    return {
      create: (label, data) => run((api) => api.create(label, data)),
      update: (label, changes, o) => run((api) => api.update(label, changes, o)),
      delete: (label, ids) => run((api) => api.delete(label, ids)),
      get: (label, id) => run((api) => api.get(label, id)),
      find: (label, filters, o) => run((api) => api.find(label, filters, o)),
      count: (label, filters) => run((api) => api.count(label, filters)),
    };
  }

  create(label: string, data: Rec[]): Promise<Rec[]> {
    return this.bound().create(label, data);
  }
  update(label: string, changes: Rec[], opts?: UpdateOptions): Promise<Rec[]> {
    return this.bound().update(label, changes, opts);
  }
  delete(label: string, ids: string[]): Promise<void> {
    return this.bound().delete(label, ids);
  }
  get(label: string, id: string): Promise<Rec | null> {
    return this.bound().get(label, id);
  }
  find(
    label: string,
    filters?: Record<string, string | string[]>,
    opts?: { limit?: number },
  ): Promise<Rec[]> {
    return this.bound().find(label, filters, opts);
  }
  count(label: string, filters?: Record<string, string | string[]>): Promise<number> {
    return this.bound().count(label, filters);
  }

  transaction<T>(fn: (tx: TransactionContext) => Promise<T>, opts?: WriteOptions): Promise<T> {
    return this.write.run(this.actor(opts), (tx) => fn(this.write.context(tx, false)));
  }

  as(opts: WriteOptions): ObjectsApi {
    return this.bound(opts);
  }
}
