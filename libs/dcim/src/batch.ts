import { ValidationError, type FieldErrors, type Rec } from '@plinth/plugin-sdk';

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
