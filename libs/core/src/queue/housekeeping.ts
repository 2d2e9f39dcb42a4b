import type { DataSource } from 'typeorm';
import type { JobDefinition } from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';

/** Hourly clean-up: expired sessions and change records older than the retention period. */
export function housekeepingJob(ds: DataSource, config: PlinthConfig): JobDefinition {
  return {
    name: 'core.housekeeping',
    description:
      'Delete expired sessions, and change log entries and given-up change events older than PLINTH_CHANGELOG_RETENTION_DAYS (0 keeps them forever).',
    every_ms: 3600_000,
    async run(ctx) {
      // Counted in SQL: TypeORM answers a DELETE with [rows, affected], whose length is always 2.
      const count = async (text: string, params: unknown[] = []): Promise<number> =>
        (
          (await ds.query(`WITH d AS (${text} RETURNING 1) SELECT count(*)::int AS n FROM d`, params)) as {
            n: number;
          }[]
        )[0].n;
      const sessions = await count('DELETE FROM core_session WHERE expires < now()');
      await ds.query(
        `DELETE FROM core_loginfailure WHERE (locked_until IS NULL OR locked_until < now()) AND first_failure < now() - interval '1 day'`,
      );
      let changes = 0;
      if (config.changelogRetentionDays > 0) {
        changes = await count(
          `DELETE FROM core_objectchange WHERE time < now() - ($1::int * interval '1 day')`,
          [config.changelogRetentionDays],
        );
      }
      let events = 0;
      if (config.changelogRetentionDays > 0) {
        events = await count(
          `DELETE FROM core_eventoutbox WHERE status = 'failed' AND created < now() - ($1::int * interval '1 day')`,
          [config.changelogRetentionDays],
        );
      }
      ctx.log(
        `removed ${sessions} expired sessions, ${changes} old change records and ${events} old given-up change events`,
      );
      return { sessions, changes, events };
    },
  };
}
