import type { EntityManager } from 'typeorm';
import type { InstallHook, RuleContext, TransactionContext } from '@plinth/plugin-sdk';

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

/** Prepare step of the namespaced models: an omitted namespace means Global. */
export async function defaultNamespace(ctx: RuleContext): Promise<void> {
  if (ctx.record.namespace !== null && ctx.record.namespace !== undefined) return;
  const rows = (await ctx.tx.manager.query('SELECT "id" FROM "ipam_namespace" WHERE "name" = $1', [
    GLOBAL_NAMESPACE,
  ])) as { id: string }[];
  if (rows.length) ctx.record.namespace = rows[0].id;
  else
    ctx.error(
      'namespace',
      `This field is required (there is no "${GLOBAL_NAMESPACE}" namespace to default to).`,
    );
}

export async function namespaceName(manager: EntityManager, id: unknown): Promise<string> {
  const rows = (await manager.query('SELECT "name" FROM "ipam_namespace" WHERE "id" = $1', [id])) as {
    name: string;
  }[];
  return rows[0]?.name ?? String(id);
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
export async function lockAddressSpace(manager: EntityManager, mode: 'exclusive' | 'shared'): Promise<void> {
  const fn = mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
  await manager.query(`SELECT ${fn}($1, $2)`, [...ADDRESS_SPACE_LOCK]);
}
