import { PRIMARY_FEATURES, defineModel, type ModelHooks, type RuleContext } from '@plinth/plugin-sdk';
import { regexError } from './checks';
import {
  MinMaxValidationRule,
  RegularExpressionValidationRule,
  RequiredValidationRule,
  UniqueValidationRule,
  type ValidationRule,
} from './entities';
import { resolveTarget, ruleModel, type RuleKind } from './targets';
import { ruleGeneration } from './generation';

/** The checks every rule gets: its model exists and can be validated, its field fits the kind. */
function targetRule(kind: RuleKind) {
  return async (ctx: RuleContext<ValidationRule>): Promise<void> => {
    const r = ctx.record;
    if (!ctx.changed('content_type') && !ctx.changed('field') && ctx.action === 'update') return;
    const model = ruleModel(ctx.tx.models, r.content_type);
    if (typeof model === 'string') return ctx.error('content_type', model);
    const target = await resolveTarget(ctx.tx, model, r.field, kind);
    if (typeof target === 'string') ctx.error('field', target);
  };
}

/** A rule write changes what is enforced: caches of this process reload (others after their TTL). */
const invalidate: ModelHooks = {
  afterCreate: async () => ruleGeneration.bump(),
  afterUpdate: async () => ruleGeneration.bump(),
  beforeDelete: async () => ruleGeneration.bump(),
};

const COMMON_LIST = ['name', 'content_type', 'field', 'enabled'] as const;

export const regexRuleModel = defineModel<RegularExpressionValidationRule>({
  entity: RegularExpressionValidationRule,
  model: 'regularexpressionvalidationrule',
  verbose_name: 'regular expression rule',
  verbose_name_plural: 'regular expression rules',
  api_path: 'regex-rules',
  features: PRIMARY_FEATURES,
  description: 'Values of a field must match a regular expression (RE2 syntax, matched at the start).',
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: [...COMMON_LIST, 'regular_expression', 'error_message'],
  graphql_names: {
    single: 'regular_expression_validation_rule',
    list: 'regular_expression_validation_rules',
  },
  hooks: invalidate,
  rules: [
    targetRule('regex'),
    (ctx) => {
      const problem = regexError(ctx.record.regular_expression);
      if (problem) ctx.error('regular_expression', problem);
    },
  ],
});

export const minMaxRuleModel = defineModel<MinMaxValidationRule>({
  entity: MinMaxValidationRule,
  model: 'minmaxvalidationrule',
  verbose_name: 'min/max rule',
  verbose_name_plural: 'min/max rules',
  api_path: 'min-max-rules',
  features: PRIMARY_FEATURES,
  description: 'Numeric values of a field must lie between a minimum and a maximum.',
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: [...COMMON_LIST, 'min', 'max', 'error_message'],
  graphql_names: { single: 'min_max_validation_rule', list: 'min_max_validation_rules' },
  hooks: invalidate,
  rules: [
    targetRule('minmax'),
    (ctx) => {
      const { min, max } = ctx.record;
      if (min === null && max === null) ctx.error('min', 'Set a minimum, a maximum or both.');
      else if (min !== null && max !== null && min > max)
        ctx.error('max', `The maximum must not be less than the minimum (${min}).`);
    },
  ],
});

export const requiredRuleModel = defineModel<RequiredValidationRule>({
  entity: RequiredValidationRule,
  model: 'requiredvalidationrule',
  verbose_name: 'required rule',
  verbose_name_plural: 'required rules',
  api_path: 'required-rules',
  features: PRIMARY_FEATURES,
  description: 'A field must be set (not null, not empty).',
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: [...COMMON_LIST, 'error_message'],
  graphql_names: { single: 'required_validation_rule', list: 'required_validation_rules' },
  hooks: invalidate,
  rules: [targetRule('required')],
});

export const uniqueRuleModel = defineModel<UniqueValidationRule>({
  entity: UniqueValidationRule,
  model: 'uniquevalidationrule',
  verbose_name: 'unique rule',
  verbose_name_plural: 'unique rules',
  api_path: 'unique-rules',
  features: PRIMARY_FEATURES,
  description:
    'At most `max_instances` objects may share a value of a field, over the whole model or within a scope of other fields.',
  natural_key: ['name'],
  ordering: ['name'],
  list_fields: [...COMMON_LIST, 'max_instances', 'scope', 'error_message'],
  graphql_names: { single: 'unique_validation_rule', list: 'unique_validation_rules' },
  hooks: invalidate,
  rules: [
    targetRule('unique'),
    async (ctx) => {
      const r = ctx.record;
      const model = ctx.tx.models.get(r.content_type);
      if (!model || !r.scope.length) return;
      const seen = new Set<string>();
      for (const name of r.scope) {
        if (name === r.field || seen.has(name)) {
          ctx.error('scope', `"${name}" is listed twice (or is the rule's own field).`);
          continue;
        }
        seen.add(name);
        const target = await resolveTarget(ctx.tx, model, name, 'unique');
        if (typeof target === 'string') ctx.error('scope', target);
        else if (target.kind === 'custom_field')
          ctx.error('scope', `Scope fields are the model's own: "${name}" is a custom field.`);
      }
    },
  ],
});

export const RULE_MODELS = [regexRuleModel, minMaxRuleModel, requiredRuleModel, uniqueRuleModel] as const;

/** The rule models' tables (the app's own; known before the plugin is loaded). */
export const RULE_TABLES = [
  'data_validation_regularexpressionvalidationrule',
  'data_validation_minmaxvalidationrule',
  'data_validation_requiredvalidationrule',
  'data_validation_uniquevalidationrule',
] as const;
