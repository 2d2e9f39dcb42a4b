import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ValidationError,
  type ObjectsApi,
  type ObjectsService,
  type AnyRecord,
  type Rec,
  type WriteOptions,
} from '@plinth/plugin-sdk';
import { KINDS_BY_DEPENDENCY, type ComponentKind } from '../components/kinds';
import {
  parseDeviceType,
  type ComponentDefinition,
  type DeviceTypeDefinition,
  type InventoryItemDefinition,
} from './library-format';
import { applyModuleBayTemplates, applyModuleTypeDefinition } from './import-module-types';
import { isModuleTypeFile, parseModuleType, type ModuleTypeDefinition } from './module-type-format';

/** One file to import: where it came from (for messages) and its text. */
export interface DeviceTypeSource {
  path: string;
  text: string;
}

export type Outcome = 'created' | 'updated' | 'unchanged';

export interface FileResult {
  path: string;
  ok: boolean;
  /** Why the file was not imported. */
  error?: string;
  device_type?: string;
  /** `Cisco C9200-NM-4X` for a module type file. */
  module_type?: string;
  outcome?: Outcome;
  /** Templates created / updated in this file. */
  templates?: { created: number; updated: number; unchanged: number };
  ignored?: string[];
}

export interface ImportSummary {
  files: FileResult[];
  imported: number;
  failed: number;
  device_types: Record<Outcome, number>;
  /** Files under `module-types/`. */
  module_types: Record<Outcome, number>;
  templates: Record<Outcome, number>;
  /** Ignored key -> number of files that had it. */
  ignored: Record<string, number>;
}

export interface ImportOptions extends WriteOptions {
  /** Called after each file (progress bars). */
  onProgress?(done: number, total: number, file: FileResult): void;
}

/** Library files under a directory (recursively, sorted), or the one file given. */
export function readDeviceTypeSources(target: string): DeviceTypeSource[] {
  const stat = fs.statSync(target);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry.name)) files.push(full);
    }
  };
  if (stat.isDirectory()) walk(target);
  else files.push(target);
  return files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }));
}

/** Say what a write-path rejection was about, in one line. */
function describe(e: unknown): string {
  if (e instanceof ValidationError) {
    const maps = Array.isArray(e.errors) ? e.errors : [e.errors];
    return maps
      .flatMap((m) => Object.entries(m).map(([field, msgs]) => `${field}: ${msgs.join(' ')}`))
      .join('; ');
  }
  return e instanceof Error ? e.message : String(e);
}

export function differs(stored: Rec, wanted: Rec): boolean {
  return Object.entries(wanted).some(([k, v]) => (stored[k] ?? null) !== (v ?? null));
}

/** Template ids by name, per kind (model name), for the links of later kinds. */
type TemplateIds = Map<string, Map<string, string>>;

/** The template values a component line stands for (links resolved by name to stored ids). */
function templateValues(kind: ComponentKind, c: ComponentDefinition, ids: TemplateIds): Rec {
  const values: Rec = { label: c.label, description: c.description };
  const linked = new Map(
    Object.entries(kind.links ?? {}).map(([field, link]) => [link.field, { field, link }]),
  );
  for (const [key, v] of Object.entries(c.values)) {
    const l = linked.get(key);
    if (!l) values[key] = v;
    else values[l.field] = v ? (ids.get(l.link.kind)?.get(String(v)) ?? null) : null;
  }
  return values;
}

/** Which type templates belong to: `{device_type: id}` or `{module_type: id}`. */
export type TemplateOwnerRef = { device_type: string } | { module_type: string };

export type TemplateCounts = Record<Outcome, number>;

export function addCounts(into: TemplateCounts, more: TemplateCounts): void {
  for (const k of ['created', 'updated', 'unchanged'] as const) into[k] += more[k];
}

/**
 * A type's component templates from a file's lists, matched by name: only what differs is
 * written, templates the file does not mention are left alone. Kinds go in dependency order so
 * links (a front port's rear port) resolve to stored ids.
 */
export async function applyTemplates(
  objects: ObjectsApi,
  owner: TemplateOwnerRef,
  components: Record<string, ComponentDefinition[]>,
): Promise<TemplateCounts> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const ids: TemplateIds = new Map();
  for (const kind of KINDS_BY_DEPENDENCY) {
    const wanted = components[kind.slug] ?? [];
    if (wanted.length === 0) continue;
    const stored = await objects.find(kind.template_label, owner);
    const byName = new Map(stored.map((s) => [String(s.name), s]));
    const create: Rec[] = [];
    const update: AnyRecord[] = [];
    for (const c of wanted) {
      const values = templateValues(kind, c, ids);
      const current = byName.get(c.name);
      if (!current) create.push({ ...owner, name: c.name, ...values });
      else if (differs(current, values)) update.push({ id: current.id, ...values });
      else counts.unchanged++;
    }
    const written = [
      ...(create.length ? await objects.create(kind.template_label, create) : []),
      ...(update.length ? await objects.update(kind.template_label, update) : []),
    ];
    counts.created += create.length;
    counts.updated += update.length;
    ids.set(kind.model, new Map([...stored, ...written].map((t) => [String(t.name), String(t.id)])));
  }
  return counts;
}

/**
 * The file's `inventory-items` as inventory item templates of the type, matched by name; their
 * manufacturers by name, created when missing (as the device type's own manufacturer is).
 */
async function applyInventoryItemTemplates(
  objects: ObjectsApi,
  deviceType: string,
  wanted: readonly InventoryItemDefinition[],
  counts: Record<Outcome, number>,
): Promise<void> {
  if (wanted.length === 0) return;
  const makers = new Map<string, string>();
  for (const name of new Set(wanted.map((w) => w.manufacturer).filter(Boolean))) {
    const [found] = await objects.find('dcim.manufacturer', { name });
    makers.set(name, String((found ?? (await objects.create('dcim.manufacturer', [{ name }]))[0]).id));
  }
  const stored = await objects.find('dcim.inventoryitemtemplate', { device_type: deviceType });
  const byName = new Map(stored.map((s) => [String(s.name), s]));
  const create: Rec[] = [];
  const update: AnyRecord[] = [];
  for (const w of wanted) {
    const values: Rec = {
      label: w.label,
      description: w.description,
      part_id: w.part_id,
      manufacturer: w.manufacturer ? makers.get(w.manufacturer)! : null,
    };
    const current = byName.get(w.name);
    if (!current) create.push({ device_type: deviceType, name: w.name, ...values });
    else if (differs(current, values)) update.push({ id: current.id, ...values });
    else counts.unchanged++;
  }
  if (create.length) await objects.create('dcim.inventoryitemtemplate', create);
  if (update.length) await objects.update('dcim.inventoryitemtemplate', update);
  counts.created += create.length;
  counts.updated += update.length;
}

/**
 * Create or update one device type and its templates from a definition, idempotently: the
 * manufacturer and device type are matched by name and model, templates by name; only what
 * differs is written. Templates the file does not mention are left alone.
 */
async function applyDefinition(
  objects: ObjectsApi,
  def: DeviceTypeDefinition,
): Promise<Omit<FileResult, 'path' | 'ok'>> {
  const [maker] = await objects.find('dcim.manufacturer', { name: def.manufacturer });
  const manufacturer = maker ?? (await objects.create('dcim.manufacturer', [{ name: def.manufacturer }]))[0];
  const fields: Rec = {
    part_number: def.part_number,
    u_height: def.u_height,
    is_full_depth: def.is_full_depth,
    subdevice_role: def.subdevice_role,
    comments: def.comments,
    airflow: def.airflow,
    weight: def.weight,
    weight_unit: def.weight_unit,
    description: def.description,
  };
  const [existing] = await objects.find('dcim.devicetype', {
    manufacturer: String(manufacturer.id),
    model: def.model,
  });
  let outcome: Outcome = 'unchanged';
  let type = existing;
  if (!type) {
    [type] = await objects.create('dcim.devicetype', [
      { manufacturer: manufacturer.id, model: def.model, ...fields },
    ]);
    outcome = 'created';
  } else if (differs(type, fields)) {
    [type] = await objects.update('dcim.devicetype', [{ id: type.id, ...fields }]);
    outcome = 'updated';
  }
  const counts = await applyTemplates(objects, { device_type: String(type.id) }, def.components);
  addCounts(
    counts,
    await applyModuleBayTemplates(objects, { device_type: String(type.id) }, def.module_bays),
  );
  await applyInventoryItemTemplates(objects, String(type.id), def.inventory_items, counts);
  if (outcome === 'unchanged' && counts.created + counts.updated > 0) outcome = 'updated';
  return {
    device_type: `${def.manufacturer} ${def.model}`,
    outcome,
    templates: counts,
    ignored: def.ignored,
  };
}

/**
 * Import devicetype-library files: each file in its own transaction through the write path
 * (validated, change-logged), so a bad file is reported with its reason and the others still
 * go in. Reusable by the CLI, jobs and the UI.
 */
export async function importDeviceTypes(
  objects: ObjectsService,
  sources: readonly DeviceTypeSource[],
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const { onProgress, ...write } = opts;
  const summary: ImportSummary = {
    files: [],
    imported: 0,
    failed: 0,
    device_types: { created: 0, updated: 0, unchanged: 0 },
    module_types: { created: 0, updated: 0, unchanged: 0 },
    templates: { created: 0, updated: 0, unchanged: 0 },
    ignored: {},
  };
  for (const source of sources) {
    let result: FileResult;
    try {
      const isModule = isModuleTypeFile(source.path);
      const def = isModule ? parseModuleType(source.text) : parseDeviceType(source.text);
      const applied = await objects.transaction<Omit<FileResult, 'path' | 'ok'>>(
        (tx) =>
          isModule
            ? applyModuleTypeDefinition(tx.objects, def as ModuleTypeDefinition)
            : applyDefinition(tx.objects, def as DeviceTypeDefinition),
        write,
      );
      result = { path: source.path, ok: true, ...applied };
      summary.imported++;
      (isModule ? summary.module_types : summary.device_types)[applied.outcome!]++;
      for (const k of ['created', 'updated', 'unchanged'] as const)
        summary.templates[k] += applied.templates![k];
      for (const key of def.ignored) summary.ignored[key] = (summary.ignored[key] ?? 0) + 1;
    } catch (e) {
      result = { path: source.path, ok: false, error: describe(e) };
      summary.failed++;
    }
    summary.files.push(result);
    onProgress?.(summary.files.length, sources.length, result);
  }
  return summary;
}

/** The module types line of the report, when module type files were given. */
function moduleTypesLine(summary: ImportSummary): string[] {
  const mt = summary.module_types;
  if (mt.created + mt.updated + mt.unchanged === 0) return [];
  return [`module types: ${mt.created} created, ${mt.updated} updated, ${mt.unchanged} unchanged`];
}

/** The end-of-run report, one line each. */
export function formatSummary(summary: ImportSummary): string[] {
  const lines: string[] = [];
  for (const f of summary.files) if (!f.ok) lines.push(`FAILED ${f.path}: ${f.error}`);
  const dt = summary.device_types;
  const tp = summary.templates;
  lines.push(
    `${summary.files.length} file(s): ${summary.imported} imported, ${summary.failed} failed`,
    `device types: ${dt.created} created, ${dt.updated} updated, ${dt.unchanged} unchanged`,
    ...moduleTypesLine(summary),
    `component templates: ${tp.created} created, ${tp.updated} updated, ${tp.unchanged} unchanged`,
  );
  const ignored = Object.entries(summary.ignored).sort(([a], [b]) => a.localeCompare(b));
  if (ignored.length) {
    lines.push(
      `ignored (no place in Plinth): ${ignored.map(([k, n]) => `${k} (${n} file${n === 1 ? '' : 's'})`).join(', ')}`,
    );
  }
  return lines;
}
