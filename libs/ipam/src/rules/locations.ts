import { sql, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { tables } from '../tables';

/** Ids of the given locations and all their ancestors. */
export function ancestorsOf(locations: Sql): Sql {
  return sql`WITH RECURSIVE _up(id, parent_id) AS (
      SELECT "id", "parent_id" FROM ${tables.location} WHERE "id" IN (${locations})
      UNION SELECT _l."id", _l."parent_id" FROM ${tables.location} _l JOIN _up ON _l."id" = _up.parent_id)
    SELECT id FROM _up`;
}

/**
 * Does an object at `scope` (a VLAN's location, a VLAN group's) serve `location`? Yes when the
 * scope is empty (global), the location itself or one of its ancestors.
 */
export async function locationCovers(db: SqlRunner, scope: unknown, location: unknown): Promise<boolean> {
  if (!scope) return true;
  if (!location) return false;
  const row = await db.one(
    sql`SELECT 1 FROM (${ancestorsOf(sql`SELECT ${location}::uuid`)}) _a WHERE _a.id = ${scope}::uuid LIMIT 1`,
  );
  return row !== undefined;
}
