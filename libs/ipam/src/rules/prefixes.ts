import { sql, type ModelHooks, type ModelRule } from '@plinth/plugin-sdk';
import { defaultNamespaces, lockAddressSpace, namespaceName } from '../namespaces';
import { placeCreatedPrefixes, releaseDeletedPrefixes, replaceUpdatedPrefixes } from '../parents';
import { locationContentTypeRule } from '@plinth/dcim';
import { tables } from '../tables';

/*
 * Prefix behaviour. The parser already clears host bits (`10.0.0.1/24` is stored as
 * `10.0.0.0/24`) and the entity's unique (namespace, prefix) constraint answers duplicates.
 *
 * Prefix types (container, network, pool) are not a hierarchy the write path enforces: Nautobot
 * 2.0 made its "a pool only inside a network, IPs only in networks and pools" guidance advisory
 * (warnings, nautobot#4036) and 2.4 dropped even the warnings (nautobot#7686). What the type
 * changes is behaviour: utilization (containers count child prefixes, networks and pools count
 * addresses) and free addresses (pools and IPv4 /31-/32 use their network and broadcast).
 */

export const prefixHooks: ModelHooks = {
  async prepareMany(ctxs) {
    await defaultNamespaces(ctxs);
    // Parents of other rows are recomputed from this transaction's view: no other prefix write
    // may interleave (the lock is held until commit).
    await lockAddressSpace(ctxs[0].tx, 'exclusive');
  },
  async afterCreate(ctx) {
    await placeCreatedPrefixes(ctx.tx, ctx.records);
  },
  async afterUpdate(ctx) {
    await replaceUpdatedPrefixes(ctx.tx, ctx.records, ctx.before ?? []);
  },
  async beforeDelete(ctx) {
    await lockAddressSpace(ctx.tx, 'exclusive');
    await releaseDeletedPrefixes(ctx.tx, ctx.records);
  },
};

/** A prefix's VRFs live in its namespace (Nautobot's VRFPrefixAssignment check). */
const vrfsInNamespace: ModelRule = async (ctx) => {
  const vrfs = (ctx.record.vrfs as string[] | undefined) ?? [];
  if (vrfs.length === 0 || !(ctx.changed('vrfs') || ctx.changed('namespace'))) return;
  const foreign = await ctx.tx.query<{ name: string; namespace: string }>(
    sql`SELECT v."name", n."name" AS namespace FROM ${tables.vrf} v JOIN ${tables.namespace} n ON n."id" = v."namespace_id"
      WHERE v."id" = ANY(${vrfs}::uuid[]) AND v."namespace_id" <> ${ctx.record.namespace}::uuid ORDER BY v."name"`,
  );
  if (foreign.length === 0) return;
  const ns = await namespaceName(ctx.tx, ctx.record.namespace);
  for (const v of foreign) {
    ctx.error('vrfs', `VRF ${v.name} is in namespace ${v.namespace}, not in this prefix's namespace ${ns}.`);
  }
};

export const prefixRules: readonly ModelRule[] = [locationContentTypeRule, vrfsInNamespace];
