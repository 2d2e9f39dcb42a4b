import { randomUUID } from 'node:crypto';
import { validate as classValidate } from 'class-validator';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import {
  ErrorCollector,
  NotFoundError,
  PermissionDeniedError,
  ProtectedError,
  ValidationError,
  isRelation,
  sql,
  type AuthUser,
  type ChangeSource,
  type CustomValidator,
  type CreateOptions,
  type CustomValidatorContext,
  type FieldErrors,
  type FieldMeta,
  type FilterParams,
  type ModelHooks,
  type ModelMeta,
  type ModelTarget,
  type UpdateOptions,
  labelOf,
  type ObjectsApi,
  type Rec,
  type Registry,
  type RuleContext,
  type Sql,
  type TransactionContext,
  validatorApplies,
} from '@plinth/plugin-sdk';
import type { AuthorizationService } from '../auth/authorization.service';
import { recordChanges, type ChangeEntry, type ChangeEvent, type ChangeEvents } from '../changelog/changelog';
import type { EventOutbox } from '../events/outbox';
import type { ModelRegistry } from '../models/model-registry';
import { snapshot, timestampParam, toDbValue, type StoredRecord } from '../models/values';
import { toQueryParams } from '../read/read-service';
import { executor, sqlRunner, type QueryEngine, type Row } from '../query/query-engine';
import { displayOf, type Serializer } from '../serialize/serializer';
import { defaultValue, parseItem, type InputMode, type ParsedItem } from './input';
import { ReferenceResolver, type ReferenceScope } from './references';
import { UniqueChecker } from './unique';
import { memoizeConstraintLookup } from './class-constraints';

/** ObjectsApi as core implements it: records of any model. */
interface UntypedObjectsApi {
  create(model: ModelTarget<unknown>, data: readonly Rec[], opts?: CreateOptions): Promise<Rec[]>;
  update(model: ModelTarget<unknown>, changes: readonly Rec[], opts?: UpdateOptions): Promise<StoredRecord[]>;
  delete(model: ModelTarget<unknown>, ids: readonly string[]): Promise<void>;
  get(model: ModelTarget<unknown>, id: string): Promise<StoredRecord | null>;
  find(
    model: ModelTarget<unknown>,
    filters?: FilterParams,
    opts?: { limit?: number },
  ): Promise<StoredRecord[]>;
  count(model: ModelTarget<unknown>, filters?: FilterParams): Promise<number>;
}

/** Who writes, and whether their permissions are checked. */
export interface WriteActor {
  user: AuthUser | null;
  source: ChangeSource;
  request_id: string;
  /** Check object permissions (top-level writes by users); nested writes from hooks are trusted. */
  enforce: boolean;
}

/** One open transaction of the write path. */
export interface TxState {
  manager: EntityManager;
  actor: WriteActor;
  events: ChangeEvent[];
  /** Values to add to API responses for this write only (see RuleContext.respond). */
  extras: Map<string, Rec>;
}

export interface CreateResult {
  ids: string[];
}

const MAX_BIND_PARAMS = 30_000;
/** Rows a statement writes as arrays (`sql.unnest`): bounds the size of one statement. */
const UNNEST_ROWS = 10_000;

/** A column of a model's table, where a record keeps its value, and its SQL type (for casts). */
interface TableColumn {
  column: string;
  field?: FieldMeta;
  key: string;
  type: string;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return new Date(a as Date).getTime() === new Date(b as Date).getTime();
  }
  if (Array.isArray(a) && Array.isArray(b))
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  if (typeof a === 'object' && a !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** One object of a write on its way through validation. */
interface PendingObject {
  ctx: RuleContext;
  item: ParsedItem;
  changed: Set<string>;
}

/** A cell of an INSERT that leaves the column to its database default. */
const DEFAULT = sql.raw('DEFAULT');

/**
 * The one write path. Every create, update and delete — REST, UI, CSV import, jobs, CLI,
 * plugins — goes: parse -> resolve references -> field checks (class-validator) -> model rules
 * -> custom validators -> one transaction with the rows and their ObjectChange records ->
 * commit -> dispatch change events.
 */
export class WriteService {
  private readonly refs: ReferenceResolver;
  private readonly unique: UniqueChecker;
  private readonly tableColumns = new Map<string, TableColumn[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelRegistry,
    private readonly queries: QueryEngine,
    private readonly serializer: Serializer,
    private readonly authz: AuthorizationService,
    private readonly validators: Registry<CustomValidator>,
    private readonly events: ChangeEvents,
    private readonly outbox: EventOutbox,
  ) {
    this.refs = new ReferenceResolver(models, queries);
    this.unique = new UniqueChecker(dataSource, models);
    memoizeConstraintLookup();
  }

  /** Run `fn` in a transaction (or inside `outer`, when nested); events go out after commit. */
  async run<T>(actor: WriteActor, fn: (tx: TxState) => Promise<T>, outer?: TxState): Promise<T> {
    if (outer) return fn(outer);
    let state: TxState | undefined;
    let outboxIds: string[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      state = { manager, actor, events: [], extras: new Map() };
      const value = await fn(state);
      // The transactional outbox: event subscribers' (and so webhooks') share of the changes
      // commits or rolls back with them.
      outboxIds = await this.outbox.record(manager, state.events);
      return value;
    });
    this.events.dispatch(state!.events);
    this.outbox.wake(outboxIds);
    return result;
  }

  /**
   * The TransactionContext for code running inside a transaction. Hooks and rules get a trusted
   * one (their nested writes skip permission checks, as Nautobot's signal handlers do).
   */
  context(tx: TxState, trusted = true): TransactionContext {
    const nested: TxState = trusted ? { ...tx, actor: { ...tx.actor, enforce: false } } : tx;
    return {
      manager: tx.manager,
      ...sqlRunner(tx.manager),
      user: tx.actor.user,
      request_id: tx.actor.request_id,
      source: tx.actor.source,
      objects: this.api(nested),
      models: this.models,
    };
  }

  /**
   * ObjectsApi bound to an open transaction. Records are typed per model in the SDK; here every
   * model is handled alike (the one cast from StoredRecord to the caller's RecordOf<E>).
   */
  api(tx: TxState): ObjectsApi {
    const model = (target: ModelTarget<unknown>): ModelMeta => this.models.require(labelOf(target));
    const api: UntypedObjectsApi = {
      create: async (target, data, opts) => {
        const m = model(target);
        const { ids } = await this.create(m, [...data], tx);
        if (opts?.returning === 'ids') return ids.map((id) => ({ id }));
        const recs = await this.recordsById(m, ids, tx.manager);
        return recs.map((r) => ({ ...r, ...(tx.extras.get(r.id) ?? {}) }));
      },
      update: async (target, changes, opts) => {
        const m = model(target);
        const ids = await this.update(
          m,
          changes.map((c) => ({ id: String(c.id), data: c })),
          opts?.partial ?? true,
          tx,
          { allowReadOnly: opts?.allow_read_only },
        );
        return this.recordsById(m, ids, tx.manager);
      },
      delete: async (target, ids) => {
        await this.delete(model(target), [...ids], tx);
      },
      get: async (target, id) => (await this.recordsById(model(target), [id], tx.manager))[0] ?? null,
      find: (target, filters, opts) => this.find(model(target), filters ?? {}, opts?.limit, tx.manager),
      count: async (target, filters) => {
        const params = toQueryParams(filters);
        const { count } = await this.queries.list(model(target), { params, limit: 1, offset: 0 }, tx.manager);
        return count;
      },
    };
    return api as ObjectsApi;
  }

  async find(
    model: ModelMeta,
    filters: FilterParams,
    limit: number | undefined,
    manager: EntityManager,
  ): Promise<StoredRecord[]> {
    const { rows } = await this.queries.list(
      model,
      { params: toQueryParams(filters), limit: limit ?? 1_000_000, offset: 0, withoutCount: true },
      manager,
    );
    return this.serializer.records(model, rows, manager);
  }

  async recordsById(model: ModelMeta, ids: string[], manager: EntityManager): Promise<StoredRecord[]> {
    const rows = await this.queries.byIds(model, ids, manager);
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
    return this.serializer.records(model, rows, manager);
  }

  /** What a writer's references may resolve to: the objects they may view (trusted writes: all). */
  private referenceScope(tx: TxState): ReferenceScope {
    if (!tx.actor.enforce) return () => Promise.resolve(null);
    const user = tx.actor.user;
    return async (target, alias) => {
      let scope: Sql | null | false;
      try {
        scope = await this.authz.scope(user, 'view', target.label, alias, tx.manager);
      } catch (e) {
        if (e instanceof PermissionDeniedError) scope = false;
        else throw e;
      }
      // Everyone may name themselves (their own API tokens), whatever they may view of users.
      if (scope !== null && user && target.label === 'users.user') {
        const self = sql`${alias}."id" = ${user.id}::uuid`;
        return scope === false ? self : sql.or([scope, self]);
      }
      return scope;
    };
  }

  // ---------------------------------------------------------------- create

  async create(model: ModelMeta, inputs: unknown[], tx: TxState): Promise<CreateResult> {
    this.assertWritable(model);
    if (tx.actor.enforce) await this.authz.assert(tx.actor.user, 'add', model.label, tx.manager);
    const items = inputs.map((raw) => this.parse(model, raw, 'create'));
    await this.refs.resolveBatch(items, tx.manager, this.referenceScope(tx));
    await this.refs.checkLimits(model, items, tx.manager);

    const records: StoredRecord[] = items.map((item) => {
      const rec: StoredRecord = { id: randomUUID() };
      for (const f of model.fields) {
        if (f.name === 'id') continue;
        rec[f.name] = f.name in item.values ? item.values[f.name] : defaultValue(f);
      }
      return rec;
    });
    const submitted = items.map((item) => new Set([...Object.keys(item.values)]));
    const txCtx = this.context(tx);
    await this.validateAll(
      model,
      items.map((item, i) => this.pending(model, 'create', records[i], null, submitted[i], item, tx, txCtx)),
      tx,
    );
    await this.unique.check(model, records, items, tx.manager);
    this.throwIfErrors(items);

    const now = new Date();
    for (const r of records) {
      r.created = now;
      r.last_updated = now;
    }
    await this.insertRows(model, records, tx.manager);
    await this.writeM2m(model, records, null, tx.manager);
    await this.saveSources(model, 'create', records, null, tx);
    const ids = records.map((r) => String(r.id));
    for (const hooks of this.hooksOf(model))
      await hooks.afterCreate?.({ model, records, tx: this.context(tx) });
    if (tx.actor.enforce) await this.assertInScope(model, 'add', ids, tx);
    await this.log(model, 'create', ids, null, tx, now);
    return { ids };
  }

  // ---------------------------------------------------------------- update

  async update(
    model: ModelMeta,
    changes: { id: string; data: unknown }[],
    partial: boolean,
    tx: TxState,
    opts: { allowReadOnly?: boolean } = {},
  ): Promise<string[]> {
    this.assertWritable(model);
    const ids = changes.map((c) => c.id);
    const before = await this.loadForWrite(model, ids, 'change', tx, changes.length > 1);
    const items = changes.map((c) =>
      this.parse(model, c.data, partial ? 'partial' : 'update', opts.allowReadOnly),
    );
    await this.refs.resolveBatch(items, tx.manager, this.referenceScope(tx));
    await this.refs.checkLimits(model, items, tx.manager);

    const records = items.map((item, i) => ({ ...before[i], ...item.values }));
    const txCtx = this.context(tx);
    const pending = items.map((item, i) => {
      const changed = new Set(Object.keys(item.values).filter((k) => !same(item.values[k], before[i][k])));
      return this.pending(model, 'update', records[i], before[i], changed, item, tx, txCtx);
    });
    await this.validateAll(model, pending, tx);
    await this.unique.check(model, records, items, tx.manager);
    this.throwIfErrors(items);

    const now = new Date();
    for (const r of records) r.last_updated = now;
    await this.updateRows(model, records, before, tx.manager);
    await this.writeM2m(model, records, before, tx.manager);
    await this.saveSources(model, 'update', records, before, tx);
    for (const hooks of this.hooksOf(model))
      await hooks.afterUpdate?.({ model, records, before, tx: this.context(tx) });
    if (tx.actor.enforce) await this.assertInScope(model, 'change', ids, tx);
    await this.log(model, 'update', ids, before, tx, now);
    return ids;
  }

  // ---------------------------------------------------------------- delete

  async delete(model: ModelMeta, ids: string[], tx: TxState): Promise<void> {
    this.assertWritable(model);
    if (ids.length === 0) return;
    const rows = await this.loadRows(model, ids, 'delete', tx);
    const before = await this.serializer.records(model, rows, tx.manager);
    await this.checkProtected(model, ids, tx.manager);
    // Cascaded children go through the write path too: checked, hooked and change-logged.
    for (const rel of model.reverse_relations) {
      if (rel.field.kind !== 'fk' || rel.field.on_delete !== 'CASCADE' || rel.model === model) continue;
      const children = await executor(tx.manager)(
        sql`SELECT "id" FROM ${sql.ident(rel.model.table)} WHERE ${sql.ident(rel.field.column)} = ANY(${ids}::uuid[])`,
      );
      if (children.length) {
        await this.delete(
          rel.model,
          children.map((c) => String(c.id)),
          { ...tx, actor: { ...tx.actor, enforce: false } },
        );
      }
    }
    await this.deleteTreeChildren(model, ids, tx);
    for (const hooks of this.hooksOf(model))
      await hooks.beforeDelete?.({ model, records: before, tx: this.context(tx) });
    await this.detach(model, ids, tx.manager);
    const now = new Date();
    const entries = rows.map((row, i) => this.entry(model, 'delete', row, before[i], null));
    try {
      await executor(tx.manager)(sql`DELETE FROM ${sql.ident(model.table)} WHERE "id" = ANY(${ids}::uuid[])`);
    } catch (e) {
      throw this.mapDbError(model, e);
    }
    tx.events.push(...(await recordChanges(tx.manager, this.actorOf(tx), entries, now)));
  }

  /**
   * Before rows go: drop their many-to-many links (both directions) and null SET_NULL
   * references, in the application, so relations across plugins (label targets, which have no
   * database constraint of their own) behave like the ones the database enforces.
   */
  private async detach(model: ModelMeta, ids: string[], manager: EntityManager): Promise<void> {
    const db = executor(manager);
    const idList = sql`ANY(${ids}::uuid[])`;
    for (const f of model.fields) {
      if (f.kind !== 'm2m') continue;
      const th = f.through;
      const disc = th.discriminator ? sql` AND ${sql.ident(th.discriminator)} = ${model.label}` : sql.empty;
      await db(sql`DELETE FROM ${sql.ident(th.table)} WHERE ${sql.ident(th.source)} = ${idList}${disc}`);
    }
    for (const rel of model.reverse_relations) {
      if (rel.field.kind === 'm2m') {
        const th = rel.field.through;
        const disc = th.discriminator
          ? sql` AND ${sql.ident(th.discriminator)} = ${rel.model.label}`
          : sql.empty;
        await db(sql`DELETE FROM ${sql.ident(th.table)} WHERE ${sql.ident(th.target)} = ${idList}${disc}`);
      } else if (rel.field.on_delete === 'SET_NULL') {
        await db(
          sql`UPDATE ${sql.ident(rel.model.table)} SET ${sql.ident(rel.field.column)} = NULL WHERE ${sql.ident(rel.field.column)} = ${idList}`,
        );
      }
    }
  }

  /** Self-referencing CASCADE relations (tree children) are deleted depth-first. */
  private async deleteTreeChildren(model: ModelMeta, ids: string[], tx: TxState): Promise<void> {
    for (const rel of model.reverse_relations) {
      if (rel.model !== model || rel.field.kind !== 'fk' || rel.field.on_delete !== 'CASCADE') continue;
      const children = await executor(tx.manager)(
        sql`SELECT "id" FROM ${sql.ident(model.table)} WHERE ${sql.ident(rel.field.column)} = ANY(${ids}::uuid[]) AND NOT ("id" = ANY(${ids}::uuid[]))`,
      );
      if (children.length) {
        await this.delete(
          model,
          children.map((c) => String(c.id)),
          { ...tx, actor: { ...tx.actor, enforce: false } },
        );
      }
    }
  }

  private async checkProtected(model: ModelMeta, ids: string[], manager: EntityManager): Promise<void> {
    const dependents: { object_type: string; id: string; display: string }[] = [];
    let total = 0;
    for (const rel of model.reverse_relations) {
      if (rel.field.kind !== 'fk' || rel.field.on_delete !== 'PROTECT') continue;
      const a = sql.ident('t');
      const where = sql`${a}.${sql.ident(rel.field.column)} = ANY(${ids}::uuid[])${rel.model === model ? sql` AND NOT (${a}."id" = ANY(${ids}::uuid[]))` : sql.empty}`;
      const rows = await executor(manager)(
        sql`SELECT ${this.queries.selectList(rel.model, a)}, count(*) OVER () AS "__total" FROM ${sql.ident(rel.model.table)} ${a} WHERE ${where} LIMIT 20`,
      );
      if (rows.length === 0) continue;
      total += Number(rows[0].__total);
      for (const r of rows)
        dependents.push({ object_type: rel.model.label, id: String(r.id), display: displayOf(rel.model, r) });
    }
    if (dependents.length) {
      const listed = dependents.map((d) => `${d.display} (${d.object_type})`).join(', ');
      throw new ProtectedError(
        `Unable to delete ${model.verbose_name}: ${total} dependent object${total === 1 ? '' : 's'} would be left without it: ${listed}${total > dependents.length ? ', ...' : ''}`,
        dependents,
      );
    }
  }

  // ---------------------------------------------------------------- shared steps

  /** The model's own hooks, then those of its features and of plugins extending it. */
  private hooksOf(model: ModelMeta): ModelHooks[] {
    return model.definition.hooks
      ? [model.definition.hooks, ...model.extension_hooks]
      : [...model.extension_hooks];
  }

  private assertWritable(model: ModelMeta): void {
    if (model.read_only)
      throw new ValidationError({ __all__: [`${model.verbose_name_plural} are read-only.`] });
  }

  private parse(model: ModelMeta, raw: unknown, mode: InputMode, allowReadOnly = false): ParsedItem {
    return parseItem(
      model,
      raw,
      mode,
      (f) => this.models.targetOf(f),
      (f) => this.models.contentTypesFor(f),
      allowReadOnly,
    );
  }

  private throwIfErrors(items: ParsedItem[]): void {
    if (items.every((i) => i.errors.empty)) return;
    throw new ValidationError(
      items.length === 1 ? items[0].errors.errors : items.map((i) => i.errors.errors as FieldErrors),
    );
  }

  /**
   * One object of a write awaiting validation, with its rule context (errors go to its item);
   * the objects of a write share one transaction context.
   */
  private pending(
    model: ModelMeta,
    action: 'create' | 'update',
    record: StoredRecord,
    before: StoredRecord | null,
    changed: Set<string>,
    item: ParsedItem,
    tx: TxState,
    txCtx: TransactionContext,
  ): PendingObject {
    const ctx: RuleContext = {
      action,
      model,
      record,
      before,
      changed: (field) => changed.has(field),
      error: (field, message) => item.errors.add(field, message),
      errors: item.errors,
      tx: txCtx,
      respond: (field, value) => {
        const id = String(record.id);
        tx.extras.set(id, { ...(tx.extras.get(id) ?? {}), [field]: value });
      },
    };
    return { ctx, item, changed };
  }

  /**
   * Validate every object of a write: the set-based preparation (`prepareMany`) once for the
   * batch, each object's own steps, then the batch rules over the objects still valid.
   */
  private async validateAll(model: ModelMeta, objects: PendingObject[], tx: TxState): Promise<void> {
    const valid = () => objects.filter((o) => o.item.errors.empty).map((o) => o.ctx);
    for (const hooks of this.hooksOf(model)) {
      const batch = valid();
      if (hooks.prepareMany && batch.length) await hooks.prepareMany(batch);
    }
    for (const o of objects) await this.validate(model, o, tx);
    for (const rule of model.definition.batch_rules ?? []) {
      const batch = valid();
      if (batch.length) await rule(batch);
    }
    await this.runCustomValidators(model, objects, tx);
  }

  /**
   * Custom validators, last, over the objects the model's own checks accepted (every validator
   * sees the same objects, as each object's validators all ran before): a batch validator once
   * for the write, an object validator per object.
   */
  private async runCustomValidators(model: ModelMeta, objects: PendingObject[], tx: TxState): Promise<void> {
    if (!model.has('custom_validators')) return;
    const accepted = objects.filter((o) => o.item.errors.empty);
    if (accepted.length === 0) return;
    const contexts: CustomValidatorContext[] = accepted.map(({ ctx, item }) => ({
      action: ctx.action,
      model,
      object: ctx.record,
      before: ctx.before,
      user: tx.actor.user,
      changed: ctx.changed,
      tx: ctx.tx,
      error: (field, message) => item.errors.add(field, message),
    }));
    for (const v of this.validators.items()) {
      if (!validatorApplies(v, model.label)) continue;
      if (v.validateMany) await v.validateMany(contexts);
      else if (v.validate) for (const c of contexts) await v.validate(c);
      else throw new Error(`a custom validator of ${String(v.model)} has neither validate nor validateMany`);
    }
  }

  private async validate(
    model: ModelMeta,
    { ctx, item, changed }: PendingObject,
    tx: TxState,
  ): Promise<void> {
    if (!item.errors.empty) return;
    const { action, record, before } = ctx;
    const txCtx = ctx.tx;
    for (const hooks of this.hooksOf(model)) await hooks.prepare?.(ctx);
    for (const f of model.fields) {
      const v = record[f.name];
      if (!f.validate || v === null || v === undefined) continue;
      const msg = f.validate(v, { record, action });
      for (const m of Array.isArray(msg) ? msg : msg ? [msg] : []) item.errors.add(f.name, m);
    }
    await this.classValidate(model, record, item.errors);
    if (action === 'update') await this.checkTreeParent(model, record, changed, item.errors, tx.manager);
    await this.validateSources(model, action, record, before, changed, item, txCtx, this.referenceScope(tx));
    if (!item.errors.empty) return;
    for (const rule of model.definition.rules ?? []) await rule(ctx);
  }

  /**
   * Field sources' values (custom fields, relationships, plugin fields): checked, normalised and
   * defaulted by their source, then kept in the record under the source's name (so rules and
   * validators see them, and column-backed ones are written with the row).
   */
  private async validateSources(
    model: ModelMeta,
    action: 'create' | 'update',
    record: StoredRecord,
    before: StoredRecord | null,
    changed: Set<string>,
    item: ParsedItem,
    tx: TransactionContext,
    scope: ReferenceScope,
  ): Promise<void> {
    const visible = (label: string) => scope(this.models.require(label), sql.ident('t'));
    for (const s of model.sources) {
      if (!s.column && !s.save) continue;
      const submitted = item.sources.has(s.name);
      if (!submitted && action === 'update') continue;
      let value = item.sources.get(s.name);
      await s.validate?.({
        action,
        model,
        record,
        before: before?.[s.name],
        value,
        submitted,
        set: (v) => (value = v),
        error: (field, message) => item.errors.add(field, message),
        tx,
        visible,
      });
      if (value === undefined) continue;
      record[s.name] = value;
      if (!before || !same(value, before[s.name])) changed.add(s.name);
    }
  }

  /** Values of sources kept outside the model's table, stored once its rows are written. */
  private async saveSources(
    model: ModelMeta,
    action: 'create' | 'update',
    records: readonly StoredRecord[],
    before: readonly StoredRecord[] | null,
    tx: TxState,
  ): Promise<void> {
    for (const s of model.sources) {
      if (!s.save || s.column) continue;
      const writes = records.flatMap((r, i) =>
        r[s.name] === undefined || (before && same(r[s.name], before[i][s.name]))
          ? []
          : [{ action, id: r.id, value: r[s.name], before: before?.[i][s.name] }],
      );
      if (writes.length) await s.save(writes, this.context(tx));
    }
  }

  /**
   * A tree model's parent may not be the object itself or one of its descendants (that would
   * make a cycle, which every ancestor/descendant query would follow forever). New objects have
   * no descendants, so only updates are checked.
   */
  private async checkTreeParent(
    model: ModelMeta,
    record: Rec,
    changed: Set<string>,
    errors: ErrorCollector,
    manager: EntityManager,
  ): Promise<void> {
    const name = model.definition.tree_parent;
    const field = name ? model.field(name) : undefined;
    if (!field?.column || !changed.has(field.name) || !record[field.name]) return;
    const col = sql.ident(field.column);
    const table = sql.ident(model.table);
    const rows = await executor(manager)(
      sql`WITH RECURSIVE up(id, parent) AS (SELECT "id", ${col} FROM ${table} WHERE "id" = ${record[field.name]}::uuid UNION SELECT p."id", p.${col} FROM ${table} p JOIN up ON p."id" = up.parent) SELECT 1 FROM up WHERE id = ${record.id}::uuid LIMIT 1`,
    );
    if (rows.length)
      errors.add(
        field.name,
        `Cannot assign the ${model.verbose_name} itself or one of its descendants as its ${field.label.toLowerCase()}.`,
      );
  }

  /** Constraints declared with class-validator on the entity (Plinth's own and the author's). */
  private async classValidate(model: ModelMeta, record: Rec, errors: ErrorCollector): Promise<void> {
    const instance = Object.create(model.entity.prototype as object) as Record<string, unknown>;
    for (const f of model.fields) if (f.kind !== 'fk' && f.kind !== 'm2m') instance[f.name] = record[f.name];
    const result = await classValidate(instance, {
      forbidUnknownValues: false,
      skipUndefinedProperties: true,
    });
    for (const err of result) {
      for (const message of Object.values(err.constraints ?? {})) errors.add(err.property, message);
    }
  }

  private async loadRows(
    model: ModelMeta,
    ids: string[],
    action: 'change' | 'delete',
    tx: TxState,
  ): Promise<Row[]> {
    for (const id of ids) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError();
    }
    const alias = sql.ident('t');
    const scope = tx.actor.enforce
      ? await this.authz.scope(tx.actor.user, action, model.label, alias, tx.manager)
      : null;
    const cond = sql`${alias}."id" = ANY(${ids}::uuid[])`;
    const rows = await executor(tx.manager)(
      sql`SELECT ${this.queries.selectList(model, alias)} FROM ${sql.ident(model.table)} ${alias} WHERE ${scope ? sql.and([cond, scope]) : cond} FOR UPDATE OF ${alias}`,
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const missing = ids.filter((id) => !byId.has(id.toLowerCase()));
    if (missing.length) {
      if (ids.length === 1) throw new NotFoundError();
      throw new ValidationError(
        ids.map((id) =>
          byId.has(id.toLowerCase()) ? ({} as FieldErrors) : { id: [`Object ${id} not found.`] },
        ),
      );
    }
    return ids.map((id) => byId.get(id.toLowerCase())!);
  }

  private async loadForWrite(
    model: ModelMeta,
    ids: string[],
    action: 'change' | 'delete',
    tx: TxState,
    bulk: boolean,
  ): Promise<StoredRecord[]> {
    if (bulk && ids.some((id) => !id || id === 'undefined')) {
      throw new ValidationError(
        ids.map((id) =>
          id && id !== 'undefined' ? ({} as FieldErrors) : { id: ['This field is required.'] },
        ),
      );
    }
    const rows = await this.loadRows(model, ids, action, tx);
    return this.serializer.records(model, rows, tx.manager);
  }

  /**
   * The table's columns and where a record keeps each value: a declared field, a column-backed
   * source (under the source's name), or another entity column (under its property name).
   */
  private columnsFor(model: ModelMeta): TableColumn[] {
    const cached = this.tableColumns.get(model.label);
    if (cached) return cached;
    const meta = this.dataSource.getMetadata(model.entity);
    const fieldCols = new Map(model.fields.filter((f) => f.column).map((f) => [f.column, f]));
    const sourceCols = new Map(model.sources.filter((s) => s.column).map((s) => [s.column, s.name]));
    const columns = meta.columns
      .filter((c) => !c.relationMetadata || fieldCols.has(c.databaseName))
      .map((c) => {
        const field = fieldCols.get(c.databaseName);
        const key = field?.name ?? sourceCols.get(c.databaseName) ?? c.propertyName;
        const type = `${this.dataSource.driver.normalizeType(c)}${c.isArray ? '[]' : ''}`;
        return { column: c.databaseName, field, key, type };
      })
      .filter((c, i, all) => all.findIndex((x) => x.column === c.column) === i);
    this.tableColumns.set(model.label, columns);
    return columns;
  }

  private rowValue(col: { field?: FieldMeta; key: string }, rec: Rec): unknown {
    if (col.field) {
      const v = toDbValue(col.field, rec[col.field.name]);
      return v instanceof Date ? timestampParam(v) : v;
    }
    const v = rec[col.key];
    return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  }

  private async insertRows(model: ModelMeta, records: Rec[], manager: EntityManager): Promise<void> {
    const cols = this.columnsFor(model).filter((c) => c.field || records.some((r) => r[c.key] !== undefined));
    const colList = sql.raw(cols.map((c) => `"${c.column}"`).join(', '));
    // One array per column (see sql.unnest); array columns and cells left to their default
    // have no such form and keep a VALUES list.
    const unnest = cols.every(
      (c) => !c.type.endsWith('[]') && (c.field || records.every((r) => r[c.key] !== undefined)),
    );
    const perStatement = unnest ? UNNEST_ROWS : Math.max(1, Math.floor(MAX_BIND_PARAMS / cols.length));
    const cell = (c: (typeof cols)[number], r: Rec): unknown =>
      !c.field && r[c.key] === undefined ? DEFAULT : this.rowValue(c, r);
    for (let i = 0; i < records.length; i += perStatement) {
      const chunk = records.slice(i, i + perStatement);
      const rows = unnest
        ? sql`SELECT * FROM ${sql.unnest(
            cols.map((c) => chunk.map((r) => this.rowValue(c, r))),
            cols.map((c) => c.type),
          )}`
        : sql`VALUES ${sql.rows(chunk.map((r) => cols.map((c) => cell(c, r))))}`;
      try {
        await executor(manager)(sql`INSERT INTO ${sql.ident(model.table)} (${colList}) ${rows}`);
      } catch (e) {
        throw this.mapDbError(model, e);
      }
    }
  }

  /** The columns an update writes: what changed, and always last_updated. */
  private changedColumns(model: ModelMeta, rec: Rec, before: Rec): TableColumn[] {
    return this.columnsFor(model).filter((c) => {
      if (c.field) {
        if (c.field.name === 'id' || c.field.name === 'created') return false;
        return c.field.name === 'last_updated' || !same(rec[c.field.name], before[c.field.name]);
      }
      return rec[c.key] !== undefined && !same(rec[c.key], before[c.key]);
    });
  }

  /**
   * Writes a write's updated rows: records that change the same columns share one
   * `UPDATE ... FROM (VALUES ...)` (bulk edits, and the rows rules update alike, such as the ends
   * of a batch of cables), a record alone gets its own UPDATE.
   */
  private async updateRows(
    model: ModelMeta,
    records: Rec[],
    before: Rec[],
    manager: EntityManager,
  ): Promise<void> {
    const groups = new Map<string, { columns: TableColumn[]; records: Rec[] }>();
    records.forEach((rec, i) => {
      const columns = this.changedColumns(model, rec, before[i]);
      const key = columns.map((c) => c.column).join(',');
      const group = groups.get(key);
      if (group) group.records.push(rec);
      else groups.set(key, { columns, records: [rec] });
    });
    const table = sql.ident(model.table);
    for (const { columns, records: group } of groups.values()) {
      const sets = (from: (c: TableColumn) => Sql): Sql =>
        sql.join(columns.map((c) => sql`${sql.ident(c.column)} = ${from(c)}`));
      // The same object twice in one write keeps the later values, which needs one UPDATE each.
      const single = group.length === 1 || new Set(group.map((r) => String(r.id))).size < group.length;
      const unnest = columns.every((c) => !c.type.endsWith('[]'));
      const perStatement = single
        ? 1
        : unnest
          ? UNNEST_ROWS
          : Math.max(1, Math.floor(MAX_BIND_PARAMS / (columns.length + 1)));
      for (let i = 0; i < group.length; i += perStatement) {
        const chunk = group.slice(i, i + perStatement);
        const statement =
          chunk.length === 1
            ? sql`UPDATE ${table} SET ${sets((c) => sql`${this.rowValue(c, chunk[0])}`)} WHERE "id" = ${chunk[0].id}::uuid`
            : sql`UPDATE ${table} SET ${sets((c) => sql`v.${sql.ident(c.column)}`)} FROM ${
                unnest
                  ? sql.unnest(
                      [chunk.map((r) => r.id), ...columns.map((c) => chunk.map((r) => this.rowValue(c, r)))],
                      ['uuid', ...columns.map((c) => c.type)],
                    )
                  : sql`(VALUES ${sql.rows(
                      chunk.map((r) => [r.id, ...columns.map((c) => this.rowValue(c, r))]),
                      ['uuid', ...columns.map((c) => c.type)],
                    )})`
              } AS v("id", ${sql.join(columns.map((c) => sql.ident(c.column)))}) WHERE ${table}."id" = v."id"`;
        try {
          await executor(manager)(statement);
        } catch (e) {
          throw this.mapDbError(model, e);
        }
      }
    }
  }

  private async writeM2m(
    model: ModelMeta,
    records: StoredRecord[],
    before: StoredRecord[] | null,
    manager: EntityManager,
  ): Promise<void> {
    for (const f of model.fields) {
      if (f.kind !== 'm2m') continue;
      const th = f.through;
      const disc = th.discriminator;
      const sources: unknown[] = [];
      const targets: string[] = [];
      const cleared: string[] = [];
      records.forEach((r, i) => {
        const ids = (r[f.name] as string[] | undefined) ?? [];
        if (before && same(ids, before[i][f.name] ?? [])) return;
        if (before) cleared.push(String(r.id));
        for (const id of ids) {
          sources.push(r.id);
          targets.push(id);
        }
      });
      const db = executor(manager);
      if (cleared.length) {
        await db(
          sql`DELETE FROM ${sql.ident(th.table)} WHERE ${sql.ident(th.source)} = ANY(${cleared}::uuid[])${disc ? sql` AND ${sql.ident(disc)} = ${model.label}` : sql.empty}`,
        );
      }
      const cols = disc
        ? sql`(${sql.ident(th.source)}, ${sql.ident(th.target)}, ${sql.ident(disc)})`
        : sql`(${sql.ident(th.source)}, ${sql.ident(th.target)})`;
      for (let i = 0; i < sources.length; i += UNNEST_ROWS) {
        const columns = [sources.slice(i, i + UNNEST_ROWS), targets.slice(i, i + UNNEST_ROWS)];
        if (disc) columns.push(columns[0].map(() => model.label));
        await db(
          sql`INSERT INTO ${sql.ident(th.table)} ${cols} SELECT * FROM ${sql.unnest(columns, disc ? ['uuid', 'uuid', 'text'] : ['uuid', 'uuid'])}`,
        );
      }
    }
  }

  /** Objects written by a user must lie within the user's permission constraints. */
  private async assertInScope(
    model: ModelMeta,
    action: 'add' | 'change',
    ids: string[],
    tx: TxState,
  ): Promise<void> {
    const alias = sql.ident('t');
    const scope = await this.authz.scope(tx.actor.user, action, model.label, alias, tx.manager);
    if (!scope) return;
    const rows = await executor(tx.manager)(
      sql`SELECT count(*) AS n FROM ${sql.ident(model.table)} ${alias} WHERE ${alias}."id" = ANY(${ids}::uuid[]) AND ${scope}`,
    );
    if (Number(rows[0].n) !== ids.length) {
      throw new PermissionDeniedError(
        `You do not have permission to ${action} these ${model.verbose_name_plural}.`,
      );
    }
  }

  private actorOf(tx: TxState): {
    user_id: string | null;
    user_name: string;
    request_id: string;
    source: ChangeSource;
  } {
    return {
      user_id: tx.actor.user?.id ?? null,
      user_name: tx.actor.user?.username ?? 'system',
      request_id: tx.actor.request_id,
      source: tx.actor.source,
    };
  }

  private entry(
    model: ModelMeta,
    action: 'create' | 'update' | 'delete',
    row: Row,
    before: Rec | null,
    after: Rec | null,
  ): ChangeEntry {
    const relField = model.definition.related_object
      ? model.field(model.definition.related_object)
      : undefined;
    const rec = after ?? before!;
    const relId = relField && isRelation(relField) ? (rec[relField.name] as string | null) : null;
    return {
      action,
      model,
      object_id: String(row.id),
      object_repr: displayOf(model, row),
      related_object_type:
        relField && isRelation(relField) && relId ? this.models.targetOf(relField).label : null,
      related_object_id: relId ?? null,
      prechange: before ? snapshot(model, before) : null,
      postchange: after ? snapshot(model, after) : null,
    };
  }

  /** Change log rows read back from the database, so snapshots hold exactly what was stored. */
  private async log(
    model: ModelMeta,
    action: 'create' | 'update',
    ids: string[],
    before: StoredRecord[] | null,
    tx: TxState,
    now: Date,
  ): Promise<void> {
    const rows = await this.queries.byIds(model, ids, tx.manager);
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    const ordered = ids.map((id) => byId.get(id)!);
    const after = await this.serializer.records(model, ordered, tx.manager);
    const entries = ordered.map((row, i) => this.entry(model, action, row, before?.[i] ?? null, after[i]));
    tx.events.push(...(await recordChanges(tx.manager, this.actorOf(tx), entries, now)));
  }

  /** Database constraint errors that slipped past validation (races) become 400/409. */
  mapDbError(model: ModelMeta, e: unknown): unknown {
    if (!(e instanceof QueryFailedError)) return e;
    const err = e.driverError as { code?: string; constraint?: string; detail?: string; column?: string };
    if (err.code === '23502') {
      const field = model.fields.find((f) => f.column === err.column);
      return new ValidationError({ [field?.name ?? '__all__']: ['This field is required.'] });
    }
    if (err.code === '23505') {
      const declared = err.constraint ? model.definition.constraint_messages?.[err.constraint] : undefined;
      if (declared) return new ValidationError({ [declared.field]: [declared.message] });
      const fields = this.unique.fieldsOfConstraint(model, err.constraint);
      const msg = `${capitalize(model.verbose_name)} with this ${fields.map((f) => f.label).join(' and ') || 'value'} already exists.`;
      return new ValidationError({ [fields[0]?.name ?? '__all__']: [msg] });
    }
    if (err.code === '23503') {
      return new ProtectedError(
        `Unable to complete: ${err.detail ?? 'the object is referenced by other objects'}`,
        [],
      );
    }
    if (err.code === '23514' || err.code === '22P02' || err.code === '22001' || err.code === '22003') {
      return new ValidationError({ __all__: [err.detail ?? (e as Error).message] });
    }
    return e;
  }
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
