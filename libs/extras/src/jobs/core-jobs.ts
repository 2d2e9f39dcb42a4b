import { sql, type JobDefinition } from '@plinth/plugin-sdk';

/**
 * A core user job (Nautobot ships similar maintenance jobs): delete finished job results older
 * than a number of days, with their log lines. Dry run counts without deleting.
 */
export const jobResultCleanupJob: JobDefinition = {
  name: 'extras.delete_old_job_results',
  label: 'Delete old job results',
  grouping: 'System',
  description: 'Delete finished job results (and their logs) older than a number of days.',
  dryrun: true,
  idempotent: true,
  variables: {
    days: {
      type: 'integer',
      min_value: 0,
      max_value: 3650,
      default: 90,
      description: 'Results finished more than this many days ago are deleted.',
    },
  },
  async run(ctx, data) {
    const days = Number(data.days);
    const where = sql`"status" IN ('SUCCESS', 'FAILURE', 'REVOKED') AND "date_done" < now() - (${days}::int * interval '1 day') AND "id" <> ${ctx.job_result_id}::uuid`;
    const [{ n }] = await ctx.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM "extras_jobresult" WHERE ${where}`,
    );
    if (ctx.dryrun) {
      ctx.log_info(`Dry run: ${n} job results would be deleted.`);
      return { deleted: 0, would_delete: n };
    }
    await ctx.db.query(sql`DELETE FROM "extras_jobresult" WHERE ${where}`);
    ctx.log_success(`Deleted ${n} job results finished more than ${days} days ago.`);
    return { deleted: n };
  },
};
