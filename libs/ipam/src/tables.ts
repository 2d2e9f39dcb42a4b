import { sql } from '@plinth/plugin-sdk';

/**
 * The tables of models ipam's SQL reads, named by label through the registry (dcim's are never
 * spelled out here). Join tables of ipam's many-to-many fields are its own and keep their names.
 */
export const tables = {
  namespace: sql.table('ipam.namespace'),
  vrf: sql.table('ipam.vrf'),
  vlanGroup: sql.table('ipam.vlangroup'),
  vlan: sql.table('ipam.vlan'),
  prefix: sql.table('ipam.prefix'),
  ipAddress: sql.table('ipam.ipaddress'),
  location: sql.table('dcim.location'),
  device: sql.table('dcim.device'),
  interface: sql.table('dcim.interface'),
} as const;
