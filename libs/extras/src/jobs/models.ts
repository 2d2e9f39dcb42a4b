import { TASK_QUEUE_NAME, defineModel, sql } from '@plinth/plugin-sdk';
import { FileProxy, Job, JobButton, JobHook, JobLogEntry, JobResult, ScheduledJob } from './entities';

export const jobModel = defineModel({
  entity: Job,
  app_label: 'extras',
  model: 'job',
  features: ['custom_validators', 'changelog', 'graphql'],
  natural_key: ['job_class_name'],
  ordering: ['grouping', 'name'],
  list_fields: ['name', 'grouping', 'description', 'installed', 'enabled', 'approval_required'],
  description: 'Jobs provided by plugins and core; rows are synced from the code on start.',
  rules: [
    (ctx) => {
      // Jobs come from code: rows are created only by the start-up sync (a system write).
      if (ctx.action === 'create' && ctx.tx.source !== 'system')
        ctx.error('job_class_name', 'Jobs are provided by installed code and cannot be created here.');
      const queues = (ctx.record as { task_queues?: unknown }).task_queues;
      if (
        ctx.changed('task_queues' as never) &&
        !(Array.isArray(queues) && queues.every((q) => typeof q === 'string' && TASK_QUEUE_NAME.test(q)))
      )
        ctx.error(
          'task_queues',
          'Enter a list of task queue names (lowercase letters, digits, "_", "-" and "."), the default first.',
        );
    },
  ],
});

export const jobResultModel = defineModel({
  entity: JobResult,
  app_label: 'extras',
  model: 'jobresult',
  verbose_name: 'job result',
  verbose_name_plural: 'job results',
  api_path: 'job-results',
  read_only: true,
  features: ['graphql'],
  ordering: ['-date_created'],
  display: (r) => `${String(r.name)} (${String(r.status)})`,
  global_search: false,
  list_fields: ['date_created', 'name', 'user', 'status', 'date_done'],
});

export const jobLogEntryModel = defineModel({
  entity: JobLogEntry,
  app_label: 'extras',
  model: 'joblogentry',
  verbose_name: 'job log entry',
  verbose_name_plural: 'job log entries',
  api_path: 'job-logs',
  read_only: true,
  features: ['graphql'],
  ordering: ['created'],
  display: (r) => String(r.message).slice(0, 80),
  global_search: false,
  list_fields: ['created', 'job_result', 'log_level', 'grouping', 'message', 'log_object'],
});

export const scheduledJobModel = defineModel({
  entity: ScheduledJob,
  app_label: 'extras',
  model: 'scheduledjob',
  verbose_name: 'scheduled job',
  verbose_name_plural: 'scheduled jobs',
  api_path: 'scheduled-jobs',
  features: ['graphql'],
  ordering: ['next_run', 'name'],
  global_search: false,
  list_fields: [
    'name',
    'job_model',
    'interval',
    'next_run',
    'total_run_count',
    'user',
    'approval_required',
    'approved_by_user',
    'enabled',
  ],
  rules: [
    (ctx) => {
      // Scheduled jobs are made by running a job with a schedule (or one that needs approval).
      if (ctx.action === 'create')
        ctx.error('name', 'Schedule a job by running it with a schedule: POST /api/extras/jobs/<id>/run/.');
    },
  ],
});

export const jobHookModel = defineModel({
  entity: JobHook,
  app_label: 'extras',
  model: 'jobhook',
  verbose_name: 'job hook',
  verbose_name_plural: 'job hooks',
  api_path: 'job-hooks',
  features: ['custom_validators', 'changelog', 'graphql'],
  list_fields: ['name', 'content_types', 'job', 'enabled', 'type_create', 'type_update', 'type_delete'],
  rules: [
    async (ctx) => {
      const r = ctx.record as unknown as {
        job: string;
        type_create: boolean;
        type_update: boolean;
        type_delete: boolean;
      };
      if (!r.type_create && !r.type_update && !r.type_delete)
        ctx.error('type_create', 'You must select at least one type: create, update or delete.');
      if (!ctx.changed('job' as never) || !r.job) return;
      const [job] = await ctx.tx.query<{ is_job_hook_receiver: boolean }>(
        sql`SELECT "is_job_hook_receiver" FROM "extras_job" WHERE "id" = ${r.job}::uuid`,
      );
      if (job && !job.is_job_hook_receiver) ctx.error('job', 'The job is not a job hook receiver.');
    },
  ],
});

export const jobButtonModel = defineModel({
  entity: JobButton,
  app_label: 'extras',
  model: 'jobbutton',
  verbose_name: 'job button',
  verbose_name_plural: 'job buttons',
  api_path: 'job-buttons',
  features: ['custom_validators', 'changelog', 'graphql'],
  ordering: ['group_name', 'weight', 'name'],
  list_fields: ['name', 'content_types', 'job', 'text', 'group_name', 'weight', 'enabled'],
});

export const fileProxyModel = defineModel({
  entity: FileProxy,
  app_label: 'extras',
  model: 'fileproxy',
  verbose_name: 'file proxy',
  verbose_name_plural: 'file proxies',
  api_path: 'file-proxies',
  read_only: true,
  features: ['graphql'],
  ordering: ['-created'],
  global_search: false,
  description: "Files uploaded for runs' file variables, kept until the run ends.",
  list_fields: ['name', 'content_type', 'size', 'job_result', 'created'],
});
