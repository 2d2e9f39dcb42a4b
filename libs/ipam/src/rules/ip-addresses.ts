import { sql, type ModelBatchRule, type ModelHooks, type ModelRule } from '@plinth/plugin-sdk';
import { hostInet, hostText } from '../ip';
import { defaultNamespaces, lockAddressSpace, namespaceName } from '../namespaces';
import { closestPrefixesForHosts } from '../parents';
import { tables } from '../tables';

/**
 * Hooks of IP addresses: namespace default and the computed parent (`_host` is the database's),
 * for a whole write at once: one namespace lookup, one lock and one parent lookup per batch.
 */
export const ipAddressHooks: ModelHooks = {
  async prepareMany(ctxs) {
    await defaultNamespaces(ctxs);
    const placed = ctxs.filter((c) => c.record.address && c.record.namespace);
    if (placed.length === 0) return;
    // Shared: addresses may be written side by side, but not while a prefix write (or an
    // allocation) recomputes parents.
    await lockAddressSpace(placed[0].tx, 'shared');
    const moved = placed.filter(
      (c) => c.action === 'create' || c.changed('address') || c.changed('namespace') || !c.record.parent,
    );
    const parents = await closestPrefixesForHosts(
      placed[0].tx,
      moved.map((c) => c.record.namespace),
      moved.map((c) => hostInet(String(c.record.address))),
    );
    moved.forEach((c, i) => (c.record.parent = parents[i]));
  },
};

/** Every IP address lives in a prefix of its namespace (Nautobot 2.x). */
const parentRequired: ModelRule = async (ctx) => {
  if (ctx.record.parent) return;
  const ns = await namespaceName(ctx.tx, ctx.record.namespace);
  ctx.error(
    'namespace',
    `No suitable parent Prefix for ${hostText(String(ctx.record.address))} exists in Namespace ${ns}.`,
  );
};

/**
 * One address per host and namespace, whatever the masks (10.0.0.1/24 and 10.0.0.1/32 clash):
 * one lookup for the whole write. (Two equal hosts within one write meet the unique index.)
 */
const uniqueHosts: ModelBatchRule = async (ctxs) => {
  const moved = ctxs.filter((c) => c.action === 'create' || c.changed('address') || c.changed('namespace'));
  if (moved.length === 0) return;
  const rows = await moved[0].tx.query<{ i: string; address: string }>(
    sql`SELECT DISTINCT ON (x.i) x.i, a."address"::text AS address
          FROM unnest(${moved.map((c) => String(c.record.namespace))}::uuid[],
                      ${moved.map((c) => hostInet(String(c.record.address)))}::inet[],
                      ${moved.map((c) => String(c.record.id))}::uuid[]) WITH ORDINALITY AS x(ns, host, id, i)
          JOIN ${tables.ipAddress} a ON a."namespace_id" = x.ns AND a."_host" = x.host AND a."id" <> x.id
         ORDER BY x.i`,
  );
  for (const r of rows) {
    const ctx = moved[Number(r.i) - 1];
    const ns = await namespaceName(ctx.tx, ctx.record.namespace);
    ctx.error(
      'address',
      `IP address ${hostText(r.address)} already exists in namespace ${ns} (as ${r.address}).`,
    );
  }
};

/**
 * An address assigned to an interface that has a VRF belongs to that VRF's namespace (Plinth's
 * rule: Nautobot ties interface VRFs to VRF-device assignments, which Plinth does not model):
 * one lookup for the whole write.
 */
const interfacesVrfNamespace: ModelBatchRule = async (ctxs) => {
  const assigned = ctxs.filter(
    (c) =>
      ((c.record.interfaces as string[] | undefined) ?? []).length > 0 &&
      (c.changed('interfaces') || c.changed('namespace')),
  );
  if (assigned.length === 0) return;
  const pairs = assigned.flatMap((c, n) => (c.record.interfaces as string[]).map((iface) => ({ n, iface })));
  const rows = await assigned[0].tx.query<{ n: number; name: string; vrf: string; namespace: string }>(
    sql`SELECT x.n, i."name", v."name" AS vrf, n."name" AS namespace
          FROM unnest(${pairs.map((p) => p.n)}::int[], ${pairs.map((p) => p.iface)}::uuid[],
                      ${pairs.map((p) => assigned[p.n].record.namespace)}::uuid[]) AS x(n, iface, ns)
          JOIN ${tables.interface} i ON i."id" = x.iface
          JOIN ${tables.vrf} v ON v."id" = i."vrf_id" JOIN ${tables.namespace} n ON n."id" = v."namespace_id"
         WHERE v."namespace_id" <> x.ns ORDER BY x.n, i."name"`,
  );
  for (const r of rows) {
    assigned[r.n].error(
      'interfaces',
      `Interface ${r.name} is in VRF ${r.vrf} of namespace ${r.namespace}; this address is in another namespace.`,
    );
  }
};

export const ipAddressRules: readonly ModelRule[] = [parentRequired];
export const ipAddressBatchRules: readonly ModelBatchRule[] = [uniqueHosts, interfacesVrfNamespace];

/** The race-time answer of the (namespace, host) unique index, worded like the rule's. */
export const ipAddressConstraintMessages = {
  ipam_ipaddress_namespace_host: {
    field: 'address',
    message: 'An IP address with this host already exists in this namespace.',
  },
};
