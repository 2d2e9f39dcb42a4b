import { FormatError, text } from './library-format';

/** The library's key for module bays, on device types and module types alike. */
export const MODULE_BAYS_KEY = 'module-bays';

export interface ModuleBayDefinition {
  name: string;
  label: string;
  position: string;
  description: string;
}

/** A file's `module-bays` list (name, label, position, description; anything else is ignored). */
export function parseModuleBays(raw: unknown, ignored: Set<string>): ModuleBayDefinition[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FormatError(`${MODULE_BAYS_KEY} must be a list`);
  const seen = new Set<string>();
  return raw.map((item: unknown, i) => {
    const where = `${MODULE_BAYS_KEY}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new FormatError(`${where} must be a mapping`);
    const bay = item as Record<string, unknown>;
    const name = text(bay.name, `${where}.name`, true);
    if (!name) throw new FormatError(`${where}.name is required`);
    if (seen.has(name)) throw new FormatError(`${MODULE_BAYS_KEY}: "${name}" appears twice`);
    seen.add(name);
    for (const key of Object.keys(bay))
      if (!['name', 'label', 'position', 'description'].includes(key))
        ignored.add(`${MODULE_BAYS_KEY}[].${key}`);
    return {
      name,
      label: text(bay.label, `${where} (${name}).label`),
      position: text(bay.position, `${where} (${name}).position`),
      description: text(bay.description, `${where} (${name}).description`),
    };
  });
}
