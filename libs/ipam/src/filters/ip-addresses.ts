import {
  booleanFilter,
  sql,
  type FilterContext,
  type FilterDefinition,
  type ModelMeta,
  type Sql,
} from '@plinth/plugin-sdk';
import { tables } from '../tables';
import {
  anyOf,
  cidrParam,
  hostParam,
  maybeNet,
  numberFilters,
  versionFilter,
  vrfIds,
  vrfsPresentIn,
} from './common';

/** Condition "assigned to an interface matching `interfaces`" (a subquery of interface ids). */
function assignedTo(alias: Sql, interfaces: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM "ipam_ipaddresstointerface" _m WHERE _m."ip_address_id" = ${alias}."id" AND _m."interface_id" IN (${interfaces}))`;
}

function onDevices(values: string[], ctx: FilterContext): Sql {
  return assignedTo(
    ctx.alias,
    sql`SELECT _i."id" FROM ${tables.interface} _i WHERE _i."device_id" IN (${ctx.idsOf('dcim.device', values)})`,
  );
}

/**
 * Assignments to VM interfaces: the many-to-many `vm_interfaces` that virtualization (installed
 * after ipam) declares on its interfaces, when it is installed.
 */
function vmInterfaceAssignments(model: ModelMeta, alias: Sql): Sql[] {
  const rel = model.reverse_relations.find((r) => r.name === 'vm_interfaces' && r.field.kind === 'm2m');
  if (!rel || rel.field.kind !== 'm2m') return [];
  const { table, target } = rel.field.through;
  return [sql`EXISTS (SELECT 1 FROM ${sql.ident(table)} _v WHERE _v.${sql.ident(target)} = ${alias}."id")`];
}

/**
 * IP address filters beyond the generated ones, named as Nautobot 2.x names them (`parent`,
 * `namespace`, `interfaces`, `dns_name`, `type`, `status`, ... are generated).
 */
export const ipAddressFilters: Record<string, FilterDefinition> = {
  address: anyOf((v, { alias }) => sql`${alias}."_host" = ${hostParam('address', v)}::inet`, {
    help_text: 'Address (the host is matched, whatever the mask)',
  }),
  prefix: anyOf((v, { alias }) => sql`${alias}."_host" <<= ${cidrParam('prefix', v)}::cidr`, {
    help_text: 'Addresses inside this prefix',
  }),
  ...numberFilters('mask_length', (a) => sql`masklen(${a}."address")`, 'Length of the network mask'),
  ...versionFilter('address'),
  vrf: {
    help_text: "VRF (id, name or route distinguisher) of the address's parent prefix",
    apply: (values, { alias }) =>
      sql`${alias}."parent_id" IN (SELECT _a."prefix_id" FROM "ipam_vrfprefixassignment" _a WHERE _a."vrf_id" IN (${vrfIds(values)}))`,
  },
  present_in_vrf: {
    help_text: 'Parent prefix present in this VRF (assigned, or through imported route targets)',
    apply: (values, { alias }) =>
      sql`${alias}."parent_id" IN (SELECT _a."prefix_id" FROM "ipam_vrfprefixassignment" _a WHERE _a."vrf_id" IN (${vrfsPresentIn(values)}))`,
  },
  device: { help_text: 'Assigned to an interface of this device (id or name)', apply: onDevices },
  device_id: { type: 'uuid', help_text: 'Assigned to an interface of this device', apply: onDevices },
  interface: {
    help_text: 'Assigned to this interface (id or name)',
    apply: (values, ctx) => assignedTo(ctx.alias, ctx.idsOf('dcim.interface', values)),
  },
  has_interface_assignments: {
    ...booleanFilter('Has interface assignments', ({ alias, model }) =>
      sql.or([
        sql`EXISTS (SELECT 1 FROM "ipam_ipaddresstointerface" _m WHERE _m."ip_address_id" = ${alias}."id")`,
        ...vmInterfaceAssignments(model, alias),
      ]),
    ),
    help_text: 'Assigned to at least one interface (of a device or a virtual machine)',
  },
  q: {
    help_text: 'Search: DNS name, description, or addresses inside the network typed',
    apply: ([value], { alias }) => {
      const q = value.trim();
      const net = maybeNet(q);
      return sql.or([
        sql`${alias}."dns_name" ILIKE ${sql.like(q)}`,
        sql`${alias}."description" ILIKE ${sql.like(q)}`,
        sql`host(${alias}."address") ILIKE ${sql.like(q, 'startswith')}`,
        ...(net ? [sql`${alias}."_host" <<= ${net}::inet`] : []),
      ]);
    },
  },
};
