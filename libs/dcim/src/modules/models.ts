import {
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ModelFeature,
  type RuleContext,
  type Sql,
} from '@plinth/plugin-sdk';
import { naturalize } from '../naturalize';
import { tables } from '../tables';
import { Module, ModuleBay, ModuleBayTemplate, ModuleType } from './entities';
import { moduleBayFilters, moduleBayTemplateFilters, moduleFilters, moduleTypeFilters } from './filters';
import { afterModuleCreate, afterModuleUpdate } from './instantiate';
import { placementsOf } from './placement';
import { moduleBayRules, moduleBayTemplateRules, moduleRules } from './rules';
import { moduleTables as mt } from './tables';

const TEMPLATE_FEATURES: readonly ModelFeature[] = ['custom_validators', 'changelog', 'graphql'];

export const moduleTypeModel = defineModel({
  entity: ModuleType,
  app_label: 'dcim',
  model: 'moduletype',
  verbose_name: 'module type',
  features: PRIMARY_FEATURES,
  natural_key: ['manufacturer', 'model'],
  ordering: ['manufacturer', 'model'],
  search_fields: ['manufacturer'],
  display: {
    sql: (t) =>
      sql`(SELECT m.name FROM ${tables.manufacturer} m WHERE m.id = ${t}."manufacturer_id") || ' ' || ${t}."model"`,
  },
  filters: moduleTypeFilters,
  list_fields: ['model', 'manufacturer', 'part_number'],
});

export const moduleBayTemplateModel = defineModel({
  entity: ModuleBayTemplate,
  app_label: 'dcim',
  model: 'modulebaytemplate',
  verbose_name: 'module bay template',
  features: TEMPLATE_FEATURES,
  natural_key: [],
  ordering: ['device_type', 'module_type', 'name'],
  related_object: 'device_type',
  rules: moduleBayTemplateRules,
  filters: moduleBayTemplateFilters,
  list_fields: ['name', 'device_type', 'module_type', 'position', 'label', 'description'],
});

function naturalName(ctx: RuleContext): void {
  const name = ctx.record.name;
  ctx.record._name = typeof name === 'string' && name ? naturalize(name) : '';
}

/** "edge1 / Slot 1", "edge1 / Slot 1 / SFP 2": the bay with the chain of its parents. */
function bayDisplay(t: Sql): Sql {
  // Aliases of their own: `t` may be any alias of the caller's query.
  return sql`(WITH RECURSIVE up(bay_id, parent_device_id, parent_module_id, label, depth) AS (
      SELECT bd0.id, bd0.parent_device_id, bd0.parent_module_id, bd0.name::text, 0 FROM ${mt.moduleBay} bd0 WHERE bd0.id = ${t}."id"
      UNION ALL SELECT bdp.id, bdp.parent_device_id, bdp.parent_module_id, bdp.name || ' / ' || up.label, up.depth + 1
        FROM up JOIN ${mt.module} bdm ON bdm.id = up.parent_module_id JOIN ${mt.moduleBay} bdp ON bdp.id = bdm.parent_module_bay_id
        WHERE up.depth < 32
    ) SELECT COALESCE((SELECT bdd.name FROM ${tables.device} bdd WHERE bdd.id = up.parent_device_id), '') || ' / ' || up.label
      FROM up ORDER BY up.depth DESC LIMIT 1)`;
}

export const moduleBayModel = defineModel({
  entity: ModuleBay,
  app_label: 'dcim',
  model: 'modulebay',
  verbose_name: 'module bay',
  api_path: 'module-bays',
  features: PRIMARY_FEATURES,
  natural_key: [],
  ordering: ['parent_device_id', 'parent_module_id', '_name'],
  related_object: 'parent_device',
  search_fields: ['parent_device'],
  display: { sql: (t) => bayDisplay(t) },
  rules: moduleBayRules,
  hooks: { prepare: naturalName },
  filters: moduleBayFilters,
  computed: [
    {
      name: 'installed_module',
      type: 'ref',
      target: 'dcim.module',
      help_text: 'The module installed in this bay',
      load: async (records, ctx) => {
        const ids = records.map((r) => String(r.id));
        const rows = await ctx.query(
          sql`SELECT id, parent_module_bay_id FROM ${mt.module} WHERE parent_module_bay_id = ANY(${ids}::uuid[])`,
        );
        return new Map(rows.map((r) => [String(r.parent_module_bay_id), String(r.id)]));
      },
    },
  ],
  list_fields: ['parent_device', 'parent_module', 'name', 'position', 'label', 'installed_module'],
});

export const moduleModel = defineModel({
  entity: Module,
  app_label: 'dcim',
  model: 'module',
  features: [...PRIMARY_FEATURES, 'statuses', 'roles', 'locations'],
  natural_key: [],
  ordering: ['module_type', 'created'],
  search_fields: ['module_type'],
  display: {
    sql: (t) =>
      sql`(SELECT mtx.model FROM ${mt.moduleType} mtx WHERE mtx.id = ${t}."module_type_id") || COALESCE(' in ' || (SELECT ${bayDisplay(sql.ident('pmb'))} FROM ${mt.moduleBay} pmb WHERE pmb.id = ${t}."parent_module_bay_id"), ' (' || NULLIF(${t}."serial", '') || ')', '')`,
  },
  rules: moduleRules,
  hooks: { afterCreate: afterModuleCreate, afterUpdate: afterModuleUpdate },
  filters: moduleFilters,
  computed: [
    {
      name: 'device',
      type: 'ref',
      target: 'dcim.device',
      help_text: 'The device the module is installed in (through its module bays, at any depth)',
      load: async (records, ctx) => {
        const places = await placementsOf(
          ctx,
          records.map((r) => String(r.id)),
        );
        return new Map([...places.values()].map((p) => [p.module, p.device]));
      },
    },
  ],
  list_fields: ['module_type', 'parent_module_bay', 'status', 'serial', 'asset_tag', 'location', 'tenant'],
});
