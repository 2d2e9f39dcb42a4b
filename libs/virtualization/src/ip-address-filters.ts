import {
  sql,
  type FilterContext,
  type FilterDefinition,
  type ModelExtension,
  type Sql,
} from '@plinth/plugin-sdk';

const vmInterfaces = sql.table('virtualization.vminterface');

/** Condition "assigned to a VM interface matching `interfaces`" (a subquery of VM interface ids). */
function assignedTo(alias: Sql, interfaces: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM "virtualization_vminterface_ip_addresses" _m WHERE _m."ipaddress_id" = ${alias}."id" AND _m."vminterface_id" IN (${interfaces}))`;
}

function onVirtualMachines(values: string[], ctx: FilterContext): Sql {
  return assignedTo(
    ctx.alias,
    sql`SELECT _i."id" FROM ${vmInterfaces} _i WHERE _i."virtual_machine_id" IN (${ctx.idsOf('virtualization.virtualmachine', values)})`,
  );
}

const onVmInterfaces = (values: string[], ctx: FilterContext): Sql =>
  assignedTo(ctx.alias, ctx.idsOf('virtualization.vminterface', values));

/** Nautobot's IP address filters for virtual machines, added to ipam's model. */
export const ipAddressVmFilters: ModelExtension = {
  model: 'ipam.ipaddress',
  filters: {
    virtual_machine: {
      help_text: 'Assigned to an interface of this virtual machine (id or name)',
      apply: onVirtualMachines,
    },
    virtual_machine_id: {
      type: 'uuid',
      help_text: 'Assigned to an interface of this virtual machine',
      apply: onVirtualMachines,
    },
    vm_interfaces: { help_text: 'Assigned to this VM interface (id)', type: 'uuid', apply: onVmInterfaces },
  } satisfies Record<string, FilterDefinition>,
};
