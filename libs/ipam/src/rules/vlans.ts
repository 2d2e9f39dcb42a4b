import { sql, type ModelRule } from '@plinth/plugin-sdk';
import { locationContentTypeRule } from '@plinth/dcim';
import { tables } from '../tables';
import { locationCovers } from './locations';

/*
 * VLAN rules. The entity's constraints already answer "vid 1-4094" (field limits) and "vid and
 * name unique within the group" (unique sets, checked before writing); VLANs without a group may
 * repeat IDs, as in Nautobot.
 */

/** A VLAN in a group with a location sits at that location or below it (or has no location). */
const groupLocationMatches: ModelRule = async (ctx) => {
  const { vlan_group: group, location } = ctx.record;
  if (!group || !location || !(ctx.changed('vlan_group') || ctx.changed('location'))) return;
  const g = await ctx.tx.one<{ name: string; location_id: string | null; location: string | null }>(
    sql`SELECT g."name", g."location_id", l."name" AS location FROM ${tables.vlanGroup} g
       LEFT JOIN ${tables.location} l ON l."id" = g."location_id" WHERE g."id" = ${group}::uuid`,
  );
  if (!g?.location_id || (await locationCovers(ctx.tx, g.location_id, location))) return;
  ctx.error(
    'vlan_group',
    `VLAN group ${g.name} belongs to location ${g.location}, which is neither this VLAN's location nor one of its parents.`,
  );
};

export const vlanRules: readonly ModelRule[] = [locationContentTypeRule, groupLocationMatches];

export const vlanGroupRules: readonly ModelRule[] = [locationContentTypeRule];
