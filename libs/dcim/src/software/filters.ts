import { booleanFilter, sql, type FilterDefinition } from '@plinth/plugin-sdk';
import { tables } from '../tables';

/** Software filters beyond the ones generated from fields (Nautobot 2.2 names). */

const versions = sql.table('dcim.softwareversion');
const images = sql.table('dcim.softwareimagefile');
const imageDeviceTypes = sql.ident('dcim_devicetypetosoftwareimagefile');
const deviceImages = sql.ident('dcim_device_software_image_files');

/** Image files by id or file name. */
function imageIds(values: string[]): ReturnType<typeof sql> {
  const uuids = values.filter((v) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  );
  return sql`SELECT id FROM ${images} WHERE id = ANY(${uuids}::uuid[]) OR image_file_name = ANY(${values}::text[])`;
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
        WHERE j.device_type_id IN (${ctx.idsOf('dcim.devicetype', values)} UNION SELECT id FROM ${tables.deviceType} WHERE model = ANY(${values}::text[])))`,
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

/** On devices: `has_software_version`, `has_software_image_files` (the fields' own filters are generated). */
export const deviceSoftwareFilters: Record<string, FilterDefinition> = {
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
