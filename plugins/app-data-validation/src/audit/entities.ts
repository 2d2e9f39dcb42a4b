import { Entity, Index } from 'typeorm';
import { BaseModel, Field } from '@plinth/plugin-sdk';

/**
 * The latest audit's outcome for one rule (each audit replaces the results of the one before):
 * how many objects it checked, how many break the rule, and the first of them (with links).
 */
@Entity('data_validation_ruleauditresult')
export class RuleAuditResult extends BaseModel {
  @Field.char({
    max_length: 100,
    help_text: 'Model label of the rule: `data_validation.requiredvalidationrule`.',
  })
  rule_type!: string;

  @Index()
  @Field.uuid({ help_text: 'The rule checked.' })
  rule_id!: string;

  @Field.char({ max_length: 100, search: true })
  rule_name!: string;

  @Field.char({ max_length: 100, label: 'Content type' })
  content_type!: string;

  @Field.char({ max_length: 200 })
  field!: string;

  @Field.int({ default: 0, help_text: 'Objects checked.' })
  checked!: number;

  @Field.int({ default: 0, help_text: 'Objects breaking the rule.' })
  violations!: number;

  @Field.json({
    help_text:
      'The first violations (at most 200): `{id, display, url, value, message}` of each object breaking the rule.',
  })
  violating_objects!: unknown[];

  @Field.uuid({ nullable: true, help_text: 'The audit job run (extras.jobresult) that produced it.' })
  job_result!: string | null;
}
