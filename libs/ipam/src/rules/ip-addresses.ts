import { sql, type ModelHooks, type ModelRule } from '@plinth/plugin-sdk';
import { hostInet, hostText } from '../ip';
import { defaultNamespace, lockAddressSpace, namespaceName } from '../namespaces';
import { closestPrefixForHost } from '../parents';
import { tables } from '../tables';

/** Hooks of IP addresses: namespace default and the computed parent (`_host` is the database's). */
export const ipAddressHooks: ModelHooks = {
  async prepare(ctx) {
    await defaultNamespace(ctx);
    const { record } = ctx;
    if (!record.address || !record.namespace) return;
    // Shared: addresses may be written side by side, but not while a prefix write (or an
    // allocation) recomputes parents.
    await lockAddressSpace(ctx.tx, 'shared');
    if (ctx.action === 'create' || ctx.changed('address') || ctx.changed('namespace') || !record.parent) {
      record.parent = await closestPrefixForHost(ctx.tx, record.namespace, hostInet(String(record.address)));
    }
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

/** One address per host and namespace, whatever the masks (10.0.0.1/24 and 10.0.0.1/32 clash). */
const uniqueHost: ModelRule = async (ctx) => {
  if (ctx.action === 'update' && !ctx.changed('address') && !ctx.changed('namespace')) return;
  const { namespace, address, id } = ctx.record;
  const other = await ctx.tx.one<{ address: string }>(
    sql`SELECT "address"::text AS address FROM ${tables.ipAddress}
      WHERE "namespace_id" = ${namespace}::uuid AND "_host" = ${hostInet(String(address))}::inet AND "id" <> ${id}::uuid LIMIT 1`,
  );
  if (!other) return;
  const ns = await namespaceName(ctx.tx, namespace);
  ctx.error(
    'address',
    `IP address ${hostText(other.address)} already exists in namespace ${ns} (as ${other.address}).`,
  );
};

/**
 * An address assigned to an interface that has a VRF belongs to that VRF's namespace (Plinth's
 * rule: Nautobot ties interface VRFs to VRF-device assignments, which Plinth does not model).
 */
const interfacesVrfNamespace: ModelRule = async (ctx) => {
  const interfaces = (ctx.record.interfaces as string[] | undefined) ?? [];
  if (interfaces.length === 0 || !(ctx.changed('interfaces') || ctx.changed('namespace'))) return;
  const rows = await ctx.tx.query<{ name: string; vrf: string; namespace: string }>(
    sql`SELECT i."name", v."name" AS vrf, n."name" AS namespace FROM ${tables.interface} i
       JOIN ${tables.vrf} v ON v."id" = i."vrf_id" JOIN ${tables.namespace} n ON n."id" = v."namespace_id"
      WHERE i."id" = ANY(${interfaces}::uuid[]) AND v."namespace_id" <> ${ctx.record.namespace}::uuid ORDER BY i."name"`,
  );
  for (const r of rows) {
    ctx.error(
      'interfaces',
      `Interface ${r.name} is in VRF ${r.vrf} of namespace ${r.namespace}; this address is in another namespace.`,
    );
  }
};

export const ipAddressRules: readonly ModelRule[] = [parentRequired, uniqueHost, interfacesVrfNamespace];

/** The race-time answer of the (namespace, host) unique index, worded like the rule's. */
export const ipAddressConstraintMessages = {
  ipam_ipaddress_namespace_host: {
    field: 'address',
    message: 'An IP address with this host already exists in this namespace.',
  },
};
