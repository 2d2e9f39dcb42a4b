import { getFieldMetas, type Choice } from '@plinth/plugin-sdk';
import { AIRFLOWS, FEED_LEGS, SUBDEVICE_ROLES, WEIGHT_UNITS } from '../choices';
import { COMPONENT_KINDS, type ComponentKind } from '../components/kinds';
import * as templateEntities from '../entities/device-types';
import { parseModuleBays, type ModuleBayDefinition } from './module-bays-format';
import { pyyamlTags, yamlPackage } from './pyyaml';

/**
 * The community devicetype-library YAML format (netbox-community/devicetype-library), read into
 * the shape of Plinth's device types and component templates. Everything a file says that
 * Plinth cannot store is collected (`ignored`), never an error; what it says wrongly is.
 */

export type Scalar = string | number | boolean | null;

/**
 * A kind's keys in the file besides name, label and description: its template's fields, a link
 * to another template under the component's name for it (`power_port: PSU1`, by name).
 */
export function fileFields(kind: ComponentKind): string[] {
  return kind.template_fields.map((f) => kind.links?.[f]?.field ?? f);
}

/** A kind's `type` as its template declares it: the values, and whether it may be left out. */
function typeOf(kind: ComponentKind): { choices: readonly Choice[]; required: boolean } {
  const f = getFieldMetas(templateEntities[kind.template_entity]).find((x) => x.name === 'type');
  return { choices: f?.choices ?? [], required: !!f && !f.blank };
}

/** Keys stored on the device type besides the core ones (see physicalFields). */
const PHYSICAL_KEYS = ['airflow', 'weight', 'weight_unit', 'description'] as const;

/**
 * The library's own bookkeeping: `front_image`/`rear_image` say an elevation image sits beside the
 * file in the library repository (images are not part of a device-type file), `is_powered: false`
 * says the device draws no power (checked: such a file has no power ports).
 */
const LIBRARY_KEYS = ['front_image', 'rear_image', 'is_powered'] as const;

/** Inventory items the type's devices start with (inventory item templates). */
const INVENTORY_KEY = 'inventory-items';
const INVENTORY_ITEM_KEYS = ['name', 'label', 'manufacturer', 'part_id', 'description'];

export interface InventoryItemDefinition {
  name: string;
  label: string;
  /** The manufacturer's name (created by the import when missing), '' for none. */
  manufacturer: string;
  part_id: string;
  description: string;
}

const TOP_LEVEL = new Set([
  'manufacturer',
  'model',
  'slug',
  'u_height',
  'is_full_depth',
  'part_number',
  'subdevice_role',
  'comments',
  'module-bays',
  ...PHYSICAL_KEYS,
  ...LIBRARY_KEYS,
  INVENTORY_KEY,
  ...COMPONENT_KINDS.map((k) => k.slug),
]);

export interface ComponentDefinition {
  name: string;
  label: string;
  description: string;
  /** Kind-specific fields (`type`, `positions`, `power_port` as a name, ...). */
  values: Record<string, Scalar>;
}

export interface DeviceTypeDefinition {
  manufacturer: string;
  model: string;
  part_number: string;
  u_height: number;
  is_full_depth: boolean;
  subdevice_role: string;
  comments: string;
  airflow: string;
  weight: number | null;
  weight_unit: string;
  description: string;
  inventory_items: InventoryItemDefinition[];
  /** Per kind key (`interfaces`), in file order. */
  components: Record<string, ComponentDefinition[]>;
  /** Module bay templates (`module-bays`), in file order. */
  module_bays: ModuleBayDefinition[];
  /** Keys Plinth has no place for: `airflow`, `interfaces[].poe_mode`, ... */
  ignored: string[];
}

/** What is wrong with a file, said so that its author can find it. */
export class FormatError extends Error {}

export function text(v: unknown, where: string, required = false): string {
  if (v === undefined || v === null) {
    if (required) throw new FormatError(`${where} is required`);
    return '';
  }
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  throw new FormatError(`${where} must be text, not ${Array.isArray(v) ? 'a list' : typeof v}`);
}

function bool(v: unknown, where: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new FormatError(`${where} must be true or false`);
  return v;
}

function whole(v: unknown, where: string, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new FormatError(`${where} must be a whole number of at least ${min} (got ${JSON.stringify(v)})`);
  }
  return v;
}

function choice(v: unknown, where: string, list: readonly Choice[], what: string): string {
  const s = text(v, where);
  if (s && !list.some((c) => c.value === s)) throw new FormatError(`${where}: unknown ${what} "${s}"`);
  return s;
}

export function component(
  kind: ComponentKind,
  raw: unknown,
  where: string,
  ignored: Set<string>,
): ComponentDefinition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FormatError(`${where} must be a mapping`);
  const item = raw as Record<string, unknown>;
  const name = text(item.name, `${where}.name`, true);
  if (!name) throw new FormatError(`${where}.name is required`);
  const at = `${where} (${name})`;
  const values: Record<string, Scalar> = {};
  const fields = fileFields(kind);
  for (const f of fields) {
    const v = item[f];
    switch (f) {
      case 'type': {
        const type = typeOf(kind);
        if (type.required && (v === undefined || v === null || v === ''))
          throw new FormatError(`${at}.type is required`);
        values.type = choice(v, `${at}.type`, type.choices, `${kind.verbose_name} type`);
        break;
      }
      case 'mgmt_only':
        values.mgmt_only = bool(v, `${at}.mgmt_only`, false);
        break;
      case 'maximum_draw':
      case 'allocated_draw':
        values[f] = whole(v, `${at}.${f}`, 1);
        break;
      case 'positions':
        values.positions = whole(v, `${at}.positions`, 1) ?? 1;
        break;
      case 'rear_port_position':
        values.rear_port_position = whole(v, `${at}.rear_port_position`, 1) ?? 1;
        break;
      case 'feed_leg':
        values.feed_leg = choice(v, `${at}.feed_leg`, FEED_LEGS, 'feed leg');
        break;
      case 'power_port':
        values.power_port = text(v, `${at}.power_port`) || null;
        break;
      case 'rear_port':
        values.rear_port = text(v, `${at}.rear_port`, true);
        break;
      default:
        values[f] = templateValue(kind, f, v, `${at}.${f}`);
    }
  }
  for (const key of Object.keys(item)) {
    if (!['name', 'label', 'description', ...fields].includes(key)) ignored.add(`${kind.slug}[].${key}`);
  }
  return {
    name,
    label: text(item.label, `${at}.label`),
    description: text(item.description, `${at}.description`),
    values,
  };
}

/** The templates a component links to are in the file (a front port's rear port has its position). */
export function checkLinks(
  kind: ComponentKind,
  c: ComponentDefinition,
  components: Record<string, ComponentDefinition[]>,
): void {
  for (const link of Object.values(kind.links ?? {})) {
    const name = c.values[link.field];
    if (name === null || name === undefined) continue;
    const target = COMPONENT_KINDS.find((k) => k.model === link.kind)!;
    const other = (components[target.slug] ?? []).find((t) => t.name === String(name));
    if (!other)
      throw new FormatError(
        `${kind.slug} (${c.name}): ${target.verbose_name} "${String(name)}" is not defined`,
      );
    const position = c.values.rear_port_position;
    if (position !== undefined && Number(position) > Number(other.values.positions))
      throw new FormatError(
        `${kind.slug} (${c.name}): rear_port_position ${String(position)} exceeds the ${Number(other.values.positions)} positions of "${String(name)}"`,
      );
  }
}

/** A template field the switch above does not name (`poe_mode`), read as its field kind says. */
function templateValue(kind: ComponentKind, name: string, v: unknown, where: string): Scalar {
  const f = getFieldMetas(templateEntities[kind.template_entity]).find((x) => x.name === name);
  if (!f) throw new Error(`${kind.template_entity} has no field "${name}"`);
  switch (f.kind) {
    case 'choice':
      return choice(v, where, f.choices ?? [], f.label ?? name);
    case 'boolean':
      return bool(v, where, f.default === true);
    case 'integer':
      return whole(v, where, f.min_value ?? 0);
    default:
      return text(v, where);
  }
}

/** The `inventory-items` list: names unique, manufacturers by name. */
function inventoryItems(list: unknown, ignored: Set<string>): InventoryItemDefinition[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new FormatError(`${INVENTORY_KEY} must be a list`);
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const where = `${INVENTORY_KEY}[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new FormatError(`${where} must be a mapping`);
    const item = raw as Record<string, unknown>;
    const name = text(item.name, `${where}.name`, true);
    if (!name) throw new FormatError(`${where}.name is required`);
    if (seen.has(name)) throw new FormatError(`${INVENTORY_KEY}: "${name}" appears twice`);
    seen.add(name);
    for (const key of Object.keys(item))
      if (!INVENTORY_ITEM_KEYS.includes(key)) ignored.add(`${INVENTORY_KEY}[].${key}`);
    const at = `${where} (${name})`;
    return {
      name,
      label: text(item.label, `${at}.label`),
      manufacturer: text(item.manufacturer, `${at}.manufacturer`),
      part_id: text(item.part_id, `${at}.part_id`),
      description: text(item.description, `${at}.description`),
    };
  });
}

/** Airflow, weight and description of the device type. */
function physicalFields(
  d: Record<string, unknown>,
): Pick<DeviceTypeDefinition, 'airflow' | 'weight' | 'weight_unit' | 'description'> {
  const weight = d.weight;
  if (weight !== undefined && weight !== null && (typeof weight !== 'number' || weight < 0))
    throw new FormatError(`weight must be a number of at least 0 (got ${JSON.stringify(weight)})`);
  const unit = choice(d.weight_unit, 'weight_unit', WEIGHT_UNITS, 'weight unit');
  if (typeof weight === 'number' && !unit) throw new FormatError('weight_unit is required with weight');
  return {
    airflow: choice(d.airflow, 'airflow', AIRFLOWS, 'airflow'),
    weight: typeof weight === 'number' ? weight : null,
    weight_unit: unit,
    description: text(d.description, 'description'),
  };
}

/** The library's bookkeeping keys are well-formed, and a device said to be unpowered has no power ports. */
function checkLibraryKeys(
  d: Record<string, unknown>,
  components: Record<string, ComponentDefinition[]>,
): void {
  for (const key of LIBRARY_KEYS) bool(d[key], key, true);
  if (d.is_powered === false && (components['power-ports'] ?? []).length > 0)
    throw new FormatError('is_powered is false, yet the device type has power ports');
}

/** Read one library file. Throws FormatError (or the YAML parser's error) when it cannot be used. */
export function parseDeviceType(source: string): DeviceTypeDefinition {
  let doc: unknown;
  const { YAMLParseError, parse } = yamlPackage();
  try {
    // YAML 1.1, as the library's tooling (PyYAML) reads it: an unquoted `08` is the text "08".
    doc = parse(source, { prettyErrors: true, uniqueKeys: true, version: '1.1', customTags: pyyamlTags });
  } catch (e) {
    // The parser's message ends with an excerpt of the file; its first line says it all.
    if (e instanceof YAMLParseError)
      throw new FormatError(`invalid YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`);
    throw e;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new FormatError('the file must hold a mapping (manufacturer, model, ...)');
  }
  const d = doc as Record<string, unknown>;
  const ignored = new Set(Object.keys(d).filter((k) => !TOP_LEVEL.has(k)));
  const manufacturer = text(d.manufacturer, 'manufacturer', true);
  const model = text(d.model, 'model', true);
  if (!manufacturer) throw new FormatError('manufacturer is required');
  if (!model) throw new FormatError('model is required');
  text(d.slug, 'slug');
  // A child device type sits in a device bay, not in rack units: 0U when the file says nothing.
  const height = d.u_height ?? (d.subdevice_role === 'child' ? 0 : 1);
  if (typeof height !== 'number' || height < 0 || !Number.isFinite(height)) {
    throw new FormatError(`u_height must be a number of rack units (got ${JSON.stringify(height)})`);
  }
  if (!Number.isInteger(height)) {
    throw new FormatError(`u_height ${height}: Plinth stores whole rack units only (as Nautobot)`);
  }
  const components: Record<string, ComponentDefinition[]> = {};
  for (const kind of COMPONENT_KINDS) {
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
  for (const kind of COMPONENT_KINDS)
    for (const c of components[kind.slug] ?? []) checkLinks(kind, c, components);
  checkLibraryKeys(d, components);
  return {
    manufacturer,
    model,
    part_number: text(d.part_number, 'part_number'),
    u_height: height,
    is_full_depth: bool(d.is_full_depth, 'is_full_depth', true),
    subdevice_role: choice(d.subdevice_role, 'subdevice_role', SUBDEVICE_ROLES, 'subdevice role'),
    comments: text(d.comments, 'comments'),
    ...physicalFields(d),
    inventory_items: inventoryItems(d[INVENTORY_KEY], ignored),
    components,
    module_bays: parseModuleBays(d['module-bays'], ignored),
    ignored: [...ignored].sort(),
  };
}
