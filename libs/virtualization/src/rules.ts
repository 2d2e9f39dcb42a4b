import { CoreModels, sql, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { checkLocationContentType, naturalize } from '@plinth/dcim';
import { checkInterfaceVlans } from '@plinth/ipam';

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
 * location (if it has one) is the VM's; names unique per cluster and tenant (also without a
 * tenant, which the database's unique constraint lets through); primary IPs on its interfaces.
 */
export const virtualMachineRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    const cluster = record.cluster as string | null;
    const loc = record.location as string | null;
    if (!cluster && !loc) {
      ctx.error('cluster', 'A virtual machine must be assigned to a cluster and/or a location.');
      return;
    }
    if (cluster && loc && (ctx.changed('cluster') || ctx.changed('location'))) {
      const row = await ctx.tx.one<{ name: string; location_id: string | null; location: string | null }>(
        sql`SELECT c."name", c."location_id", l."name" AS location FROM ${clusters} c
              LEFT JOIN ${location} l ON l."id" = c."location_id" WHERE c."id" = ${cluster}::uuid`,
      );
      if (row?.location_id && row.location_id !== loc) {
        ctx.error(
          'cluster',
          `The selected cluster (${row.name}) is not assigned to this location; it is at ${row.location}.`,
        );
      }
    }
    await checkLocationContentType(ctx);
  },
  async (ctx) => {
    const { record } = ctx;
    if (record.tenant || !record.cluster || !['name', 'cluster', 'tenant'].some((f) => ctx.changed(f)))
      return;
    const dup = await ctx.tx.one(
      sql`SELECT 1 FROM ${virtualMachines} WHERE "cluster_id" = ${record.cluster}::uuid
            AND "tenant_id" IS NULL AND "name" = ${record.name} AND "id" IS DISTINCT FROM ${record.id ?? null}::uuid`,
    );
    if (dup) ctx.error('name', 'A virtual machine with this name already exists in the assigned cluster.');
  },
  async (ctx) => {
    const { record } = ctx;
    for (const [field, version] of [
      ['primary_ip4', 4],
      ['primary_ip6', 6],
    ] as const) {
      const ip = record[field] as string | null;
      if (!ip || !ctx.changed(field)) continue;
      const row = await ctx.tx.one<{ address: string; version: number; assigned: boolean }>(
        sql`SELECT a."address"::text AS address, family(a."address") AS version,
              EXISTS (SELECT 1 FROM "virtualization_vminterface_ip_addresses" _m
                        JOIN ${vmInterfaces} _i ON _i."id" = _m."vminterface_id"
                       WHERE _m."ipaddress_id" IN (a."id", a."nat_inside_id") AND _i."virtual_machine_id" = ${record.id ?? null}::uuid) AS assigned
            FROM ${ipAddress} a WHERE a."id" = ${ip}::uuid`,
      );
      if (!row) continue;
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
 * the interface itself; 802.1Q mode and VLANs as on device interfaces (VLANs global or at the
 * VM's location, or its cluster's when the VM has none, or one of their parents).
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
  async (ctx) => {
    if (!['mode', 'untagged_vlan', 'tagged_vlans', 'virtual_machine'].some((f) => ctx.changed(f))) return;
    const vm = sql`SELECT COALESCE(_v."location_id", _c."location_id") FROM ${virtualMachines} _v
                    LEFT JOIN ${clusters} _c ON _c."id" = _v."cluster_id"
                   WHERE _v."id" = ${ctx.record.virtual_machine}::uuid`;
    await checkInterfaceVlans(
      ctx.tx,
      {
        mode: String(ctx.record.mode ?? ''),
        untagged: (ctx.record.untagged_vlan as string | null) ?? null,
        tagged: (ctx.record.tagged_vlans as string[] | undefined) ?? [],
        location: vm,
        parent: 'virtual machine',
      },
      (field, message) => ctx.error(field, message),
    );
  },
];
