import { Column, Entity, Index } from 'typeorm';
import { BaseModel, CoreModels, Field, choices, type UserRecord } from '@plinth/plugin-sdk';

/**
 * A job as Nautobot lists it: one row per registered user job, synced from the code on start
 * (`installed` false once the code is gone). `enabled` and the `*_override` metadata are the
 * operator's; the rest follows the code unless overridden.
 */
@Entity('extras_job')
export class Job extends BaseModel {
  @Field.char({ max_length: 100, read_only: true, help_text: 'The plugin that provides the job.' })
  module_name!: string;

  @Field.char({
    max_length: 200,
    unique: true,
    read_only: true,
    search: true,
    help_text: 'The registered job name (`<plugin>.<job>`), used by `plinth runjob`.',
  })
  job_class_name!: string;

  @Field.char({ max_length: 200, search: true })
  name!: string;

  @Field.bool({ default: false })
  name_override!: boolean;

  @Field.char({ max_length: 100, search: true })
  grouping!: string;

  @Field.bool({ default: false })
  grouping_override!: boolean;

  @Field.text({ blank: true })
  description!: string;

  @Field.bool({ default: false })
  description_override!: boolean;

  @Field.bool({ default: true, read_only: true, help_text: "The job's code is present." })
  installed!: boolean;

  @Field.bool({ default: false, help_text: 'Jobs are disabled until an administrator enables them.' })
  enabled!: boolean;

  @Field.bool({ default: false, read_only: true, label: 'Supports dry run' })
  supports_dryrun!: boolean;

  @Field.bool({ default: false, read_only: true })
  read_only!: boolean;

  @Field.bool({
    default: false,
    read_only: true,
    help_text: 'The job receives object changes from job hooks (`data.object_change`).',
  })
  is_job_hook_receiver!: boolean;

  @Field.bool({ default: false })
  has_sensitive_variables!: boolean;

  @Field.bool({ default: false })
  has_sensitive_variables_override!: boolean;

  @Field.bool({ default: false })
  hidden!: boolean;

  @Field.bool({ default: false })
  hidden_override!: boolean;

  @Field.bool({ default: false, help_text: 'Runs wait for another user to approve them.' })
  approval_required!: boolean;

  @Field.bool({ default: false })
  approval_required_override!: boolean;

  @Field.float({ default: 0, help_text: 'Seconds after which the job is asked to stop (0: none).' })
  soft_time_limit!: number;

  @Field.bool({ default: false })
  soft_time_limit_override!: boolean;

  @Field.float({ default: 0, help_text: 'Seconds after which the run is failed (0: none).' })
  time_limit!: number;

  @Field.bool({ default: false })
  time_limit_override!: boolean;

  @Field.json({
    filter: false,
    default: [],
    help_text:
      'Task queues runs may use (the first is the default); workers serve the queues they are started with.',
  })
  task_queues!: string[];

  @Field.bool({ default: false })
  task_queues_override!: boolean;

  /**
   * A job of a Git repository: where it comes from and what it declares (GitJobSource), so every
   * process builds its definition without loading the fetched code. Not part of the API.
   */
  @Column({ type: 'jsonb', nullable: true })
  git_job!: unknown;
}

export const SCHEDULE_INTERVALS = choices([
  ['immediately', 'Once immediately'],
  ['future', 'Once in the future'],
  ['hourly', 'Recurring hourly'],
  ['daily', 'Recurring daily'],
  ['weekly', 'Recurring weekly'],
  ['custom', 'Recurring custom (crontab)'],
]);

/**
 * A job run waiting for its time (once, an interval, or a crontab) or for approval, as Nautobot
 * 2 stores it. Created by `POST /api/extras/jobs/<id>/run/` with `schedule`, or by running an
 * approval-required job; fired by the scheduler (one claim per due schedule, whatever the number
 * of workers).
 */
@Entity('extras_scheduledjob')
@Index(['enabled', 'next_run'])
export class ScheduledJob extends BaseModel {
  @Field.char({ max_length: 200, search: true })
  name!: string;

  @Field.fk(() => Job, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  job_model!: Job | null;

  @Field.char({ max_length: 200, read_only: true, help_text: 'The registered job name.' })
  task!: string;

  @Field.choice(SCHEDULE_INTERVALS, { read_only: true, max_length: 20 })
  interval!: string;

  @Field.datetime({ read_only: true, help_text: 'When the schedule starts (the first run of intervals).' })
  start_time!: Date;

  @Field.char({
    max_length: 255,
    read_only: true,
    blank: true,
    help_text: 'Crontab expression, for the custom interval (minute hour day month weekday, UTC).',
  })
  crontab!: string;

  @Field.datetime({ read_only: true, nullable: true, help_text: 'When it fires next (null: never again).' })
  next_run!: Date | null;

  @Field.datetime({ read_only: true, nullable: true })
  last_run_at!: Date | null;

  @Field.int({ read_only: true, default: 0 })
  total_run_count!: number;

  @Field.json({ read_only: true, nullable: true, filter: false, help_text: 'The data of each run.' })
  kwargs!: unknown;

  @Field.bool({ read_only: true, default: false })
  dryrun!: boolean;

  @Field.char({ max_length: 64, read_only: true, blank: true, help_text: 'The task queue its runs go to.' })
  task_queue!: string;

  @Field.fk(CoreModels.user, {
    nullable: true,
    on_delete: 'SET_NULL',
    read_only: true,
    help_text: 'Who scheduled it.',
  })
  user!: UserRecord | null;

  @Field.bool({ read_only: true, default: false })
  approval_required!: boolean;

  @Field.fk(CoreModels.user, {
    nullable: true,
    on_delete: 'SET_NULL',
    read_only: true,
    related_name: 'approved_scheduled_jobs',
  })
  approved_by_user!: UserRecord | null;

  @Field.datetime({ read_only: true, nullable: true })
  approved_at!: Date | null;

  @Field.bool({ default: true })
  enabled!: boolean;
}

export const JOB_RESULT_STATUSES = choices([
  ['PENDING', 'Pending'],
  ['STARTED', 'Started'],
  ['SUCCESS', 'Success'],
  ['FAILURE', 'Failure'],
  ['REVOKED', 'Revoked'],
]);

/** One run of a job (Nautobot 2 statuses: PENDING, STARTED, SUCCESS, FAILURE, REVOKED). */
@Entity('extras_jobresult')
@Index(['status'])
export class JobResult extends BaseModel {
  @Field.fk(() => Job, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  job_model!: Job | null;

  @Field.char({ max_length: 255, read_only: true, search: true })
  name!: string;

  @Field.fk(() => ScheduledJob, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  scheduled_job!: ScheduledJob | null;

  @Field.choice(JOB_RESULT_STATUSES, { read_only: true, max_length: 30, default: 'PENDING' })
  status!: string;

  @Field.fk(CoreModels.user, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  user!: UserRecord | null;

  @Field.datetime({ read_only: true })
  date_created!: Date;

  @Field.datetime({ read_only: true, nullable: true })
  date_started!: Date | null;

  @Field.datetime({ read_only: true, nullable: true })
  date_done!: Date | null;

  @Field.json({ read_only: true, nullable: true, help_text: 'What the job returned.' })
  result!: unknown;

  @Field.text({ read_only: true, blank: true })
  traceback!: string;

  @Field.json({
    read_only: true,
    nullable: true,
    filter: false,
    help_text: 'The data the job ran with (null for jobs with sensitive variables).',
  })
  task_kwargs!: unknown;

  @Field.bool({ read_only: true, default: false })
  dryrun!: boolean;

  @Field.char({ max_length: 200, read_only: true, blank: true, help_text: 'The worker that ran it.' })
  worker!: string;

  @Field.char({ max_length: 64, read_only: true, blank: true, help_text: 'The task queue it was sent to.' })
  task_queue!: string;

  @Field.datetime({
    read_only: true,
    nullable: true,
    help_text: 'Last sign of life of the worker running it; a result whose worker went silent is failed.',
  })
  heartbeat!: Date | null;

  @Field.int({
    read_only: true,
    default: 0,
    help_text: 'Runs started (more than one: retried after a lost worker).',
  })
  attempts!: number;
}

/**
 * A file uploaded for a run's file variable (Nautobot's FileProxy): kept until the run ends, then
 * deleted; the job reads it as a JobFile. Its content is never serialized.
 */
@Entity('extras_fileproxy')
export class FileProxy extends BaseModel {
  @Field.char({ max_length: 255, read_only: true, search: true })
  name!: string;

  @Field.char({ max_length: 255, read_only: true, blank: true })
  content_type!: string;

  @Field.int({ read_only: true, default: 0, help_text: 'Bytes.' })
  size!: number;

  @Field.fk(() => JobResult, { nullable: true, on_delete: 'CASCADE', read_only: true })
  job_result!: JobResult | null;

  @Column({ type: 'bytea' })
  file!: Buffer;
}

export const JOB_LOG_LEVELS_CHOICES = choices([
  ['debug', 'Debug'],
  ['info', 'Info'],
  ['success', 'Success'],
  ['warning', 'Warning'],
  ['failure', 'Failure'],
]);

/** A log line of a run, written as the job runs. */
@Entity('extras_joblogentry')
@Index(['job_result', 'created'])
export class JobLogEntry extends BaseModel {
  @Field.fk(() => JobResult, { on_delete: 'CASCADE', read_only: true })
  job_result!: JobResult;

  @Field.choice(JOB_LOG_LEVELS_CHOICES, { read_only: true, max_length: 20, default: 'info' })
  log_level!: string;

  @Field.char({ max_length: 100, read_only: true, default: 'run' })
  grouping!: string;

  @Field.text({ read_only: true, search: true })
  message!: string;

  @Field.char({ max_length: 200, read_only: true, blank: true, nullable: true })
  log_object!: string | null;

  @Field.char({ max_length: 255, read_only: true, blank: true, nullable: true })
  absolute_url!: string | null;
}

/**
 * Nautobot's job hook: run a job (a job hook receiver) on create/update/delete of objects of the
 * chosen types, after the change commits (through the events outbox). The run acts as the user
 * who made the change; changes made by a job hook's own run do not fire job hooks again.
 */
@Entity('extras_jobhook')
export class JobHook extends BaseModel {
  @Field.char({ max_length: 150, unique: true, search: true })
  name!: string;

  @Field.array({
    item: 'string',
    content_types: 'webhooks',
    help_text: 'The object types whose changes run the job.',
    validate: (v) => (Array.isArray(v) && v.length === 0 ? 'Select at least one content type.' : undefined),
  })
  content_types!: string[];

  @Field.fk(() => Job, { on_delete: 'CASCADE', help_text: 'A job hook receiver.' })
  job!: Job;

  @Field.bool({ default: true })
  enabled!: boolean;

  @Field.bool({ default: false, help_text: 'Run when a matching object is created.' })
  type_create!: boolean;

  @Field.bool({ default: false, help_text: 'Run when a matching object is updated.' })
  type_update!: boolean;

  @Field.bool({ default: false, help_text: 'Run when a matching object is deleted.' })
  type_delete!: boolean;
}

/**
 * Nautobot's job button: on the detail page of objects of the chosen types, a button opening the
 * job's run form with its object variable (of the page's model) pre-filled with the object.
 */
@Entity('extras_jobbutton')
export class JobButton extends BaseModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.array({
    item: 'string',
    content_types: 'custom_links',
    help_text: 'The object types whose pages show the button.',
    validate: (v) => (Array.isArray(v) && v.length === 0 ? 'Select at least one content type.' : undefined),
  })
  content_types!: string[];

  @Field.fk(() => Job, { on_delete: 'CASCADE' })
  job!: Job;

  @Field.char({ max_length: 100, help_text: 'The button label.' })
  text!: string;

  @Field.int({ default: 100 })
  weight!: number;

  @Field.char({
    max_length: 50,
    blank: true,
    help_text: 'Buttons with the same group name form one dropdown.',
  })
  group_name!: string;

  @Field.choice(
    choices([
      ['primary', 'Primary'],
      ['secondary', 'Secondary'],
      ['success', 'Success'],
      ['info', 'Info'],
      ['warning', 'Warning'],
      ['danger', 'Danger'],
    ]),
    { default: 'primary', max_length: 30 },
  )
  button_class!: string;

  @Field.bool({ default: true })
  enabled!: boolean;
}
