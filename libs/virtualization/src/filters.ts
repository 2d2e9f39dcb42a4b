import { booleanFilter, sql, treeFilter, type FilterDefinition } from '@plinth/plugin-sdk';
import { macCondition, softwareVersionFilter } from '@plinth/dcim';

const vmInterfaces = sql.table('virtualization.vminterface');
const virtualMachines = sql.table('virtualization.virtualmachine');

/** `<name>_id`: Nautobot's id-only twin of a relation filter (the plain name takes ids or names). */
function idFilter(label: string, path: string): FilterDefinition {
  return { label, type: 'uuid', apply: (values, ctx) => ctx.path(path, values) };
}

function relationFilter(label: string, path: string): FilterDefinition {
  return { label, apply: (values, ctx) => ctx.path(path, values) };
}

const tenantGroup = treeFilter('Tenant group (name or ID, including child groups)', 'tenant.tenant_group');

/** Nautobot's ClusterFilterSet names beyond the fields' own. */
export const clusterFilters: Record<string, FilterDefinition> = {
  cluster_type_id: idFilter('Cluster type (ID)', 'cluster_type'),
  cluster_group_id: idFilter('Cluster group (ID)', 'cluster_group'),
  location: treeFilter('Location (name or ID, including child locations)', 'location'),
  tenant_group: tenantGroup,
  has_virtual_machines: booleanFilter(
    'Has virtual machines',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${virtualMachines} _v WHERE _v."cluster_id" = ${ctx.alias}."id")`,
  ),
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      return sql`(${ctx.alias}."name" ILIKE ${like} OR ${ctx.alias}."comments" ILIKE ${like})`;
    },
  },
};

/** Nautobot's VirtualMachineFilterSet names beyond the fields' own. */
export const virtualMachineFilters: Record<string, FilterDefinition> = {
  software_version: softwareVersionFilter,
  cluster_id: idFilter('Cluster (ID)', 'cluster'),
  cluster_group: relationFilter('Cluster group (name or ID)', 'cluster.cluster_group'),
  cluster_group_id: idFilter('Cluster group (ID)', 'cluster.cluster_group'),
  cluster_type: relationFilter('Cluster type (name or ID)', 'cluster.cluster_type'),
  cluster_type_id: idFilter('Cluster type (ID)', 'cluster.cluster_type'),
  location: treeFilter('Location (name or ID, including child locations)', 'location'),
  tenant_group: tenantGroup,
  has_primary_ip: booleanFilter(
    'Has a primary IP',
    (ctx) => sql`(${ctx.alias}."primary_ip4_id" IS NOT NULL OR ${ctx.alias}."primary_ip6_id" IS NOT NULL)`,
  ),
  has_interfaces: booleanFilter(
    'Has interfaces',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${vmInterfaces} _i WHERE _i."virtual_machine_id" = ${ctx.alias}."id")`,
  ),
  mac_address: {
    label: 'MAC address of one of its interfaces',
    apply: (values, ctx) =>
      sql`EXISTS (SELECT 1 FROM ${vmInterfaces} _i WHERE _i."virtual_machine_id" = ${ctx.alias}."id" AND ${macCondition(values, sql`_i."mac_address"`)})`,
  },
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      return sql`(${ctx.alias}."name" ILIKE ${like} OR ${ctx.alias}."comments" ILIKE ${like})`;
    },
  },
};

/** Nautobot's VMInterfaceFilterSet names beyond the fields' own. */
export const vmInterfaceFilters: Record<string, FilterDefinition> = {
  virtual_machine_id: idFilter('Virtual machine (ID)', 'virtual_machine'),
  cluster: relationFilter('Cluster of the virtual machine (name or ID)', 'virtual_machine.cluster'),
  cluster_id: idFilter('Cluster of the virtual machine (ID)', 'virtual_machine.cluster'),
  vlan_id: {
    label: 'VLAN (ID), untagged or tagged',
    type: 'uuid',
    apply: (values, ctx) =>
      sql`(${ctx.alias}."untagged_vlan_id" = ANY(${values}::uuid[]) OR EXISTS (SELECT 1 FROM "virtualization_vminterface_tagged_vlans" _t WHERE _t."vminterface_id" = ${ctx.alias}."id" AND _t."vlan_id" = ANY(${values}::uuid[])))`,
  },
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      return sql`(${ctx.alias}."name" ILIKE ${like} OR ${ctx.alias}."description" ILIKE ${like})`;
    },
  },
};
