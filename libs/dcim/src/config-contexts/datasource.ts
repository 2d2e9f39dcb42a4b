import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { asOwner } from '@plinth/extras';
import { ValidationError, type ObjectsApi, type Rec } from '@plinth/plugin-sdk';
import { yamlPackage } from '../importer/pyyaml';
import { configContextModel, configContextSchemaModel } from './models';

/**
 * Config contexts and schemas kept in a folder (a Git repository's checkout), in Nautobot's
 * layout:
 *
 * - `config_context_schemas/<any>.json|yaml`: `{ "_metadata": {name, description}, "data_schema": {...} }`
 * - `config_contexts/<any>.json|yaml`: the context's data, with a `_metadata` key holding
 *   `name` (required), `weight`, `description`, `is_active`, `schema` (a schema's name) and the
 *   scope lists `locations`, `roles`, `device_types`, `platforms`, `tenant_groups`, `tenants`,
 *   `tags`. A scope entry is an object of filters naming one object (`{"name": "AMS"}`,
 *   `{"model": "S1"}` for device types) or a string (its name; a device type's model).
 *
 * Contract for a `DatasourceContents` entry (the Git data-source registry):
 *   1. `loadConfigContextFolder(checkoutDir)` reads and parses the files (no database access);
 *      files it cannot use are listed in `problems` with the reason, the others are kept.
 *   2. `syncConfigContexts(tx.objects, owner, loaded)` inside the sync's transaction makes the
 *      database match: creates or updates (by name) each schema then each context through the
 *      one write path (validated, change-logged), marks them owned by `owner` (users cannot
 *      edit or delete owned rows), and deletes rows `owner` owns that the folder no longer has.
 *      Rows whose write is refused are reported in `problems` and left as they were; the caller
 *      decides whether problems fail the sync. Call it with the repository's content type and
 *      id as `owner` (`{content_type: 'extras.gitrepository', object_id: repo.id}`); with an
 *      empty folder it removes everything the repository contributed (its deletion).
 */

type Json = Record<string, unknown>;

export const CONFIG_CONTEXT_SCOPES = [
  'locations',
  'roles',
  'device_types',
  'platforms',
  'tenant_groups',
  'tenants',
  'tags',
  'cluster_groups',
  'clusters',
] as const;
export type ConfigContextScope = (typeof CONFIG_CONTEXT_SCOPES)[number];

/** A scope entry as written in a file: filters naming one object, or its name. */
export type ScopeEntry = string | Record<string, string>;

export interface LoadedSchema {
  file: string;
  name: string;
  description: string;
  data_schema: Json;
}

export interface LoadedContext {
  file: string;
  name: string;
  weight: number;
  description: string;
  is_active: boolean;
  /** Name of the context's schema, if any. */
  schema: string | null;
  scopes: Partial<Record<ConfigContextScope, ScopeEntry[]>>;
  data: Json;
}

export interface FolderProblem {
  /** Path relative to the folder (`config_contexts/ntp.yaml`), or the row's name on sync. */
  file: string;
  error: string;
}

export interface LoadedConfigContexts {
  schemas: LoadedSchema[];
  contexts: LoadedContext[];
  problems: FolderProblem[];
}

export interface DataSourceOwner {
  /** Model label of the data source: `extras.gitrepository`. */
  content_type: string;
  object_id: string;
}

export interface SyncSummary {
  created: string[];
  updated: string[];
  deleted: string[];
  problems: FolderProblem[];
}

const FILE_RE = /\.(json|ya?ml)$/i;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

async function filesOf(root: string, dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && FILE_RE.test(e.name))
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

async function parseFile(root: string, file: string): Promise<Json> {
  const text = await fs.readFile(path.join(root, file), 'utf8');
  const value: unknown = /\.json$/i.test(file) ? JSON.parse(text) : yamlPackage().parse(text);
  if (!isObject(value)) throw new Error('the file must hold one object');
  return value;
}

function text(meta: Json, key: string, fallback = ''): string {
  const v = meta[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new Error(`_metadata.${key} must be a string`);
  return v;
}

function scopeEntries(meta: Json, scope: ConfigContextScope): ScopeEntry[] | undefined {
  const v = meta[scope];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new Error(`_metadata.${scope} must be a list`);
  return v.map((e, i) => {
    if (typeof e === 'string') return e;
    if (isObject(e) && Object.values(e).every((x) => typeof x === 'string' || typeof x === 'number'))
      return Object.fromEntries(Object.entries(e).map(([k, x]) => [k, String(x)]));
    throw new Error(`_metadata.${scope}[${i}] must be a name or an object of filters`);
  });
}

function asSchema(file: string, doc: Json): LoadedSchema {
  const meta = isObject(doc._metadata) ? doc._metadata : null;
  if (!meta) throw new Error('missing _metadata');
  const name = text(meta, 'name');
  if (!name) throw new Error('_metadata.name is required');
  if (!isObject(doc.data_schema)) throw new Error('data_schema must be an object');
  return { file, name, description: text(meta, 'description'), data_schema: doc.data_schema };
}

function asContext(file: string, doc: Json): LoadedContext {
  const meta = isObject(doc._metadata) ? doc._metadata : null;
  if (!meta) throw new Error('missing _metadata');
  const name = text(meta, 'name');
  if (!name) throw new Error('_metadata.name is required');
  const weight = meta.weight ?? 1000;
  if (!Number.isInteger(weight)) throw new Error('_metadata.weight must be an integer');
  const isActive = meta.is_active ?? true;
  if (typeof isActive !== 'boolean') throw new Error('_metadata.is_active must be true or false');
  const scopes: LoadedContext['scopes'] = {};
  for (const scope of CONFIG_CONTEXT_SCOPES) {
    const entries = scopeEntries(meta, scope);
    if (entries) scopes[scope] = entries;
  }
  const { _metadata: _ignored, ...data } = doc;
  return {
    file,
    name,
    weight: weight as number,
    description: text(meta, 'description'),
    is_active: isActive,
    schema: text(meta, 'schema') || null,
    scopes,
    data,
  };
}

/** Read `config_context_schemas/` and `config_contexts/` under `root` (see the contract above). */
export async function loadConfigContextFolder(root: string): Promise<LoadedConfigContexts> {
  const out: LoadedConfigContexts = { schemas: [], contexts: [], problems: [] };
  const read = async <T>(dir: string, build: (file: string, doc: Json) => T, into: T[]): Promise<void> => {
    for (const file of await filesOf(root, dir)) {
      try {
        into.push(build(file, await parseFile(root, file)));
      } catch (e) {
        out.problems.push({ file, error: (e as Error).message });
      }
    }
  };
  await read('config_context_schemas', asSchema, out.schemas);
  await read('config_contexts', asContext, out.contexts);
  for (const list of [out.schemas, out.contexts] as { file: string; name: string }[][]) {
    const seen = new Map<string, string>();
    for (const item of [...list]) {
      const first = seen.get(item.name);
      if (first === undefined) {
        seen.set(item.name, item.file);
        continue;
      }
      out.problems.push({ file: item.file, error: `name "${item.name}" is already used by ${first}` });
      list.splice(list.indexOf(item), 1);
    }
  }
  return out;
}

/** The model a scope list points at, and the field a bare name means. */
const SCOPE_TARGETS: Record<ConfigContextScope, { label: string; name: string }> = {
  locations: { label: 'dcim.location', name: 'name' },
  roles: { label: 'extras.role', name: 'name' },
  device_types: { label: 'dcim.devicetype', name: 'model' },
  platforms: { label: 'dcim.platform', name: 'name' },
  tenant_groups: { label: 'tenancy.tenantgroup', name: 'name' },
  tenants: { label: 'tenancy.tenant', name: 'name' },
  tags: { label: 'extras.tag', name: 'name' },
  cluster_groups: { label: 'virtualization.clustergroup', name: 'name' },
  clusters: { label: 'virtualization.cluster', name: 'name' },
};

async function resolveScopes(objects: ObjectsApi, c: LoadedContext): Promise<Rec> {
  const out: Rec = {};
  for (const scope of CONFIG_CONTEXT_SCOPES) {
    const ids: string[] = [];
    for (const entry of c.scopes[scope] ?? []) {
      const target = SCOPE_TARGETS[scope];
      const filters = typeof entry === 'string' ? { [target.name]: entry } : entry;
      const found = await objects.find(target.label, filters, { limit: 2 });
      if (found.length !== 1)
        throw new SyncProblem(
          `${scope}: ${JSON.stringify(entry)} matches ${found.length === 0 ? 'no' : 'more than one'} object`,
        );
      ids.push(String(found[0].id));
    }
    out[scope] = ids;
  }
  return out;
}

/** A file the sync cannot apply (the transaction stays usable: nothing was written for it). */
class SyncProblem extends Error {}

/** Refused writes and unusable files become problems; database failures abort the sync. */
function why(e: unknown): string {
  if (e instanceof ValidationError) return JSON.stringify(e.errors);
  if (e instanceof SyncProblem) return e.message;
  throw e;
}

/** Make the database match a loaded folder for one data source (see the contract above). */
export function syncConfigContexts(
  objects: ObjectsApi,
  owner: DataSourceOwner,
  loaded: LoadedConfigContexts,
): Promise<SyncSummary> {
  // Writes as the owner: only its own sync may change or delete the rows it owns.
  return asOwner({ object_type: owner.content_type, id: owner.object_id }, () =>
    writeFolder(objects, owner, loaded),
  );
}

async function writeFolder(
  objects: ObjectsApi,
  owner: DataSourceOwner,
  loaded: LoadedConfigContexts,
): Promise<SyncSummary> {
  const summary: SyncSummary = { created: [], updated: [], deleted: [], problems: [] };
  const ownerFields = { owner_content_type: owner.content_type, owner_object_id: owner.object_id };
  const upsert = async (label: string, name: string, values: Rec): Promise<void> => {
    const [existing] = await objects.find(label, { name: [name] }, { limit: 1 });
    let id: string;
    if (existing) {
      const by = existing.owner_content_type
        ? `${String(existing.owner_content_type)}:${String(existing.owner_object_id)}`
        : '';
      if (by && by !== `${owner.content_type}:${owner.object_id}`)
        throw new SyncProblem(`"${name}" is maintained by another data source (${by})`);
      id = String(existing.id);
      await objects.update(label, [{ id, ...values }]);
      summary.updated.push(`${label}:${name}`);
    } else {
      [{ id }] = (await objects.create(label, [values])) as { id: string }[];
      summary.created.push(`${label}:${name}`);
    }
    await objects.update(label, [{ id, ...ownerFields }], { allow_read_only: true });
  };
  for (const s of loaded.schemas) {
    try {
      await upsert(configContextSchemaModel.label, s.name, {
        name: s.name,
        description: s.description,
        data_schema: s.data_schema,
      });
    } catch (e) {
      summary.problems.push({ file: s.file, error: why(e) });
    }
  }
  for (const c of loaded.contexts) {
    try {
      let schema: string | null = null;
      if (c.schema) {
        const [found] = await objects.find(
          configContextSchemaModel.label,
          { name: [c.schema] },
          { limit: 1 },
        );
        if (!found) throw new SyncProblem(`schema "${c.schema}" does not exist`);
        schema = String(found.id);
      }
      await upsert(configContextModel.label, c.name, {
        name: c.name,
        weight: c.weight,
        description: c.description,
        is_active: c.is_active,
        config_context_schema: schema,
        data: c.data,
        ...(await resolveScopes(objects, c)),
      });
    } catch (e) {
      summary.problems.push({ file: c.file, error: why(e) });
    }
  }
  // Rows this source owns that the folder no longer has (contexts first: schemas are protected).
  const keep = {
    [configContextModel.label]: new Set(loaded.contexts.map((c) => c.name)),
    [configContextSchemaModel.label]: new Set(loaded.schemas.map((s) => s.name)),
  };
  for (const label of [configContextModel.label, configContextSchemaModel.label]) {
    const owned = await objects.find(label, {
      owner_content_type: [owner.content_type],
      owner_object_id: [owner.object_id],
    });
    const gone = owned.filter((r) => !keep[label].has(String(r.name)));
    if (gone.length === 0) continue;
    try {
      await objects.delete(
        label,
        gone.map((r) => String(r.id)),
      );
      summary.deleted.push(...gone.map((r) => `${label}:${String(r.name)}`));
    } catch (e) {
      summary.problems.push({ file: gone.map((r) => String(r.name)).join(', '), error: why(e) });
    }
  }
  return summary;
}
