import { sql, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { WriteLookup } from '../batch';
import { tables } from '../tables';

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The type of each location the objects of a write name. */
const locationTypes = new WriteLookup(
  (ids) =>
    sql`SELECT l.id, lt.name, lt.content_types FROM ${tables.location} l JOIN ${tables.locationType} lt ON lt.id = l.location_type_id WHERE l.id = ANY(${ids}::uuid[])`,
);

/** Reads the location types of every object of a write in one statement (a `prepareMany` hook). */
export async function prefetchLocationTypes(ctxs: readonly RuleContext[], field = 'location'): Promise<void> {
  if (ctxs.length)
    await locationTypes.prefetch(
      ctxs[0].tx,
      ctxs.map((c) => c.record[field]),
    );
}

/**
 * Objects assigned to a location must be of a type the location's type permits (its
 * `content_types`), as Nautobot. Exported for other plugins' models that have a location
 * (ipam prefixes and VLANs, circuit terminations). Checked when the location is set or changed.
 */
export async function checkLocationContentType(ctx: RuleContext, field = 'location'): Promise<void> {
  const location = ctx.record[field];
  if (typeof location !== 'string' || !ctx.changed(field)) return;
  const type = await locationTypes.get(ctx.tx, location);
  if (type && !((type.content_types as string[] | null) ?? []).includes(ctx.model.label)) {
    ctx.error(
      field,
      `${capitalize(ctx.model.verbose_name_plural)} may not associate to locations of type "${String(type.name)}".`,
    );
  }
}

/** The same check as a model rule. */
export const locationContentTypeRule: ModelRule = (ctx) => checkLocationContentType(ctx);

/** Rules of location types (Nautobot's LocationType.clean). */
export const locationTypeRules: ModelRule[] = [
  (ctx) => {
    // Only models with the `locations` feature can be assigned to locations.
    const types = (ctx.record.content_types as string[] | null) ?? [];
    for (const label of types) {
      if (!ctx.tx.models.get(label)?.has('locations')) {
        ctx.error('content_types', `${label} objects cannot be assigned to locations.`);
      }
    }
  },
  async (ctx) => {
    if (ctx.action !== 'update') return;
    const id = ctx.record.id;
    if (ctx.changed('nestable') && !ctx.record.nestable) {
      const nested = await ctx.tx.one(
        sql`SELECT 1 FROM ${tables.location} l JOIN ${tables.location} p ON p.id = l.parent_id WHERE l.location_type_id = ${id}::uuid AND p.location_type_id = ${id}::uuid LIMIT 1`,
      );
      if (nested) {
        ctx.error(
          'nestable',
          'There are existing nested Locations of this type, so changing this Location Type to be non-nestable is not permitted.',
        );
      }
    }
    if (ctx.changed('parent')) {
      const used = await ctx.tx.one(
        sql`SELECT 1 FROM ${tables.location} WHERE location_type_id = ${id}::uuid LIMIT 1`,
      );
      if (used) {
        ctx.error(
          'parent',
          'This LocationType currently has Locations using it, therefore its parent cannot be changed at this time.',
        );
      }
    }
  },
];

/** Rules of locations: the type hierarchy (Nautobot's Location.clean) and root-level names. */
export const locationRules: ModelRule[] = [
  async (ctx) => {
    const { record, tx } = ctx;
    if (ctx.action === 'update' && ctx.changed('location_type')) {
      ctx.error('location_type', 'Changing the type of an existing Location is not permitted.');
      return;
    }
    const type = await tx.one(
      sql`SELECT t.id, t.name, t.nestable, t.parent_id, p.name AS parent_name FROM ${tables.locationType} t LEFT JOIN ${tables.locationType} p ON p.id = t.parent_id WHERE t.id = ${record.location_type}::uuid`,
    );
    if (!type) return;
    const parent =
      typeof record.parent === 'string'
        ? await tx.one(sql`SELECT location_type_id FROM ${tables.location} WHERE id = ${record.parent}::uuid`)
        : undefined;
    const name = String(type.name);
    const parentType = parent ? String(parent.location_type_id) : null;
    if (type.parent_id === null) {
      if (!parent) return;
      if (!type.nestable) ctx.error('parent', `A Location of type ${name} must not have a parent Location.`);
      else if (parentType !== type.id)
        ctx.error(
          'parent',
          `A Location of type ${name} may only have a Location of the same type as its parent.`,
        );
      return;
    }
    if (!parent) {
      ctx.error('parent', `A Location of type ${name} must have a parent Location.`);
      return;
    }
    const allowed = type.nestable ? [type.id, type.parent_id] : [type.parent_id];
    if (!allowed.includes(parentType)) {
      ctx.error(
        'parent',
        type.nestable
          ? `A Location of type ${name} can only have a Location of the same type or of type ${String(type.parent_name)} as its parent.`
          : `A Location of type ${name} can only have a Location of type ${String(type.parent_name)} as its parent.`,
      );
    }
  },
  async (ctx) => {
    // The (parent, name) constraint does not see two root locations as clashing (NULL parents).
    if (ctx.record.parent !== null || !(ctx.changed('name') || ctx.changed('parent'))) return;
    const clash = await ctx.tx.query(
      sql`SELECT 1 FROM ${tables.location} WHERE parent_id IS NULL AND name = ${ctx.record.name} AND id <> ${ctx.record.id}::uuid LIMIT 1`,
    );
    if (clash.length) ctx.error('name', 'A root-level location with this name already exists.');
  },
];
