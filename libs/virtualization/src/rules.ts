import {
  CoreModels,
  sql,
  type ModelBatchRule,
  type ModelRule,
  type Rec,
  type RuleContext,
} from '@plinth/plugin-sdk';
import { checkLocationContentType, naturalize } from '@plinth/dcim';
import { checkInterfaceVlans, type InterfaceParent } from '@plinth/ipam';

const location = sql.table(CoreModels.location);
const clusters = sql.table('virtualization.cluster');
const virtualMachines = sql.table('virtualization.virtualmachine');
const vmInterfaces = sql.table('virtualization.vminterface');
const ipAddress = sql.table(CoreModels.ipAddress);

/** Keep the naturalised `_name` column in step with `name` (`vm2` sorts before `vm10`). */
export function naturalName(ctx: RuleContext): void {
  const name = ctx.record.name;
  ctx.record._name = typeof name === 'string' && name ? naturalize(name) : '';
}

/** Clusters at a location of a type that permits clusters (Nautobot's Cluster.clean). */
export const clusterRules: ModelRule[] = [(ctx) => checkLocationContentType(ctx)];

/**
 * Nautobot's VirtualMachine.clean: a cluster and/or a location; when both, the cluster's
 * location (if it has one) is the VM's; a location of a type that permits VMs.
 */
export const virtualMachineRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (!record.cluster && !record.location) {
      ctx.error('cluster', 'A virtual machine must be assigned to a cluster and/or a location.');
      return;
    }
    await checkLocationContentType(ctx);
  },
];

/**
 * The rest of VirtualMachine.clean, a statement each for every VM of a write: the cluster's
 * location matches the VM's; names unique per cluster and tenant (also without a tenant, which
 * the database's unique constraint lets through, and within the write); primary IPs on its own
 * interfaces.
 */
export const virtualMachineBatchRules: ModelBatchRule[] = [
  async (ctxs) => {
    const placed = ctxs.filter(
      ({ record, changed }) =>
        record.cluster && record.location && (changed('cluster') || changed('location')),
    );
    if (placed.length === 0) return;
    const rows = await placed[0].tx.query<{
      id: string;
      name: string;
      location_id: string | null;
      location: string | null;
    }>(
      sql`SELECT c."id", c."name", c."location_id", l."name" AS location FROM ${clusters} c
            LEFT JOIN ${location} l ON l."id" = c."location_id" WHERE c."id" = ANY(${[...new Set(placed.map((c) => String(c.record.cluster)))]}::uuid[])`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const ctx of placed) {
      const row = byId.get(String(ctx.record.cluster));
      if (row?.location_id && row.location_id !== ctx.record.location) {
        ctx.error(
          'cluster',
          `The selected cluster (${row.name}) is not assigned to this location; it is at ${row.location}.`,
        );
      }
    }
  },
  async (ctxs) => {
    const named = ctxs.filter(
      ({ record, changed }) =>
        !record.tenant && record.cluster && ['name', 'cluster', 'tenant'].some((f) => changed(f)),
    );
    if (named.length === 0) return;
    const key = (r: Rec) => `${String(r.cluster)}|${String(r.name)}`;
    const rows = await named[0].tx.query<{ n: number }>(
      sql`SELECT x.n FROM unnest(${named.map((_, i) => i)}::int[], ${named.map((c) => c.record.cluster)}::uuid[],
                                 ${named.map((c) => c.record.name)}::text[], ${named.map((c) => c.record.id ?? null)}::uuid[]) AS x(n, cluster, name, id)
           WHERE EXISTS (SELECT 1 FROM ${virtualMachines} v WHERE v."cluster_id" = x.cluster AND v."tenant_id" IS NULL
                           AND v."name" = x.name AND v."id" IS DISTINCT FROM x.id
                           AND NOT (v."id" = ANY(${named.map((c) => c.record.id ?? null)}::uuid[])))`,
    );
    const taken = new Set(rows.map((r) => r.n));
    const seen = new Set<string>();
    named.forEach((ctx, i) => {
      // Stored VMs of this write count by their new names (checked here, within the write).
      if (taken.has(i) || seen.has(key(ctx.record)))
        ctx.error('name', 'A virtual machine with this name already exists in the assigned cluster.');
      seen.add(key(ctx.record));
    });
  },
  async (ctxs) => {
    const checks: { ctx: RuleContext; field: 'primary_ip4' | 'primary_ip6'; version: number }[] = [];
    for (const ctx of ctxs) {
      for (const [field, version] of [
        ['primary_ip4', 4],
        ['primary_ip6', 6],
      ] as const) {
        if (ctx.record[field] && ctx.changed(field)) checks.push({ ctx, field, version });
      }
    }
    if (checks.length === 0) return;
    const rows = await checks[0].ctx.tx.query<{
      n: number;
      address: string;
      version: number;
      assigned: boolean;
    }>(
      sql`SELECT x.n, a."address"::text AS address, family(a."address") AS version,
              EXISTS (SELECT 1 FROM "virtualization_vminterface_ip_addresses" _m
                        JOIN ${vmInterfaces} _i ON _i."id" = _m."vminterface_id"
                       WHERE _m."ipaddress_id" IN (a."id", a."nat_inside_id") AND _i."virtual_machine_id" = x.vm) AS assigned
            FROM unnest(${checks.map((_, i) => i)}::int[], ${checks.map((c) => c.ctx.record.id ?? null)}::uuid[],
                        ${checks.map((c) => c.ctx.record[c.field])}::uuid[]) AS x(n, vm, ip)
            JOIN ${ipAddress} a ON a."id" = x.ip`,
    );
    for (const row of rows) {
      const { ctx, field, version } = checks[row.n];
      if (row.version !== version) ctx.error(field, `${row.address} is not an IPv${version} address.`);
      else if (!row.assigned)
        ctx.error(
          field,
          `The specified IP address (${row.address}) is not assigned to this virtual machine.`,
        );
    }
  },
];

/**
 * Nautobot's VMInterface.clean: parent and bridge interfaces on the same virtual machine, never
 * the interface itself.
 */
export const vmInterfaceRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    const refs = (['parent_interface', 'bridge'] as const).filter(
      (f) => typeof record[f] === 'string' && (ctx.changed(f) || ctx.changed('virtual_machine')),
    );
    for (const field of refs) {
      const peer = record[field] as string;
      const noun = field === 'bridge' ? 'bridge interface' : 'parent interface';
      if (peer === record.id) {
        ctx.error(
          field,
          field === 'bridge'
            ? 'An interface cannot be bridged to itself.'
            : 'An interface cannot be its own parent.',
        );
        continue;
      }
      const row = await ctx.tx.one<{ name: string; virtual_machine_id: string }>(
        sql`SELECT "name", "virtual_machine_id" FROM ${vmInterfaces} WHERE "id" = ${peer}::uuid`,
      );
      if (row && row.virtual_machine_id !== record.virtual_machine) {
        ctx.error(field, `The selected ${noun} (${row.name}) belongs to a different virtual machine.`);
      }
    }
  },
];

const virtualMachineParent: InterfaceParent = {
  noun: 'virtual machine',
  locations: (ids) => sql`SELECT _v."id", COALESCE(_v."location_id", _c."location_id") AS "location_id"
                            FROM ${virtualMachines} _v LEFT JOIN ${clusters} _c ON _c."id" = _v."cluster_id"
                           WHERE _v."id" = ANY(${ids})`,
};

/**
 * 802.1Q mode and VLANs as on device interfaces (VLANs global or at the VM's location, or its
 * cluster's when the VM has none, or one of their parents), for every interface of a write.
 */
export const vmInterfaceBatchRules: ModelBatchRule[] = [
  async (ctxs) => {
    const checked = ctxs.filter((ctx) =>
      ['mode', 'untagged_vlan', 'tagged_vlans', 'virtual_machine'].some((f) => ctx.changed(f)),
    );
    if (checked.length === 0) return;
    await checkInterfaceVlans(
      checked[0].tx,
      virtualMachineParent,
      checked.map((ctx) => ({
        mode: String(ctx.record.mode ?? ''),
        untagged: (ctx.record.untagged_vlan as string | null) ?? null,
        tagged: (ctx.record.tagged_vlans as string[] | undefined) ?? [],
        parent: (ctx.record.virtual_machine as string | null) ?? null,
        error: (field, message) => ctx.error(field, message),
      })),
    );
  },
];
