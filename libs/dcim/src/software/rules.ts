import { sql, type ModelRule } from '@plinth/plugin-sdk';

const images = sql.table('dcim.softwareimagefile');
const imageDeviceTypes = sql.ident('dcim_devicetypetosoftwareimagefile');

/**
 * A device's own image files must each be a default image of its version or be for the
 * device's type (Nautobot's Device.clean); checked again when the device type changes.
 */
export const deviceSoftwareRules: ModelRule[] = [
  async (ctx) => {
    const files = (ctx.record.software_image_files as string[] | undefined) ?? [];
    if (files.length === 0 || !(ctx.changed('software_image_files') || ctx.changed('device_type'))) return;
    const bad = await ctx.tx.query(
      sql`SELECT i.image_file_name, v.version, (SELECT model FROM ${sql.table('dcim.devicetype')} WHERE id = ${ctx.record.device_type}::uuid) AS model
        FROM ${images} i JOIN ${sql.table('dcim.softwareversion')} v ON v.id = i.software_version_id
        WHERE i.id = ANY(${files}::uuid[]) AND NOT i.default_image AND NOT EXISTS (
          SELECT 1 FROM ${imageDeviceTypes} j WHERE j.software_image_file_id = i.id AND j.device_type_id = ${ctx.record.device_type}::uuid)
        ORDER BY i.image_file_name`,
    );
    for (const row of bad) {
      ctx.error(
        'software_image_files',
        `Software image file ${String(row.image_file_name)} for version '${String(row.version)}' is not valid for device type ${String(row.model)}.`,
      );
    }
  },
];
