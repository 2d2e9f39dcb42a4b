import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  CustomValidators,
  Jobs,
  Navigation,
  contribute,
  definePlugin,
  type ContentTypeReference,
} from '@plinth/plugin-sdk';
import { auditJob } from './audit/audit-job';
import { auditResultModel } from './audit/models';
import { RuleEnforcer } from './enforcement/rule-enforcer';
import { RuleCache } from './rules/cache';
import { RULE_MODELS, RULE_TABLES } from './rules/models';
import { DataValidationInitial1796643307172 } from './migrations/1796643307172-DataValidationInitial';
import { dataValidationSettings } from './settings';
import { DataValidationDashboardController, dataValidationNavigation } from './ui/dashboard';

export { auditJob, AUDIT_JOB } from './audit/audit-job';
export { auditResultModel } from './audit/models';
export {
  RULE_MODELS,
  minMaxRuleModel,
  regexRuleModel,
  requiredRuleModel,
  uniqueRuleModel,
} from './rules/models';

/**
 * Rules and results name the model they are about: uninstalling that model's plugin deletes them
 * (a rule about a model that is gone would check nothing).
 */
const ruleContentTypes: ContentTypeReference[] = [
  ...RULE_TABLES.map((table) => ({
    table,
    column: 'content_type',
    kind: 'value' as const,
    onRemove: 'delete-row' as const,
    description: 'data validation rules',
  })),
  {
    table: 'data_validation_ruleauditresult',
    column: 'content_type',
    kind: 'value',
    onRemove: 'delete-row',
    description: 'rule audit results',
  },
];

@Module({
  controllers: [DataValidationDashboardController],
  providers: [RuleCache, RuleEnforcer],
  exports: [RuleCache],
})
export class DataValidationModule {}

export default definePlugin({
  name: 'data_validation',
  verbose_name: 'Data Validation',
  version: '1.0.0',
  description:
    'Rules on any field of any model (regular expression, min/max, required, unique), enforced on every write, with an audit job and a dashboard.',
  author: 'Plinth developers',
  author_email: 'dev@plinth.invalid',
  base_url: 'data-validation',
  min_version: '0.2.0',
  dependsOn: ['extras'],
  settings: dataValidationSettings,
  module: DataValidationModule,
  models: [...RULE_MODELS, auditResultModel],
  migrations: [DataValidationInitial1796643307172],
  contributions: [
    contribute(CustomValidators, RuleEnforcer),
    contribute(Jobs, auditJob),
    contribute(Navigation, ...dataValidationNavigation),
    contribute(ContentTypeReferences, ...ruleContentTypes),
  ],
});
