import { sql, type BatchContext, type Rec, type TransactionContext } from '@plinth/plugin-sdk';
import { BatchErrors } from '../batch';
import { MODULAR_KINDS } from '../components/kinds';
import { instantiateTemplates, templatesOf } from '../rules/instantiate';
import { tables } from '../tables';
import { placementsOf, renderModuleName } from './placement';
import { forgetPlacements } from './rules';
import { moduleTables as mt } from './tables';

/** Deepest nesting followed. */
const MAX_DEPTH = 32;

/**
 * Module bays from the module bay templates of each owner's type: a new device's from its device
 * type, a new module's from its module type (the bays belong to the module wherever it is).
 */
export async function instantiateModuleBays(
  tx: TransactionContext,
  column: 'device_type_id' | 'module_type_id',
  owners: readonly { id: string; type: string }[],
): Promise<void> {
  const types = [...new Set(owners.map((o) => o.type))];
  if (types.length === 0) return;
  const templates = await tx.query(
    sql`SELECT * FROM ${mt.moduleBayTemplate} WHERE ${sql.ident(column)} = ANY(${types}::uuid[]) ORDER BY name`,
  );
  if (templates.length === 0) return;
  const parent = column === 'device_type_id' ? 'parent_device' : 'parent_module';
  const data: Rec[] = [];
  for (const owner of owners)
    for (const t of templates.filter((x) => String(x[column]) === owner.type))
      data.push({
        [parent]: owner.id,
        name: t.name,
        position: t.position,
        label: t.label,
        description: t.description,
      });
  if (data.length) await tx.objects.create('dcim.modulebay', data);
}

/** A device's module bays from its device type's templates (a device hook). */
export async function instantiateDeviceModuleBays(ctx: BatchContext): Promise<void> {
  await instantiateModuleBays(
    ctx.tx,
    'device_type_id',
    ctx.records.map((d) => ({ id: String(d.id), type: String(d.device_type) })),
  );
}

/** The given modules and every module nested below them, each with the given module it is under. */
async function subtrees(tx: TransactionContext, roots: string[]): Promise<{ root: string; id: string }[]> {
  const rows = await tx.query(sql`WITH RECURSIVE sub(root, id, depth) AS (
      SELECT id, id, 0 FROM ${mt.module} WHERE id = ANY(${roots}::uuid[])
      UNION SELECT sub.root, m.id, sub.depth + 1 FROM ${mt.module} m JOIN ${mt.moduleBay} b ON b.id = m.parent_module_bay_id
        JOIN sub ON b.parent_module_id = sub.id WHERE sub.depth < ${MAX_DEPTH}
    ) SELECT root, id FROM sub`);
  return rows.map((r) => ({ root: String(r.root), id: String(r.id) }));
}

/**
 * Put the components of the written modules (and of the modules nested in them) where they now
 * are: whatever components they had are removed, and each module installed (at any depth) in a
 * device gets one component per template of its module type on that device, its name and label
 * rendered with the bay positions (`{module}`). A module in storage has none. A rendered name
 * taken by another component of the device fails the write with a 400 on `parent_module_bay`.
 */
export async function placeModuleComponents(tx: TransactionContext, records: readonly Rec[]): Promise<void> {
  const members = await subtrees(
    tx,
    records.map((r) => String(r.id)),
  );
  const ids = members.map((m) => m.id);
  const rootOf = new Map(members.map((m) => [m.id, m.root]));
  for (const kind of MODULAR_KINDS) {
    const old = await tx.query(
      sql`SELECT id FROM ${sql.table(kind.label)} WHERE module_id = ANY(${ids}::uuid[])`,
    );
    if (old.length)
      await tx.objects.delete(
        kind.label,
        old.map((o) => String(o.id)),
      );
  }
  forgetPlacements(tx);
  const placements = await placementsOf(tx, ids);
  if (placements.size === 0) return;
  const typeRows = await tx.query(
    sql`SELECT id, module_type_id FROM ${mt.module} WHERE id = ANY(${[...placements.keys()]}::uuid[])`,
  );
  const owners = typeRows.map((r) => {
    const place = placements.get(String(r.id))!;
    return {
      id: String(r.id),
      type: String(r.module_type_id),
      base: { device: place.device, module: String(r.id) },
      rename: (text: string) => renderModuleName(text, place.positions),
    };
  });
  await checkNameCollisions(tx, owners, rootOf, records);
  await instantiateTemplates(tx, 'module_type_id', owners, MODULAR_KINDS);
}

/**
 * Components are named uniquely per device: every name a module would add is checked against
 * the device's components and the other new ones first, so the answer names the module's field
 * and the clashing component rather than a component the client never submitted.
 */
async function checkNameCollisions(
  tx: TransactionContext,
  owners: readonly { id: string; type: string; base: Rec; rename: (t: string) => string }[],
  rootOf: Map<string, string>,
  records: readonly Rec[],
): Promise<void> {
  const templates = await templatesOf(
    tx,
    MODULAR_KINDS,
    'module_type_id',
    owners.map((o) => o.type),
  );
  const devices = [...new Set(owners.map((o) => String(o.base.device)))];
  const errors = new BatchErrors();
  for (const kind of MODULAR_KINDS) {
    const list = templates.get(kind.label) ?? [];
    if (list.length === 0) continue;
    const existing = await tx.query(
      sql`SELECT c.device_id, c.name, d.name AS device_name FROM ${sql.table(kind.label)} c JOIN ${tables.device} d ON d.id = c.device_id
        WHERE c.device_id = ANY(${devices}::uuid[])`,
    );
    const taken = new Set(existing.map((e) => `${String(e.device_id)}|${String(e.name)}`));
    const deviceName = new Map(existing.map((e) => [String(e.device_id), e.device_name]));
    for (const owner of owners) {
      for (const t of list.filter((x) => String(x.module_type_id) === owner.type)) {
        const name = owner.rename(String(t.name));
        const key = `${String(owner.base.device)}|${name}`;
        if (taken.has(key)) {
          const on = deviceName.get(String(owner.base.device));
          errors.add(
            rootOf.get(owner.id) ?? owner.id,
            'parent_module_bay',
            `Cannot install the module: the device${on ? ` ${String(on)}` : ''} already has a ${kind.verbose_name} named "${name}".`,
          );
        }
        taken.add(key);
      }
    }
  }
  errors.throwIfAny(records);
}

/** New modules: their module bays, then (installed ones) their components. */
export async function afterModuleCreate(ctx: BatchContext): Promise<void> {
  await instantiateModuleBays(
    ctx.tx,
    'module_type_id',
    ctx.records.map((m) => ({ id: String(m.id), type: String(m.module_type) })),
  );
  await placeModuleComponents(ctx.tx, ctx.records);
}

/** A module moved to another bay, into storage or out of it: its components (and nested modules') follow. */
export async function afterModuleUpdate(ctx: BatchContext): Promise<void> {
  const moved = ctx.records.filter(
    (r, i) => ctx.before && r.parent_module_bay !== ctx.before[i].parent_module_bay,
  );
  if (moved.length) await placeModuleComponents(ctx.tx, moved);
}
