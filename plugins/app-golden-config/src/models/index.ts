import {
  CoreModels,
  PRIMARY_FEATURES,
  defineModel,
  sql,
  type ComputedContext,
  type Rec,
  type Sql,
} from '@plinth/plugin-sdk';
import {
  ComplianceFeature,
  ComplianceRule,
  ConfigCompliance,
  ConfigTemplate,
  GoldenConfig,
  GoldenConfigSetting,
} from './entities';

export * from './entities';

const FEATURES = sql.table('golden_config.compliancefeature');
const RULES = sql.table('golden_config.compliancerule');

/** A device's name (devices may be unnamed: then a short id, as Plinth shows them). */
const deviceName = (t: Sql) =>
  sql`(SELECT COALESCE(d.name, left(d.id::text, 8)) FROM ${sql.table(CoreModels.device)} d WHERE d.id = ${t}."device_id")`;
/** `<feature> – <platform>` of a rule, in the list query itself. */
const ruleName = (ruleId: Sql) =>
  sql`(SELECT f.name || ' – ' || p.name FROM ${RULES} r JOIN ${FEATURES} f ON f.id = r.feature_id JOIN ${sql.table(CoreModels.platform)} p ON p.id = r.platform_id WHERE r.id = ${ruleId})`;

export const complianceFeatureModel = defineModel({
  entity: ComplianceFeature,
  model: 'compliancefeature',
  verbose_name: 'compliance feature',
  api_path: 'compliance-feature',
  features: PRIMARY_FEATURES,
  natural_key: ['name'],
  ordering: ['name'],
  description: 'Parts of a configuration checked on their own (ntp, aaa, bgp).',
  list_fields: ['name', 'slug', 'description'],
});

export const complianceRuleModel = defineModel({
  entity: ComplianceRule,
  model: 'compliancerule',
  verbose_name: 'compliance rule',
  api_path: 'compliance-rule',
  features: PRIMARY_FEATURES,
  display: { sql: (t) => ruleName(sql`${t}."id"`) },
  description: 'How a feature is found in the configurations of a platform.',
  list_fields: ['feature', 'platform', 'config_ordered', 'description'],
});

export const goldenConfigSettingModel = defineModel({
  entity: GoldenConfigSetting,
  model: 'goldenconfigsetting',
  verbose_name: 'golden config setting',
  api_path: 'golden-config-settings',
  features: PRIMARY_FEATURES,
  natural_key: ['name'],
  ordering: ['name'],
  description: 'Where a platform’s templates, backups and template data come from.',
  list_fields: ['name', 'platform', 'jinja_path_template', 'backup_path_template'],
});

export const configTemplateModel = defineModel({
  entity: ConfigTemplate,
  model: 'configtemplate',
  verbose_name: 'config template',
  api_path: 'config-templates',
  features: PRIMARY_FEATURES,
  ordering: ['path'],
  display: (r) => String(r.path),
  description: 'Intended-configuration templates synced from Git repositories.',
  list_fields: ['path', 'repository'],
});

/** `"<compliant> of <rules> compliant"` per golden config, from its device's results. */
async function complianceSummary(records: Rec[], ctx: ComputedContext): Promise<Map<string, unknown>> {
  const devices = records.map((r) => String(r.device));
  const rows = await ctx.query<{ device_id: string; total: number; ok: number }>(
    sql`SELECT device_id, count(*)::int AS total, count(*) FILTER (WHERE compliance)::int AS ok
        FROM ${sql.table('golden_config.configcompliance')}
        WHERE device_id = ANY(${devices}::uuid[]) GROUP BY device_id`,
  );
  const byDevice = new Map(rows.map((r) => [r.device_id, r]));
  return new Map(
    records.map((r) => {
      const c = byDevice.get(String(r.device));
      return [String(r.id), c ? `${c.ok} of ${c.total} compliant` : null];
    }),
  );
}

export const goldenConfigModel = defineModel({
  entity: GoldenConfig,
  model: 'goldenconfig',
  verbose_name: 'golden config',
  api_path: 'golden-config',
  features: PRIMARY_FEATURES,
  display: { sql: deviceName },
  description: 'A device’s intended and backup configurations.',
  list_fields: ['device', 'intended_last_success_date', 'backup_last_success_date', 'compliance_summary'],
  computed: [
    {
      name: 'compliance_summary',
      type: 'string',
      help_text: 'How many of the device’s compliance rules it meets',
      load: complianceSummary,
    },
  ],
});

export const configComplianceModel = defineModel({
  entity: ConfigCompliance,
  model: 'configcompliance',
  verbose_name: 'config compliance',
  api_path: 'config-compliance',
  features: PRIMARY_FEATURES,
  display: { sql: (t) => sql`${deviceName(t)} || ' – ' || ${ruleName(sql`${t}."rule_id"`)}` },
  description: 'The outcome of a compliance rule for a device.',
  list_fields: ['device', 'rule', 'compliance', 'ordered'],
});

export const GOLDEN_CONFIG_MODELS = [
  complianceFeatureModel,
  complianceRuleModel,
  goldenConfigSettingModel,
  configTemplateModel,
  goldenConfigModel,
  configComplianceModel,
];
