import { CoreModels, sql, type CustomValidator } from '@plinth/plugin-sdk';

const locations = sql.table(CoreModels.location);

/**
 * A device hosting a cluster sits at the cluster's location or below it (Nautobot's
 * Device.clean); a cluster without a location takes hosts anywhere. Contributed as a custom
 * validator: dcim cannot depend on virtualization.
 */
export const deviceClusterValidator: CustomValidator = {
  model: 'dcim.device',
  async validate(ctx) {
    const cluster = ctx.object.cluster as string | null;
    if (!cluster || !(ctx.changed('cluster') || ctx.changed('location'))) return;
    const row = await ctx.tx.one<{ name: string; location: string | null; ok: boolean }>(
      sql`WITH RECURSIVE _up(id, parent_id) AS (
            SELECT "id", "parent_id" FROM ${locations} WHERE "id" = ${ctx.object.location}::uuid
            UNION SELECT _l."id", _l."parent_id" FROM ${locations} _l JOIN _up ON _l."id" = _up.parent_id)
          SELECT c."name", l."name" AS location,
                 (c."location_id" IS NULL OR c."location_id" IN (SELECT id FROM _up)) AS ok
            FROM ${sql.table('virtualization.cluster')} c LEFT JOIN ${locations} l ON l."id" = c."location_id"
           WHERE c."id" = ${cluster}::uuid`,
    );
    if (row && !row.ok) {
      ctx.error(
        'cluster',
        `The assigned cluster (${row.name}) is at ${row.location}, which does not include this device's location.`,
      );
    }
  },
};
