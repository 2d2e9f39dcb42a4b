import { Entity, Unique } from 'typeorm';
import { Field, PrimaryModel } from '@plinth/plugin-sdk';

const enabledField = () =>
  Field.bool({ default: true, help_text: 'Only enabled rules are enforced and audited.' });
const errorMessageField = () =>
  Field.char({
    max_length: 255,
    blank: true,
    help_text: 'Reported on the field when the rule fails (default: a message naming the rule).',
  });

/**
 * What every rule has (Nautobot DVE's ValidationRule): the model (`content_type`, a label such
 * as `dcim.device`) and the field it checks, which may be a custom field written `cf_<key>`;
 * each kind declares its own settings, then `enabled` and `error_message` (so forms show them in
 * that order).
 */
export abstract class ValidationRule extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({
    max_length: 100,
    search: true,
    label: 'Content type',
    help_text: 'Model the rule applies to: `dcim.device`.',
  })
  content_type!: string;

  @Field.char({
    max_length: 200,
    search: true,
    help_text: 'Field of the model the rule checks; custom fields as `cf_<key>`.',
  })
  field!: string;
}

@Entity('data_validation_regularexpressionvalidationrule')
export class RegularExpressionValidationRule extends ValidationRule {
  @Field.text({
    help_text: 'RE2 syntax (no look-around or back-references: matching takes linear time).',
  })
  regular_expression!: string;

  @enabledField()
  enabled!: boolean;

  @errorMessageField()
  error_message!: string;
}

@Entity('data_validation_minmaxvalidationrule')
export class MinMaxValidationRule extends ValidationRule {
  @Field.float({ nullable: true, help_text: 'Smallest allowed value (empty: no minimum).' })
  min!: number | null;

  @Field.float({ nullable: true, help_text: 'Largest allowed value (empty: no maximum).' })
  max!: number | null;

  @enabledField()
  enabled!: boolean;

  @errorMessageField()
  error_message!: string;
}

@Entity('data_validation_requiredvalidationrule')
@Unique(['content_type', 'field'])
export class RequiredValidationRule extends ValidationRule {
  @enabledField()
  enabled!: boolean;

  @errorMessageField()
  error_message!: string;
}

@Entity('data_validation_uniquevalidationrule')
@Unique(['content_type', 'field'])
export class UniqueValidationRule extends ValidationRule {
  @Field.int({
    default: 1,
    min_value: 1,
    help_text: 'How many objects may share one value (within the scope).',
  })
  max_instances!: number;

  @Field.array({
    item: 'string',
    blank: true,
    help_text:
      'Other fields of the model that make the group a value must be unique in (e.g. `location`): empty means the whole model.',
  })
  scope!: string[];

  @enabledField()
  enabled!: boolean;

  @errorMessageField()
  error_message!: string;
}
