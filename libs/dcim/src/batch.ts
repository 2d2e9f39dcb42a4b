import {
  ValidationError,
  type FieldErrors,
  type Rec,
  type Sql,
  type TransactionContext,
} from '@plinth/plugin-sdk';

/** Distinct non-null string values of one field of a batch of records. */
export function idsOf(records: readonly Rec[], field: string): string[] {
  const out = new Set<string>();
  for (const r of records) {
    const v = r[field];
    if (typeof v === 'string' && v) out.add(v);
  }
  return [...out];
}

/**
 * Errors found after a batch was written (checks that must see the whole batch, e.g. two new
 * devices in the same rack unit): thrown as the write path reports them, one error map for a
 * single object, one per submitted object (aligned with `records`) for a batch. The transaction
 * rolls back.
 */
export class BatchErrors {
  private readonly byId = new Map<string, FieldErrors>();

  add(id: string, field: string, message: string): void {
    const errors = this.byId.get(id) ?? {};
    (errors[field] ??= []).push(message);
    this.byId.set(id, errors);
  }

  get empty(): boolean {
    return this.byId.size === 0;
  }

  throwIfAny(records: readonly Rec[]): void {
    if (this.empty) return;
    const maps = records.map((r) => this.byId.get(String(r.id)) ?? {});
    throw new ValidationError(records.length === 1 ? maps[0] : maps);
  }
}

/**
 * Rows by id that the rules of a write's objects look up (a location's type, a device type),
 * read once per write: the objects of one write share its transaction context, and a bulk write
 * names few targets many times. `prefetch` (from a `prepareMany` hook) reads every target of
 * the write in one statement; `get` reads what was not prefetched. `select` reads the rows
 * (with their `id`) of some ids.
 */
export class WriteLookup {
  private readonly byWrite = new WeakMap<TransactionContext, Map<string, Rec | null>>();

  constructor(private readonly select: (ids: string[]) => Sql) {}

  private known(tx: TransactionContext): Map<string, Rec | null> {
    let known = this.byWrite.get(tx);
    if (!known) this.byWrite.set(tx, (known = new Map()));
    return known;
  }

  async prefetch(tx: TransactionContext, ids: readonly unknown[]): Promise<void> {
    const known = this.known(tx);
    const missing = [...new Set(ids)].filter((id): id is string => typeof id === 'string' && !known.has(id));
    if (missing.length === 0) return;
    for (const id of missing) known.set(id, null);
    for (const row of await tx.query(this.select(missing))) known.set(String(row.id), row);
  }

  async get(tx: TransactionContext, id: string): Promise<Rec | null> {
    await this.prefetch(tx, [id]);
    return this.known(tx).get(id) ?? null;
  }
}
