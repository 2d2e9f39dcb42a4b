import { PRIMARY_FEATURES, defineModel, sql, type ModelDefinition, type Sql } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { SoftwareImageFile, SoftwareVersion } from './entities';
import { softwareImageFileFilters, softwareVersionFilters } from './filters';

/** A version as Nautobot shows it: its alias, or "platform - version". */
function versionDisplay(t: Sql): Sql {
  return sql`COALESCE(NULLIF(${t}."alias", ''), (SELECT p.name FROM ${tables.platform} p WHERE p.id = ${t}."platform_id") || ' - ' || ${t}."version")`;
}

export const softwareVersionModel = defineModel({
  entity: SoftwareVersion,
  app_label: 'dcim',
  model: 'softwareversion',
  verbose_name: 'software version',
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: ['platform', 'version'],
  ordering: ['platform', 'version'],
  search_fields: ['platform'],
  display: { sql: versionDisplay },
  filters: softwareVersionFilters,
  list_fields: [
    'version',
    'platform',
    'alias',
    'status',
    'release_date',
    'end_of_support_date',
    'long_term_support',
    'pre_release',
  ],
});

export const softwareImageFileModel = defineModel({
  entity: SoftwareImageFile,
  app_label: 'dcim',
  model: 'softwareimagefile',
  verbose_name: 'software image file',
  features: [...PRIMARY_FEATURES, 'statuses'],
  natural_key: ['software_version', 'image_file_name'],
  ordering: ['software_version', 'image_file_name'],
  display: {
    sql: (t) => {
      const v = sql.ident('sv');
      return sql`(SELECT ${versionDisplay(v)} FROM ${sql.table('dcim.softwareversion')} ${v} WHERE ${v}."id" = ${t}."software_version_id") || ' - ' || ${t}."image_file_name"`;
    },
  },
  filters: softwareImageFileFilters,
  list_fields: [
    'image_file_name',
    'software_version',
    'status',
    'hashing_algorithm',
    'image_file_size',
    'default_image',
    'device_types',
  ],
});

export const SOFTWARE_MODELS: ModelDefinition[] = [softwareVersionModel, softwareImageFileModel];
