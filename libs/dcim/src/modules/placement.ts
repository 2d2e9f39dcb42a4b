import { ValidationError, sql, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { moduleTables as mt } from './tables';

/** Deepest nesting followed (a guard against a cycle a concurrent write could make). */
const MAX_DEPTH = 32;

/** Where an installed module sits: the device at the top of its bays, and the bay positions from the top down. */
export interface Placement {
  module: string;
  device: string;
  positions: string[];
}

/**
 * Placements of modules that are installed (through their bays, and the bays of the modules those
 * sit in) in a device; modules in storage, or in a module in storage, have none.
 */
export async function placementsOf(db: SqlRunner, modules: string[]): Promise<Map<string, Placement>> {
  if (modules.length === 0) return new Map();
  const rows = await db.query(sql`WITH RECURSIVE chain(module_id, up_module, device_id, positions, depth) AS (
      SELECT m.id, b.parent_module_id, b.parent_device_id, ARRAY[b.position]::text[], 0
        FROM ${mt.module} m JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id WHERE m.id = ANY(${modules}::uuid[])
      UNION ALL
      SELECT c.module_id, b.parent_module_id, b.parent_device_id, b.position || c.positions, c.depth + 1
        FROM chain c JOIN ${mt.module} pm ON pm.id = c.up_module JOIN ${mt.moduleBay} b ON b.id = pm.parent_module_bay_id
        WHERE c.depth < ${MAX_DEPTH}
    ) SELECT module_id, device_id, positions FROM chain WHERE up_module IS NULL AND device_id IS NOT NULL`);
  return new Map(
    rows.map((r) => [
      String(r.module_id),
      { module: String(r.module_id), device: String(r.device_id), positions: r.positions as string[] },
    ]),
  );
}

/** Ids of the given modules and of every module nested in their bays, below them. */
export function moduleSubtree(modules: Sql): Sql {
  return sql`WITH RECURSIVE sub(id, depth) AS (
      SELECT id, 0 FROM ${mt.module} WHERE id IN (${modules})
      UNION SELECT m.id, sub.depth + 1 FROM ${mt.module} m JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id
        JOIN sub ON b.parent_module_id = sub.id WHERE sub.depth < ${MAX_DEPTH}
    ) SELECT id FROM sub`;
}

/** Ids of modules installed in a device, at any depth (`devices`: a subquery of device ids). */
export function modulesOnDevices(devices: Sql): Sql {
  return moduleSubtree(
    sql`SELECT m.id FROM ${mt.module} m JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id WHERE b.parent_device_id IN (${devices})`,
  );
}

/** Ids of module bays of a device, at any depth (its own and those of modules installed in it). */
export function moduleBaysOnDevices(devices: Sql): Sql {
  return sql`SELECT id FROM ${mt.moduleBay} WHERE parent_device_id IN (${devices})
    UNION ALL SELECT id FROM ${mt.moduleBay} WHERE parent_module_id IN (${modulesOnDevices(devices)})`;
}

const TOKEN = '{module}';

/**
 * A module's component name with `{module}` replaced by bay positions (NetBox's and Nautobot's
 * rule): one token is the position of the module's own bay; several tokens take the positions of
 * the bays from the top down, as many levels as there are tokens, ending at the module's own bay.
 * More tokens than nesting levels is an error (the name cannot be rendered).
 */
export function renderModuleName(text: string, positions: readonly string[]): string {
  const parts = text.split(TOKEN);
  const tokens = parts.length - 1;
  if (tokens === 0) return text;
  if (tokens > positions.length) {
    throw ValidationError.field(
      'parent_module_bay',
      `Cannot render "${text}": it has ${tokens} {module} tokens but the module is nested ${positions.length} level${positions.length === 1 ? '' : 's'} deep.`,
    );
  }
  const used = tokens === 1 ? positions.slice(-1) : positions.slice(positions.length - tokens);
  return parts.reduce((out, part, i) => (i === 0 ? part : `${out}${used[i - 1]}${part}`), '');
}
