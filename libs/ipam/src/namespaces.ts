import {
  sql,
  type InstallHook,
  type RuleContext,
  type SqlRunner,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import { tables } from './tables';

/** The namespace VRFs, prefixes and IP addresses land in when none is given (Nautobot's). */
export const GLOBAL_NAMESPACE = 'Global';

/** Seeds the Global namespace on migrate; leaves it alone once it exists (renamed or not). */
export const globalNamespaceInstaller: InstallHook = {
  name: 'ipam.global-namespace',
  async run(tx: TransactionContext): Promise<void> {
    if ((await tx.objects.count('ipam.namespace', { name: GLOBAL_NAMESPACE })) > 0) return;
    await tx.objects.create('ipam.namespace', [
      { name: GLOBAL_NAMESPACE, description: 'Default Global namespace. Created by Plinth.' },
    ]);
  },
};

/** Prepare step of the namespaced models: an omitted namespace means Global (one lookup per write). */
export async function defaultNamespaces(ctxs: readonly RuleContext[]): Promise<void> {
  const missing = ctxs.filter((c) => c.record.namespace === null || c.record.namespace === undefined);
  if (missing.length === 0) return;
  const row = await missing[0].tx.one(
    sql`SELECT "id" FROM ${tables.namespace} WHERE "name" = ${GLOBAL_NAMESPACE}`,
  );
  for (const ctx of missing) {
    if (row) ctx.record.namespace = row.id;
    else
      ctx.error(
        'namespace',
        `This field is required (there is no "${GLOBAL_NAMESPACE}" namespace to default to).`,
      );
  }
}

export async function namespaceName(db: SqlRunner, id: unknown): Promise<string> {
  const row = await db.one(sql`SELECT "name" FROM ${tables.namespace} WHERE "id" = ${id}::uuid`);
  return row ? String(row.name) : String(id);
}

/** Advisory-lock key (class, object) of the address space. */
const ADDRESS_SPACE_LOCK = [0x1a9a, 0] as const;

/**
 * Serialise address-space changes for the rest of the transaction. Prefix writes and allocations
 * take the lock exclusively: parents of other rows are recomputed from what the transaction
 * sees, so no other prefix write may interleave, and an allocation must see every address
 * written before it. IP address writes take it shared: they run side by side, but not while a
 * prefix moves under them. One lock for all namespaces (as Nautobot's allocation lock is global):
 * a bulk write spanning namespaces can never deadlock against another.
 */
export async function lockAddressSpace(db: SqlRunner, mode: 'exclusive' | 'shared'): Promise<void> {
  const fn = sql.raw(mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared');
  const [kind, object] = ADDRESS_SPACE_LOCK;
  await db.query(sql`SELECT ${fn}(${kind}::int, ${object}::int)`);
}
