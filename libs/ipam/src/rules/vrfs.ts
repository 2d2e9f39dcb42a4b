import { sql, type ModelHooks, type ModelRule } from '@plinth/plugin-sdk';
import { defaultNamespaces } from '../namespaces';

/*
 * VRFs: names and route distinguishers are unique per namespace (the entity's unique sets; a VRF
 * without an RD may share the namespace with others, as NULLs never clash).
 */

export const vrfHooks: ModelHooks = { prepareMany: defaultNamespaces };

/** A VRF with prefixes stays in their namespace (its prefixes could not follow it). */
const keepNamespaceOfPrefixes: ModelRule = async (ctx) => {
  if (ctx.action !== 'update' || !ctx.changed('namespace')) return;
  const row = await ctx.tx.one<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM "ipam_vrfprefixassignment" WHERE "vrf_id" = ${ctx.record.id}::uuid`,
  );
  const n = row?.n ?? 0;
  if (n > 0) {
    ctx.error(
      'namespace',
      `This VRF is assigned to ${n} prefix(es) in its namespace; remove them before moving it.`,
    );
  }
};

export const vrfRules: readonly ModelRule[] = [keepNamespaceOfPrefixes];
