import type { DataSource } from 'typeorm';
import type { JobDefinition } from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';

/** Hourly clean-up: expired sessions and change records older than the retention period. */
export function housekeepingJob(ds: DataSource, config: PlinthConfig): JobDefinition {
  return {
    name: 'core.housekeeping',
    description:
      'Delete expired sessions and change log entries older than PLINTH_CHANGELOG_RETENTION_DAYS (0 keeps them forever).',
    every_ms: 3600_000,
    async run(ctx) {
      const sessions = (
        (await ds.query('DELETE FROM core_session WHERE expires < now() RETURNING id')) as unknown[]
      ).length;
      let changes = 0;
      if (config.changelogRetentionDays > 0) {
        changes = (
          (await ds.query(
            `DELETE FROM core_objectchange WHERE time < now() - ($1::int * interval '1 day') RETURNING id`,
            [config.changelogRetentionDays],
          )) as unknown[]
        ).length;
      }
      ctx.log(`removed ${sessions} expired sessions and ${changes} old change records`);
      return { sessions, changes };
    },
  };
}
