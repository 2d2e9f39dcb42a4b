import { sql, type RuleContext, type TransactionContext } from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import { tables } from './tables';

/** Status ids by name, remembered for the transaction (bulk writes look them up once). */
const cache = new WeakMap<EntityManager, Map<string, string | null>>();

export async function statusId(tx: TransactionContext, name: string): Promise<string | null> {
  const known = cache.get(tx.manager) ?? new Map<string, string | null>();
  cache.set(tx.manager, known);
  if (!known.has(name)) {
    const row = await tx.one(sql`SELECT id FROM ${tables.status} WHERE name = ${name}`);
    known.set(name, row ? String(row.id) : null);
  }
  return known.get(name) ?? null;
}

/** A `blank` status field defaults to the named status (interfaces: Active, as Nautobot). */
export function defaultStatus(name: string): (ctx: RuleContext) => Promise<void> {
  return async (ctx) => {
    if (ctx.record.status !== null && ctx.record.status !== undefined) return;
    const id = await statusId(ctx.tx, name);
    if (id) ctx.record.status = id;
    else ctx.error('status', 'This field is required.');
  };
}
