import { sql, type ModelFeatureProvider, type ModelMeta, type RuleContext } from '@plinth/plugin-sdk';
import { dataProblem } from './json-schema';
import { deepMerge } from './merge';
import { contextSourcesOf, type ContextSource } from './scoping';

type Json = Record<string, unknown>;

/** The object's own data, merged last (Nautobot's `local_config_context_data`). */
export const LOCAL_DATA = 'local_config_context_data';
/** The schema the object's own data must validate against (Nautobot's `local_config_context_schema`). */
export const LOCAL_SCHEMA = 'local_config_context_schema';

/** The rendered config context: the sources' data deep-merged in order, the local data last. */
export function renderConfigContext(sources: readonly ContextSource[], local: unknown): Json {
  let out: Json = {};
  for (const s of sources) out = deepMerge(out, s.data ?? {});
  if (local && typeof local === 'object' && !Array.isArray(local)) out = deepMerge(out, local as Json);
  return out;
}

/** Local data must be a JSON object, valid against the local schema (which needs data). */
async function checkLocalData(ctx: RuleContext): Promise<void> {
  const model: ModelMeta = ctx.model;
  if (!model.field(LOCAL_DATA)) return;
  const record = ctx.record as Json;
  const data = record[LOCAL_DATA];
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    ctx.error(LOCAL_DATA, 'Local config context data must be a JSON object.');
    return;
  }
  const schemaId = model.field(LOCAL_SCHEMA) ? (record[LOCAL_SCHEMA] as string | null) : null;
  if (!schemaId) return;
  if (data === null || data === undefined) {
    ctx.error(LOCAL_SCHEMA, 'Local config context data must exist for a schema to be applied.');
    return;
  }
  const row = await ctx.tx.one<{ name: string; data_schema: Json }>(
    sql`SELECT "name", "data_schema" FROM "dcim_configcontextschema" WHERE "id" = ${schemaId}::uuid`,
  );
  if (!row) return; // the foreign key check reports a missing schema
  const problem = dataProblem(row.data_schema, data);
  if (problem) ctx.error(LOCAL_DATA, `Does not validate against schema "${row.name}": ${problem}`);
}

/**
 * `config_context` on every model declaring the feature (devices; virtual machines and plugin
 * models alike): REST `?include=config_context`, a GraphQL field, the UI's Config Context tab.
 * Rendered for a whole page in three queries (see contextSourcesOf), never per object. The
 * matching uses the model's `location`, `role`, `device_type`, `platform`, `tenant` and tags,
 * whichever it has; its `local_config_context_data` (validated against
 * `local_config_context_schema`) is merged last.
 */
export const configContextFeature: ModelFeatureProvider = {
  feature: 'config_context',
  sources: (model) => [
    {
      name: 'config_context',
      optional: true,
      field: {
        kind: 'json',
        label: 'Config context',
        help_text:
          'The config contexts in scope, deep-merged by weight then name, with the local config context data last.',
        nullable: false,
        blank: true,
        unique: false,
        read_only: true,
        write_only: false,
        filter: false,
        search: false,
      },
      async load(records, ctx) {
        const sources = await contextSourcesOf(ctx, model, records);
        return new Map(
          records.map((r) => [
            String(r.id),
            renderConfigContext(sources.get(String(r.id)) ?? [], r[LOCAL_DATA]),
          ]),
        );
      },
    },
  ],
  hooks: { prepare: checkLocalData },
};
