import { CoreModels, sql } from '@plinth/plugin-sdk';

/**
 * The tables of models ipam's SQL reads, named by typed ref through the registry (dcim's are
 * never spelled out here). Join tables of ipam's many-to-many fields are its own and keep their
 * names.
 */
export const tables = {
  namespace: sql.table(CoreModels.namespace),
  vrf: sql.table(CoreModels.vrf),
  vlanGroup: sql.table(CoreModels.vlanGroup),
  vlan: sql.table(CoreModels.vlan),
  prefix: sql.table(CoreModels.prefix),
  ipAddress: sql.table(CoreModels.ipAddress),
  location: sql.table(CoreModels.location),
  device: sql.table(CoreModels.device),
  interface: sql.table(CoreModels.interface),
} as const;
