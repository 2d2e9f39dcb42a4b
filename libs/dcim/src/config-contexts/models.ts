import {
  ValidationError,
  defineModel,
  sql,
  type BatchContext,
  type ModelFeature,
  type RuleContext,
} from '@plinth/plugin-sdk';
import { ownedRefusal } from '@plinth/extras';
import { ConfigContext, ConfigContextSchema } from './entities';
import { dataProblem, schemaProblem } from './json-schema';

/** As Nautobot: change-logged, with notes; no custom fields or tags of their own. */
const FEATURES: readonly ModelFeature[] = ['custom_validators', 'changelog', 'graphql', 'notes'];

/**
 * Rows a data source (a Git repository) owns change only through that source's sync (the
 * ownership extras keeps for every repository-provided row); users are told where to change them.
 */
function ownerRule(ctx: RuleContext<ConfigContext | ConfigContextSchema>): void {
  const why = ctx.before ? ownedRefusal(ctx.before) : null;
  if (why) ctx.error('__all__', why);
}

async function refuseOwnedDeletes(ctx: BatchContext): Promise<void> {
  for (const r of ctx.records) {
    const why = ownedRefusal(r as { owner_content_type?: unknown; owner_object_id?: unknown });
    if (why) throw new ValidationError({ __all__: [why] });
  }
  return Promise.resolve();
}

/** The schema document must itself be a valid JSON Schema. */
function schemaRule(ctx: RuleContext<ConfigContextSchema>): void {
  ownerRule(ctx);
  const problem = schemaProblem(ctx.record.data_schema);
  if (problem) ctx.error('data_schema', problem);
}

/** The data is a JSON object, valid against the context's schema when it has one. */
async function contextRule(ctx: RuleContext<ConfigContext>): Promise<void> {
  ownerRule(ctx);
  const data = ctx.record.data as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    ctx.error('data', 'Config context data must be a JSON object.');
    return;
  }
  const schemaId = ctx.record.config_context_schema as unknown as string | null;
  if (!schemaId) return;
  const row = await ctx.tx.one<{ name: string; data_schema: Record<string, unknown> }>(
    sql`SELECT "name", "data_schema" FROM "dcim_configcontextschema" WHERE "id" = ${schemaId}::uuid`,
  );
  if (!row) return;
  const problem = dataProblem(row.data_schema, data);
  if (problem) ctx.error('data', `Does not validate against schema "${row.name}": ${problem}`);
}

export const configContextSchemaModel = defineModel({
  entity: ConfigContextSchema,
  app_label: 'extras',
  model: 'configcontextschema',
  verbose_name: 'config context schema',
  api_path: 'config-context-schemas',
  features: FEATURES,
  natural_key: ['name'],
  ordering: ['name'],
  rules: [schemaRule],
  hooks: { beforeDelete: refuseOwnedDeletes },
  list_fields: ['name', 'description', 'owner_content_type'],
  description: 'JSON Schemas that config contexts and local config context data validate against.',
});

export const configContextModel = defineModel({
  entity: ConfigContext,
  app_label: 'extras',
  model: 'configcontext',
  verbose_name: 'config context',
  api_path: 'config-contexts',
  features: FEATURES,
  natural_key: ['name'],
  ordering: ['weight', 'name'],
  rules: [contextRule],
  hooks: { beforeDelete: refuseOwnedDeletes },
  list_fields: ['name', 'weight', 'is_active', 'config_context_schema', 'description'],
  description:
    'JSON data merged into the config context of devices (and other models with the feature) in scope.',
});
