import { sql } from '@plinth/plugin-sdk';

/** The module tables modules' SQL reads, named by model label through the registry. */
export const moduleTables = {
  moduleType: sql.table('dcim.moduletype'),
  moduleBayTemplate: sql.table('dcim.modulebaytemplate'),
  moduleBay: sql.table('dcim.modulebay'),
  module: sql.table('dcim.module'),
} as const;
