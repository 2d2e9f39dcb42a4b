import { sql, type FilterDefinition } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import {
  anyOf,
  cidrParam,
  maybeNet,
  netOrHostParam,
  numberFilters,
  versionFilter,
  vrfIds,
  vrfsPresentIn,
} from './common';

/**
 * Prefix filters beyond the generated ones, named as Nautobot 2.x names them. `prefix` itself is
 * generated (values are normalised like input, so `prefix=10.0.0.1/24` finds 10.0.0.0/24), as are
 * `type`, `namespace`, `vrfs`, `location` (with descendants), `vlan`, `tenant`, `status`, `role`.
 */
export const prefixFilters: Record<string, FilterDefinition> = {
  within: anyOf((v, { alias }) => sql`${alias}."prefix" << ${cidrParam('within', v)}::cidr`, {
    help_text: 'Prefixes inside this prefix',
  }),
  within_include: anyOf(
    (v, { alias }) => sql`${alias}."prefix" <<= ${cidrParam('within_include', v)}::cidr`,
    {
      help_text: 'Prefixes inside or equal to this prefix',
    },
  ),
  contains: anyOf((v, { alias }) => sql`${alias}."prefix" >>= ${netOrHostParam('contains', v)}::inet`, {
    help_text: 'Prefixes containing this prefix or address',
  }),
  ...numberFilters('mask_length', (a) => sql`masklen(${a}."prefix")`, 'Length of the network mask'),
  ...numberFilters('prefix_length', (a) => sql`masklen(${a}."prefix")`, 'Length of the network mask'),
  ...versionFilter('prefix'),
  vrf: {
    help_text: 'Assigned VRF (id, name or route distinguisher)',
    apply: (values, { alias }) =>
      sql`EXISTS (SELECT 1 FROM "ipam_vrfprefixassignment" _a WHERE _a."prefix_id" = ${alias}."id" AND _a."vrf_id" IN (${vrfIds(values)}))`,
  },
  present_in_vrf: {
    help_text: 'Present in this VRF: assigned to it, or to a VRF exporting a route target it imports',
    apply: (values, { alias }) =>
      sql`EXISTS (SELECT 1 FROM "ipam_vrfprefixassignment" _a WHERE _a."prefix_id" = ${alias}."id" AND _a."vrf_id" IN (${vrfsPresentIn(values)}))`,
  },
  vlan_vid: {
    type: 'integer',
    help_text: 'VLAN number (1-4094)',
    apply: (values, { alias }) =>
      sql`${alias}."vlan_id" IN (SELECT _l."id" FROM ${tables.vlan} _l WHERE _l."vid" = ANY(${values.map(Number)}::int[]))`,
  },
  q: {
    help_text: 'Search: description, or prefixes containing the network or address typed',
    apply: ([value], { alias }) => {
      const q = value.trim();
      const net = maybeNet(q);
      const like = sql.like(q);
      return sql.or([
        sql`${alias}."description" ILIKE ${like}`,
        sql`${alias}."prefix"::text ILIKE ${like}`,
        ...(net ? [sql`${alias}."prefix" >>= ${net}::inet`] : []),
      ]);
    },
  },
};
