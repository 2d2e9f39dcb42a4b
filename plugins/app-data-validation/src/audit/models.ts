import { defineModel } from '@plinth/plugin-sdk';
import { RuleAuditResult } from './entities';

/** The latest audit's result per rule: written by the audit job only (read-only on every surface). */
export const auditResultModel = defineModel({
  entity: RuleAuditResult,
  model: 'ruleauditresult',
  verbose_name: 'rule audit result',
  verbose_name_plural: 'rule audit results',
  api_path: 'audit-results',
  read_only: true,
  features: ['graphql'],
  description:
    "The latest audit's outcome for each enabled rule: objects checked, violations and the first violating objects.",
  display: (r) => `${r.rule_name}: ${r.violations} violation${r.violations === 1 ? '' : 's'}`,
  ordering: ['content_type', 'rule_name'],
  list_fields: ['rule_name', 'content_type', 'field', 'checked', 'violations', 'created'],
  graphql_names: { single: 'rule_audit_result', list: 'rule_audit_results' },
});
