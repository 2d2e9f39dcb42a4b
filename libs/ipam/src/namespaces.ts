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

/** Advisory-lock class of ipam's namespace locks (the second key is the namespace). */
const NAMESPACE_LOCK_CLASS = 0x1a9a;

/**
 * Serialise address-space changes per namespace for the rest of the transaction. Prefix writes and
 * allocations take it exclusively: parents of other rows are recomputed from what the transaction
 * sees, so two overlapping prefix writes must not interleave. IP address writes take it shared:
 * they may run side by side, but not while a prefix moves under them.
 */
export async function lockNamespaces(
  manager: EntityManager,
  ids: readonly unknown[],
  mode: 'exclusive' | 'shared',
): Promise<void> {
  const fn = mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
  // Always in the same order, so that two writers touching the same namespaces cannot deadlock.
  for (const id of [...new Set(ids.filter(Boolean).map(String))].sort()) {
    await manager.query(`SELECT ${fn}($1, hashtext($2))`, [NAMESPACE_LOCK_CLASS, id]);
  }
}
