import { sql, type ModelRule } from '@plinth/plugin-sdk';
import { tables } from '../tables';
import { checkLocationContentType } from './locations';

/** `ancestor` is `location` or one of its ancestors (SQL, true/false). */
export function isAncestorOrSelf(ancestor: unknown, location: unknown) {
  return sql`EXISTS (WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM ${tables.location} WHERE id = ${location}::uuid UNION SELECT p.id, p.parent_id FROM ${tables.location} p JOIN up ON p.id = up.parent_id) SELECT 1 FROM up WHERE id = ${ancestor}::uuid)`;
}

/**
 * The rack group named by `field` (a parent group, a rack's group) belongs to the object's
 * location or one above it; `describe` words the refusal (group name, group location).
 */
export function groupAbove(
  field: string,
  errorField: string,
  describe: (group: string, location: string) => string,
): ModelRule {
  return async (ctx) => {
    const { record } = ctx;
    if (typeof record[field] !== 'string' || !(ctx.changed(field) || ctx.changed('location'))) return;
    const row = await ctx.tx.one(
      sql`SELECT g.name, l.name AS location_name, ${isAncestorOrSelf(sql`g.location_id`, record.location)} AS ok FROM ${tables.rackGroup} g JOIN ${tables.location} l ON l.id = g.location_id WHERE g.id = ${record[field]}::uuid`,
    );
    if (row && !row.ok) ctx.error(errorField, describe(String(row.name), String(row.location_name)));
  };
}

/** Rack groups: permitted at their location, nested in a group of the same location (or above). */
export const rackGroupRules: ModelRule[] = [
  (ctx) => checkLocationContentType(ctx),
  groupAbove(
    'parent',
    'location',
    (group, location) =>
      `The parent rack group "${group}" belongs to location "${location}", which does not include this location.`,
  ),
];

/** Racks: permitted at their location, in a rack group of that location, tall enough for their devices. */
export const rackRules: ModelRule[] = [
  (ctx) => checkLocationContentType(ctx),
  groupAbove(
    'rack_group',
    'rack_group',
    (group, location) =>
      `The assigned rack group "${group}" belongs to a location ("${location}") that does not include this rack's location.`,
  ),
  async (ctx) => {
    if (ctx.action !== 'update' || !ctx.changed('u_height')) return;
    const row = await ctx.tx.one(
      sql`SELECT max(d.position + dt.u_height - 1) AS top FROM ${tables.device} d JOIN ${tables.deviceType} dt ON dt.id = d.device_type_id WHERE d.rack_id = ${ctx.record.id}::uuid AND d.position IS NOT NULL AND dt.u_height > 0`,
    );
    const top = row?.top === null || row?.top === undefined ? 0 : Number(row.top);
    if (top > Number(ctx.record.u_height)) {
      ctx.error('u_height', `Rack must be at least ${top}U tall to house currently installed devices.`);
    }
  },
];
