import { sql, type ModelRule, type RuleContext } from '@plinth/plugin-sdk';
import { checkLocationContentType } from '../rules/locations';
import { placementsOf } from './placement';
import { moduleTables as mt } from './tables';

/** Deepest nesting followed. */
const MAX_DEPTH = 32;

function isSet(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '';
}

/** Exactly one of two parent fields is set (`device_type`/`module_type`, `parent_device`/`parent_module`). */
function exactlyOne(ctx: RuleContext, a: string, b: string): void {
  const hasA = isSet(ctx.record[a]);
  const hasB = isSet(ctx.record[b]);
  if (hasA && hasB) ctx.error(b, `Only one of ${a} or ${b} may be set.`);
  else if (!hasA && !hasB) ctx.error(a, `Either ${a} or ${b} must be set.`);
}

/** Component templates and module bay templates belong to a device type or a module type. */
export const templateOwnerRule: ModelRule = (ctx) => exactlyOne(ctx, 'device_type', 'module_type');

export const moduleBayTemplateRules: ModelRule[] = [templateOwnerRule];

/** Module bays: on a device or a module; a bay holding a module keeps its parent. */
export const moduleBayRules: ModelRule[] = [
  async (ctx) => {
    exactlyOne(ctx, 'parent_device', 'parent_module');
    if (ctx.action !== 'update' || !(ctx.changed('parent_device') || ctx.changed('parent_module'))) return;
    const installed = await ctx.tx.one(
      sql`SELECT 1 FROM ${mt.module} WHERE parent_module_bay_id = ${ctx.record.id}::uuid`,
    );
    if (installed)
      ctx.error(
        ctx.changed('parent_device') ? 'parent_device' : 'parent_module',
        'The parent of a module bay holding a module cannot change; remove the module first.',
      );
  },
];

/** Modules (Nautobot 2.3's Module.clean): in a bay or at a location; never inside themselves. */
export const moduleRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    const bay = record.parent_module_bay;
    if (isSet(bay) && isSet(record.location))
      ctx.error('location', 'A module installed in a module bay cannot also have a location.');
    else if (!isSet(bay) && !isSet(record.location))
      ctx.error('parent_module_bay', 'A module must be installed in a module bay or have a location.');
    if (ctx.action === 'update' && ctx.changed('module_type'))
      ctx.error(
        'module_type',
        'The module type of a module cannot change; remove the module and add one of the other type.',
      );
    await checkLocationContentType(ctx);
    if (ctx.action !== 'update' || typeof bay !== 'string' || !ctx.changed('parent_module_bay')) return;
    // The bay may not be on this module or on a module nested in it.
    const inside = await ctx.tx.one(sql`WITH RECURSIVE up(module_id, depth) AS (
        SELECT b.parent_module_id, 0 FROM ${mt.moduleBay} b WHERE b.id = ${bay}::uuid
        UNION SELECT b.parent_module_id, up.depth + 1 FROM up JOIN ${mt.module} m ON m.id = up.module_id
          JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id WHERE up.depth < ${MAX_DEPTH}
      ) SELECT 1 FROM up WHERE module_id = ${record.id}::uuid`);
    if (inside)
      ctx.error(
        'parent_module_bay',
        'A module cannot be installed in a module bay of itself or of a module inside it.',
      );
  },
];

/**
 * Placements looked up by the component rule, per transaction: installing a module creates all its
 * components in one batch, each checked. placeModuleComponents forgets them before it creates
 * components, as a module may just have moved.
 */
const known = new WeakMap<object, Map<string, string | null>>();

export function forgetPlacements(tx: { manager: object }): void {
  known.delete(tx.manager);
}

/** A component on a module sits on the device the module is installed in. */
export const componentModuleRule: ModelRule = async (ctx) => {
  const module = ctx.record.module;
  if (typeof module !== 'string' || !(ctx.changed('module') || ctx.changed('device'))) return;
  const cache = known.get(ctx.tx.manager) ?? new Map<string, string | null>();
  known.set(ctx.tx.manager, cache);
  if (!cache.has(module))
    cache.set(module, (await placementsOf(ctx.tx, [module])).get(module)?.device ?? null);
  const device = cache.get(module);
  if (!device) ctx.error('module', 'The module is not installed in a device.');
  else if (device !== ctx.record.device) ctx.error('module', 'The module is installed in another device.');
};
