import { booleanFilter, sql, type FilterContext, type FilterDefinition, type Sql } from '@plinth/plugin-sdk';
import { tables } from '../tables';

/** Software filters beyond the ones generated from fields (Nautobot 2.2 names). */

const versions = sql.table('dcim.softwareversion');
const images = sql.table('dcim.softwareimagefile');
const imageDeviceTypes = sql.ident('dcim_devicetypetosoftwareimagefile');
const deviceImages = sql.ident('dcim_device_software_image_files');

/** Image files by id or file name. */
function imageIds(values: string[]): Sql {
  const uuids = values.filter((v) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  );
  return sql`SELECT id FROM ${images} WHERE id = ANY(${uuids}::uuid[]) OR image_file_name = ANY(${values}::text[])`;
}

/**
 * `software_version`: by id, `platform;version`, or the version alone (Nautobot's
 * to_field_name="version"); for any model with a `software_version` field.
 */
export const softwareVersionFilter: FilterDefinition = {
  label: 'Software version (ID, version, or platform;version)',
  apply: (values, ctx) =>
    sql`${ctx.alias}."software_version_id" IN (${ctx.idsOf('dcim.softwareversion', values)} UNION SELECT id FROM ${versions} WHERE version = ANY(${values}::text[]))`,
};

/** Device type ids by id, `manufacturer;model` or the model alone. */
function deviceTypeIds(values: string[], ctx: FilterContext): Sql {
  return sql`${ctx.idsOf('dcim.devicetype', values)} UNION SELECT id FROM ${tables.deviceType} WHERE model = ANY(${values}::text[])`;
}

export const softwareVersionFilters: Record<string, FilterDefinition> = {
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      const t = ctx.alias;
      return sql`(${t}."version" ILIKE ${like} OR ${t}."alias" ILIKE ${like}
        OR ${t}."platform_id" IN (SELECT id FROM ${tables.platform} WHERE name ILIKE ${like}))`;
    },
  },
  software_image_files: {
    label: 'Software image files (ID or file name)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT software_version_id FROM ${images} WHERE id IN (${imageIds(values)}))`,
  },
  has_software_image_files: booleanFilter(
    'Has software image files',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${images} i WHERE i.software_version_id = ${ctx.alias}."id")`,
  ),
  device_types: {
    label: 'Has an image file for these device types (ID or model)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT i.software_version_id FROM ${images} i JOIN ${imageDeviceTypes} j ON j.software_image_file_id = i.id
        WHERE j.device_type_id IN (${deviceTypeIds(values, ctx)}))`,
  },
  devices: {
    label: 'Installed on these devices (name or ID)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT software_version_id FROM ${tables.device} WHERE id IN (${ctx.idsOf('dcim.device', values)}))`,
  },
  has_devices: booleanFilter(
    'Installed on devices',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${tables.device} d WHERE d.software_version_id = ${ctx.alias}."id")`,
  ),
};

export const softwareImageFileFilters: Record<string, FilterDefinition> = {
  software_version: softwareVersionFilter,
  device_types: {
    label: 'Device types (ID, model, or manufacturer;model)',
    apply: (values, ctx) =>
      sql`EXISTS (SELECT 1 FROM ${imageDeviceTypes} j WHERE j.software_image_file_id = ${ctx.alias}."id" AND j.device_type_id IN (${deviceTypeIds(values, ctx)}))`,
  },
  q: {
    label: 'Search',
    apply: ([q], ctx) => {
      const like = sql.like(q);
      const t = ctx.alias;
      return sql`(${t}."image_file_name" ILIKE ${like} OR ${t}."image_file_checksum" ILIKE ${like}
        OR ${t}."software_version_id" IN (SELECT id FROM ${versions} WHERE version ILIKE ${like} OR alias ILIKE ${like}))`;
    },
  },
  platform: {
    label: 'Platform of the software version (name or ID)',
    apply: (values, ctx) => ctx.path('software_version.platform', values),
  },
  has_device_types: booleanFilter(
    'Has device types',
    (ctx) =>
      sql`EXISTS (SELECT 1 FROM ${imageDeviceTypes} j WHERE j.software_image_file_id = ${ctx.alias}."id")`,
  ),
  devices: {
    label: 'Assigned to these devices (name or ID)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT softwareimagefile_id FROM ${deviceImages} WHERE device_id IN (${ctx.idsOf('dcim.device', values)}))`,
  },
  has_devices: booleanFilter(
    'Assigned to devices',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${deviceImages} j WHERE j.softwareimagefile_id = ${ctx.alias}."id")`,
  ),
};

/** On devices: `software_version` (as above), `has_software_version`, `has_software_image_files`. */
export const deviceSoftwareFilters: Record<string, FilterDefinition> = {
  software_version: softwareVersionFilter,
  has_software_version: booleanFilter(
    'Has a software version',
    (ctx) => sql`${ctx.alias}."software_version_id" IS NOT NULL`,
  ),
  has_software_image_files: booleanFilter(
    'Has software image files',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${deviceImages} j WHERE j.device_id = ${ctx.alias}."id")`,
  ),
};

/** On device types: the image files listing them. */
export const deviceTypeSoftwareFilters: Record<string, FilterDefinition> = {
  software_image_files: {
    label: 'Software image files (ID or file name)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT device_type_id FROM ${imageDeviceTypes} WHERE software_image_file_id IN (${imageIds(values)}))`,
  },
  has_software_image_files: booleanFilter(
    'Has software image files',
    (ctx) => sql`EXISTS (SELECT 1 FROM ${imageDeviceTypes} j WHERE j.device_type_id = ${ctx.alias}."id")`,
  ),
};
