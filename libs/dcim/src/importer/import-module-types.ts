import type { AnyRecord, ObjectsApi, Rec } from '@plinth/plugin-sdk';
import {
  addCounts,
  applyTemplates,
  differs,
  type Outcome,
  type TemplateCounts,
  type TemplateOwnerRef,
} from './import-device-types';
import type { ModuleTypeDefinition } from './module-type-format';
import type { ModuleBayDefinition } from './module-bays-format';

/** A type's module bay templates from a file's `module-bays`, matched by name (as component templates). */
export async function applyModuleBayTemplates(
  objects: ObjectsApi,
  owner: TemplateOwnerRef,
  bays: readonly ModuleBayDefinition[],
): Promise<TemplateCounts> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  if (bays.length === 0) return counts;
  const stored = await objects.find('dcim.modulebaytemplate', owner);
  const byName = new Map(stored.map((s) => [String(s.name), s]));
  const create: Rec[] = [];
  const update: AnyRecord[] = [];
  for (const bay of bays) {
    const values: Rec = { label: bay.label, position: bay.position, description: bay.description };
    const current = byName.get(bay.name);
    if (!current) create.push({ ...owner, name: bay.name, ...values });
    else if (differs(current, values)) update.push({ id: current.id, ...values });
    else counts.unchanged++;
  }
  if (create.length) await objects.create('dcim.modulebaytemplate', create);
  if (update.length) await objects.update('dcim.modulebaytemplate', update);
  counts.created += create.length;
  counts.updated += update.length;
  return counts;
}

/**
 * Create or update one module type and its templates from a library file, idempotently (the
 * manufacturer and module type matched by name and model, templates by name).
 */
export async function applyModuleTypeDefinition(
  objects: ObjectsApi,
  def: ModuleTypeDefinition,
): Promise<{ module_type: string; outcome: Outcome; templates: TemplateCounts; ignored: string[] }> {
  const [maker] = await objects.find('dcim.manufacturer', { name: def.manufacturer });
  const manufacturer = maker ?? (await objects.create('dcim.manufacturer', [{ name: def.manufacturer }]))[0];
  const fields: Rec = { part_number: def.part_number, comments: def.comments };
  const [existing] = await objects.find('dcim.moduletype', {
    manufacturer: String(manufacturer.id),
    model: def.model,
  });
  let outcome: Outcome = 'unchanged';
  let type = existing;
  if (!type) {
    [type] = await objects.create('dcim.moduletype', [
      { manufacturer: manufacturer.id, model: def.model, ...fields },
    ]);
    outcome = 'created';
  } else if (differs(type, fields)) {
    [type] = await objects.update('dcim.moduletype', [{ id: type.id, ...fields }]);
    outcome = 'updated';
  }
  const owner = { module_type: String(type.id) };
  const counts = await applyTemplates(objects, owner, def.components);
  addCounts(counts, await applyModuleBayTemplates(objects, owner, def.module_bays));
  if (outcome === 'unchanged' && counts.created + counts.updated > 0) outcome = 'updated';
  return {
    module_type: `${def.manufacturer} ${def.model}`,
    outcome,
    templates: counts,
    ignored: def.ignored,
  };
}
