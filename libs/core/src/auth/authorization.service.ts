import type { DataSource, EntityManager } from 'typeorm';
import {
  PermissionDeniedError,
  RequestContext,
  ValidationError,
  sql,
  type AuthUser,
  type Authorization,
  type ModelMeta,
  type PermissionAction,
  type Sql,
} from '@plinth/plugin-sdk';
import type { ModelRegistry } from '../models/model-registry';
import type { FilterEngine, QueryParams } from '../query/filter-engine';
import { executor } from '../query/query-engine';

interface PermissionRow {
  actions: string[];
  object_types: string[];
  constraints: Record<string, unknown> | Record<string, unknown>[] | null;
}

const ACTION_VERB: Record<PermissionAction, string> = {
  view: 'view',
  add: 'add',
  change: 'change',
  delete: 'delete',
  run: 'run',
  approve: 'approve',
};

/**
 * The one authorization service. Superusers may do everything; other users get what their
 * enabled ObjectPermissions (directly or through groups) grant, per model and action, narrowed by
 * the permissions' constraints (filter parameters of the model's list endpoint, compiled by the
 * filter engine into SQL). REST, GraphQL, UI and CLI all ask it.
 */
export class AuthorizationService implements Authorization {
  /** Permissions per user for the current request (requests are short; no cross-request cache). */
  private readonly perRequest = new WeakMap<object, Map<string, Promise<PermissionRow[]>>>();

  constructor(
    private readonly ds: DataSource,
    private readonly models: ModelRegistry,
    private readonly filters: FilterEngine,
  ) {}

  private permissions(user: AuthUser, manager?: EntityManager): Promise<PermissionRow[]> {
    const state = RequestContext.current();
    const load = async (): Promise<PermissionRow[]> =>
      (await (manager ?? this.ds.manager).query(
        `SELECT p.actions, p.object_types, p.constraints
           FROM core_objectpermission p
          WHERE p.enabled
            AND (EXISTS (SELECT 1 FROM core_objectpermission_users pu
                          WHERE pu.objectpermission_id = p.id AND pu.user_id = $1)
                 OR EXISTS (SELECT 1 FROM core_objectpermission_groups pg
                              JOIN core_user_groups ug ON ug.group_id = pg.group_id
                             WHERE pg.objectpermission_id = p.id AND ug.user_id = $1))`,
        [user.id],
      )) as PermissionRow[];
    if (!state) return load();
    let cache = this.perRequest.get(state);
    if (!cache) {
      cache = new Map();
      this.perRequest.set(state, cache);
    }
    let p = cache.get(user.id);
    if (!p) {
      p = load();
      cache.set(user.id, p);
    }
    return p;
  }

  private async relevant(
    user: AuthUser,
    action: PermissionAction,
    label: string,
    manager?: EntityManager,
  ): Promise<PermissionRow[]> {
    const perms = await this.permissions(user, manager);
    return perms.filter((p) => p.actions.includes(action) && p.object_types.includes(label));
  }

  async can(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    if (!user || !user.is_active) return false;
    if (user.is_superuser) return true;
    // Objects with an owner (API tokens): every user manages their own, and only those (see scope).
    if (this.models.get(label)?.definition.owner_field) return true;
    return (await this.relevant(user, action, label, manager)).length > 0;
  }

  async assert(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    manager?: EntityManager,
  ): Promise<void> {
    if (!(await this.can(user, action, label, manager))) {
      const model = this.models.get(label);
      throw new PermissionDeniedError(
        `You do not have permission to ${ACTION_VERB[action]} ${model ? model.verbose_name_plural : label}.`,
      );
    }
  }

  async scope(
    user: AuthUser | null,
    action: PermissionAction,
    label: string,
    alias: Sql,
    manager?: EntityManager,
  ): Promise<Sql | null> {
    await this.assert(user, action, label, manager);
    if (user!.is_superuser) return null;
    const model = this.models.require(label);
    const owned = this.ownerCondition(model, user!, alias);
    if (owned) return owned;
    const perms = await this.relevant(user!, action, label, manager);
    if (perms.some((p) => p.constraints === null || isEmptyConstraint(p.constraints))) return null;
    const db = executor(manager ?? this.ds.manager);
    const conds: Sql[] = [];
    for (const p of perms) {
      const sets = Array.isArray(p.constraints) ? p.constraints : [p.constraints!];
      for (const set of sets) {
        try {
          conds.push(await this.filters.compile(model, toParams(set), alias, db));
        } catch (e) {
          // A broken constraint grants nothing rather than everything.
          if (e instanceof ValidationError) conds.push(sql.raw('FALSE'));
          else throw e;
        }
      }
    }
    return sql.or(conds);
  }

  /**
   * Models with an owner (API tokens, Nautobot's rule): a user other than a superuser sees and
   * writes their own objects only, whatever object permissions they hold (a token for someone
   * else would be their account).
   */
  private ownerCondition(model: ModelMeta, user: AuthUser, alias: Sql): Sql | null {
    const name = model.definition.owner_field;
    const field = name ? model.field(name) : undefined;
    if (!field?.column) return null;
    return sql`${alias}.${sql.ident(field.column)} = ${user.id}::uuid`;
  }
}

function isEmptyConstraint(c: Record<string, unknown> | Record<string, unknown>[]): boolean {
  return Array.isArray(c)
    ? c.length === 0 || c.every((x) => Object.keys(x).length === 0)
    : Object.keys(c).length === 0;
}

function toParams(set: Record<string, unknown>): QueryParams {
  const params: QueryParams = {};
  for (const [k, v] of Object.entries(set)) {
    params[k] = (Array.isArray(v) ? v : [v]).map((x) => (x === null ? 'null' : String(x)));
  }
  return params;
}
