import { Entity, Unique } from 'typeorm';
import { CoreModels, Field, PrimaryModel, type DeviceRecord, type PlatformRecord } from '@plinth/plugin-sdk';

/** Default path patterns (Nunjucks, rendered in the sandbox with `obj` = the device). */
export const DEFAULT_JINJA_PATH = '{{ obj.platform.network_driver or obj.platform.name }}.j2';
export const DEFAULT_BACKUP_PATH = '{{ obj.name }}.cfg';

/** A part of a configuration checked on its own (Nautobot's ComplianceFeature): `ntp`, `aaa`. */
@Entity('golden_config_compliancefeature')
export class ComplianceFeature extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.slug({ max_length: 100, unique: true })
  slug!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

/**
 * How a feature is found in a platform's configurations (Nautobot's ComplianceRule): the lines
 * starting with one of `match_config`'s lines, with their indented children.
 */
@Entity('golden_config_compliancerule')
@Unique(['feature_id', 'platform_id'])
export class ComplianceRule extends PrimaryModel {
  @Field.fk(() => ComplianceFeature, { on_delete: 'CASCADE', related_name: 'rules' })
  feature!: ComplianceFeature;

  @Field.fk(CoreModels.platform, { on_delete: 'CASCADE', related_name: 'golden_config_compliance_rules' })
  platform!: PlatformRecord;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.bool({
    default: false,
    label: 'Configuration ordered',
    help_text: 'The lines must come in the intended order (otherwise only the set of lines is compared).',
  })
  config_ordered!: boolean;

  @Field.text({
    label: 'Config to match',
    help_text:
      'The starting lines of the sections of this feature, one per line (`ntp server`, `router bgp`).',
    validate: (v) =>
      String(v ?? '')
        .split('\n')
        .some((l) => l.trim())
        ? undefined
        : 'Enter at least one line to match.',
  })
  match_config!: string;
}

/**
 * Where a platform's intended templates, backups and template data come from (Nautobot's
 * GoldenConfigSetting, scoped by platform).
 */
@Entity('golden_config_goldenconfigsetting')
export class GoldenConfigSetting extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.slug({ max_length: 100, unique: true })
  slug!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.fk(CoreModels.platform, {
    on_delete: 'CASCADE',
    unique: true,
    related_name: 'golden_config_setting',
    help_text: 'The devices of this platform use this setting.',
  })
  platform!: PlatformRecord;

  @Field.fk('extras.graphqlquery', {
    nullable: true,
    on_delete: 'PROTECT',
    label: 'GraphQL query',
    related_name: 'golden_config_settings',
    help_text:
      'The template data: a saved GraphQL query run for each device as the user running the job, with the variable $device_id (the device’s id). Its data is the template’s context, beside config_context and obj.',
  })
  sot_agg_query!: { id: string } | null;

  @Field.fk('extras.gitrepository', {
    nullable: true,
    on_delete: 'SET_NULL',
    label: 'Template repository',
    related_name: 'golden_config_template_settings',
    help_text: 'Git repository providing golden config intended templates (any such repository when empty).',
  })
  jinja_repository!: { id: string } | null;

  @Field.char({
    max_length: 255,
    default: DEFAULT_JINJA_PATH,
    label: 'Template path',
    help_text: 'Path of a device’s template in the repository (Nunjucks, `obj` is the device).',
  })
  jinja_path_template!: string;

  @Field.fk('extras.gitrepository', {
    nullable: true,
    on_delete: 'SET_NULL',
    label: 'Backup repository',
    related_name: 'golden_config_backup_settings',
    help_text: 'Git repository providing golden config backup configs (any such repository when empty).',
  })
  backup_repository!: { id: string } | null;

  @Field.char({
    max_length: 255,
    default: DEFAULT_BACKUP_PATH,
    label: 'Backup path',
    help_text: 'Path of a device’s backup in the repository (Nunjucks, `obj` is the device).',
  })
  backup_path_template!: string;
}

/** A template file of a Git repository providing golden config intended templates. */
@Entity('golden_config_configtemplate')
@Unique(['repository_id', 'path'])
export class ConfigTemplate extends PrimaryModel {
  @Field.fk('extras.gitrepository', {
    on_delete: 'CASCADE',
    related_name: 'golden_config_templates',
    help_text: 'The repository the template was synced from.',
  })
  repository!: { id: string };

  @Field.char({ max_length: 255, search: true, help_text: 'Path in the repository.' })
  path!: string;

  @Field.text({ blank: true, label: 'Template' })
  template!: string;
}

/** A device's intended and backup configurations (Nautobot's GoldenConfig). */
@Entity('golden_config_goldenconfig')
export class GoldenConfig extends PrimaryModel {
  @Field.fk(CoreModels.device, { on_delete: 'CASCADE', unique: true, related_name: 'golden_config' })
  device!: DeviceRecord;

  @Field.text({ blank: true, label: 'Intended configuration' })
  intended_config!: string;

  @Field.datetime({ nullable: true, label: 'Intended last attempt' })
  intended_last_attempt_date!: Date | null;

  @Field.datetime({ nullable: true, label: 'Intended last success' })
  intended_last_success_date!: Date | null;

  @Field.text({ blank: true, label: 'Backup configuration' })
  backup_config!: string;

  @Field.datetime({ nullable: true, label: 'Backup last success' })
  backup_last_success_date!: Date | null;

  @Field.datetime({ nullable: true, label: 'Compliance last success' })
  compliance_last_success_date!: Date | null;
}

/** The outcome of one compliance rule for one device (Nautobot's ConfigCompliance). */
@Entity('golden_config_configcompliance')
@Unique(['device_id', 'rule_id'])
export class ConfigCompliance extends PrimaryModel {
  @Field.fk(CoreModels.device, { on_delete: 'CASCADE', related_name: 'golden_config_compliances' })
  device!: DeviceRecord;

  @Field.fk(() => ComplianceRule, { on_delete: 'CASCADE', related_name: 'compliances' })
  rule!: ComplianceRule;

  @Field.bool({ default: false })
  compliance!: boolean;

  @Field.text({ blank: true, label: 'Actual configuration' })
  actual!: string;

  @Field.text({ blank: true, label: 'Intended configuration' })
  intended!: string;

  @Field.text({ blank: true, help_text: 'Intended lines the backup lacks.' })
  missing!: string;

  @Field.text({ blank: true, help_text: 'Backup lines the intended configuration lacks.' })
  extra!: string;

  @Field.bool({ default: false, help_text: 'Whether the rule compared in order.' })
  ordered!: boolean;
}
