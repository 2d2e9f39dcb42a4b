import { sql, type Sql } from '@plinth/plugin-sdk';

/**
 * The data version validators (REST list ETags) are made from: the change log's latest time and
 * how many changes were logged in the ten minutes before it. Every write of a change-logged
 * model adds a change, so an edit, a create or a delete anywhere (a listed row, a nested
 * object's name, a custom field, a permission) moves it. The count catches a transaction that
 * commits after a later-started one (its changes carry its earlier start time, so the latest
 * time alone would not move); both come from the `time` index. Writes of models without change
 * logging do not move it: their lists get no version.
 */
export const CHANGE_VERSION: Sql = sql.raw(
  `(SELECT m::text || '/' || (SELECT count(*) FROM "core_objectchange" WHERE "time" >= m - interval '10 minutes') FROM (SELECT max("time") AS m FROM "core_objectchange") _latest)`,
);
