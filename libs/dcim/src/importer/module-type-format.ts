import * as path from 'node:path';
import { pyyamlTags, yamlPackage } from './pyyaml';
import { MODULAR_KINDS } from '../components/kinds';
import { FormatError, checkLinks, component, text, type ComponentDefinition } from './library-format';
import { MODULE_BAYS_KEY, parseModuleBays, type ModuleBayDefinition } from './module-bays-format';

/**
 * The library's module type files (`module-types/<Manufacturer>/<model>.yaml`): manufacturer,
 * model, part number, comments, the component kinds a module may carry and its module bays.
 * Component lists read as in device type files; unknown keys are collected, never an error.
 */

export interface ModuleTypeDefinition {
  manufacturer: string;
  model: string;
  part_number: string;
  comments: string;
  /** Per kind key (`interfaces`), in file order; names may hold `{module}`. */
  components: Record<string, ComponentDefinition[]>;
  module_bays: ModuleBayDefinition[];
  ignored: string[];
}

const TOP_LEVEL = new Set([
  'manufacturer',
  'model',
  'part_number',
  'comments',
  MODULE_BAYS_KEY,
  ...MODULAR_KINDS.map((k) => k.slug),
]);

/** A library file is a module type when it sits under a `module-types` folder (the library's layout). */
export function isModuleTypeFile(file: string): boolean {
  return file.split(path.sep).includes('module-types') || file.split('/').includes('module-types');
}

/** Read one module type file. Throws FormatError when it cannot be used. */
export function parseModuleType(source: string): ModuleTypeDefinition {
  let doc: unknown;
  const { YAMLParseError, parse } = yamlPackage();
  try {
    // YAML 1.1, as the library's own tooling (PyYAML) reads it.
    doc = parse(source, { prettyErrors: true, uniqueKeys: true, version: '1.1', customTags: pyyamlTags });
  } catch (e) {
    if (e instanceof YAMLParseError)
      throw new FormatError(`invalid YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`);
    throw e;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new FormatError('the file must hold a mapping (manufacturer, model, ...)');
  const d = doc as Record<string, unknown>;
  const ignored = new Set(Object.keys(d).filter((k) => !TOP_LEVEL.has(k)));
  const manufacturer = text(d.manufacturer, 'manufacturer', true);
  const model = text(d.model, 'model', true);
  if (!manufacturer) throw new FormatError('manufacturer is required');
  if (!model) throw new FormatError('model is required');
  const components: Record<string, ComponentDefinition[]> = {};
  for (const kind of MODULAR_KINDS) {
    const list = d[kind.slug];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new FormatError(`${kind.slug} must be a list`);
    const items = list.map((raw, i) => component(kind, raw, `${kind.slug}[${i}]`, ignored));
    const seen = new Set<string>();
    for (const c of items) {
      if (seen.has(c.name)) throw new FormatError(`${kind.slug}: "${c.name}" appears twice`);
      seen.add(c.name);
    }
    components[kind.slug] = items;
  }
  for (const kind of MODULAR_KINDS)
    for (const c of components[kind.slug] ?? []) checkLinks(kind, c, components);
  return {
    manufacturer,
    model,
    part_number: text(d.part_number, 'part_number'),
    comments: text(d.comments, 'comments'),
    components,
    module_bays: parseModuleBays(d[MODULE_BAYS_KEY], ignored),
    ignored: [...ignored].sort(),
  };
}
