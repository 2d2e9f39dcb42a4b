import { CliCommands, contribute, definePlugin } from '@plinth/plugin-sdk';
import { importCommand } from './cli';
import { NetboxImportInitial1796632911200 } from './migrations/1796632911200-NetboxImportInitial';
import { ImportedObject } from './object-map';

export { importNetbox, type ImportOptions, type ImportReport, type ModelReport } from './importer';
export { SITE_GROUP_MODES, type SiteGroupMode } from './mapping';
export { MAPPINGS, SKIPPED } from './mappings';
export { formatReport } from './report';
export { readDumpdata } from './source/dumpdata';
export { readPgDump } from './source/pg-dump';
export { readPostgres } from './source/postgres';
export type { NetboxData, NetboxRow } from './source/types';

export default definePlugin({
  name: 'netbox_import',
  verbose_name: 'NetBox import',
  version: '0.2.0',
  description: '`plinth import netbox`: moves a NetBox instance into Plinth.',
  dependsOn: ['extras', 'tenancy', 'dcim', 'ipam', 'circuits', 'users'],
  entities: [ImportedObject],
  migrations: [NetboxImportInitial1796632911200],
  contributions: [contribute(CliCommands, importCommand)],
});
