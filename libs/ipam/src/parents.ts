import { ProtectedError, ValidationError, sql, type Rec, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { namespaceName } from './namespaces';
import { tables } from './tables';

/**
 * Prefix and IP address parents (Nautobot 2.x): the parent of a prefix is the closest prefix of
 * its namespace strictly containing it; the parent of an IP address is the closest prefix of its
 * namespace containing its host (an equal /32 or /128 prefix included). Parents are derived data:
 * the prefix hooks keep the parents of *other* rows right with plain SQL updates in the write's
 * transaction (set-based, through the GiST/btree indexes), without change records for those
 * rows, as Nautobot does not log them either. Callers hold the address-space lock (see
 * lockAddressSpace), so no concurrent prefix write can interleave with these recomputations.
 */

/** The id of the closest prefix of namespace `ns` containing `net` (`>>` strict, `>>=` not), never one of `exclude`. */
function closest(op: '>>' | '>>=', ns: Sql, net: Sql, exclude: Sql): Sql {
  return sql`SELECT p."id" FROM ${tables.prefix} p
    WHERE p."namespace_id" = ${ns} AND p."prefix" ${sql.raw(op)} ${net} AND NOT (p."id" = ANY(${exclude}))
    ORDER BY masklen(p."prefix") DESC LIMIT 1`;
}

const NONE = sql`'{}'::uuid[]`;

/**
 * The parent prefixes of many addresses at once (one statement, an index probe per address):
 * `hosts[i]` (`10.0.0.5/32`) in `namespaces[i]` gives the i-th id, or null.
 */
export async function closestPrefixesForHosts(
  db: SqlRunner,
  namespaces: readonly unknown[],
  hosts: readonly string[],
): Promise<(string | null)[]> {
  if (hosts.length === 0) return [];
  const rows = await db.query<{ i: string; id: string | null }>(
    sql`SELECT x.i, (${closest('>>=', sql`x.ns`, sql`x.host`, NONE)}) AS id
        FROM unnest(${namespaces.map(String)}::uuid[], ${[...hosts]}::inet[]) WITH ORDINALITY AS x(ns, host, i)`,
  );
  const out: (string | null)[] = hosts.map(() => null);
  for (const r of rows) out[Number(r.i) - 1] = r.id === null ? null : String(r.id);
  return out;
}

interface PrefixRow {
  id: string;
  prefix: string;
  namespace: string;
}

function asPrefixRows(records: Rec[]): PrefixRow[] {
  return records.map((r) => ({ id: String(r.id), prefix: String(r.prefix), namespace: String(r.namespace) }));
}

/**
 * Prefixes just placed (created, or moved to a new network or namespace), set-based whatever
 * their number: each gets its closest strict container, and every prefix and IP address inside
 * one of them gets its closest container again (parents elsewhere were right before, and only
 * rows inside a placed prefix can have a new closest container). New prefixes nested in each
 * other end up under each other, as all are in the table already.
 */
async function placeAll(db: SqlRunner, rows: PrefixRow[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = sql`${rows.map((r) => r.id)}::uuid[]`;
  const placed = sql`SELECT n."namespace_id", n."prefix" FROM ${tables.prefix} n WHERE n."id" = ANY(${ids})`;
  await db.query(
    sql`UPDATE ${tables.prefix} r SET "parent_id" = (${closest('>>', sql`r."namespace_id"`, sql`r."prefix"`, NONE)})
      WHERE r."id" = ANY(${ids})
         OR EXISTS (SELECT 1 FROM (${placed}) n WHERE n."namespace_id" = r."namespace_id" AND r."prefix" << n."prefix")`,
  );
  await db.query(
    sql`UPDATE ${tables.ipAddress} r SET "parent_id" = (${closest('>>=', sql`r."namespace_id"`, sql`r."_host"`, NONE)})
      WHERE EXISTS (SELECT 1 FROM (${placed}) n WHERE n."namespace_id" = r."namespace_id" AND r."_host" <<= n."prefix")`,
  );
}

/** IP addresses parented to `ids` that no prefix of their namespace outside `exclude` contains. */
async function orphanedAddresses(
  db: SqlRunner,
  ids: string[],
  exclude: string[],
): Promise<{ id: string; address: string; namespace_id: string }[]> {
  return db.query<{ id: string; address: string; namespace_id: string }>(
    sql`SELECT r."id", r."address"::text AS address, r."namespace_id" FROM ${tables.ipAddress} r
      WHERE r."parent_id" = ANY(${ids}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM ${tables.prefix} p WHERE p."namespace_id" = r."namespace_id"
                          AND p."prefix" >>= r."_host" AND NOT (p."id" = ANY(${exclude}::uuid[])))
      ORDER BY r."_host" LIMIT 21`,
  );
}

/** Rows whose parent is one of `ids` get their closest container again, never one of `exclude`. */
async function reparentChildren(db: SqlRunner, ids: string[], exclude: string[]): Promise<void> {
  const excluded = sql`${exclude}::uuid[]`;
  await db.query(
    sql`UPDATE ${tables.prefix} r SET "parent_id" = (${closest('>>', sql`r."namespace_id"`, sql`r."prefix"`, excluded)})
      WHERE r."parent_id" = ANY(${ids}::uuid[]) AND NOT (r."id" = ANY(${excluded}))`,
  );
  await db.query(
    sql`UPDATE ${tables.ipAddress} r SET "parent_id" = (${closest('>>=', sql`r."namespace_id"`, sql`r."_host"`, excluded)})
      WHERE r."parent_id" = ANY(${ids}::uuid[])`,
  );
}

function listed(rows: { address: string }[]): string {
  const shown = rows.slice(0, 20).map((r) => r.address);
  return `${shown.join(', ')}${rows.length > 20 ? ', ...' : ''}`;
}

/** afterCreate of prefixes. */
export async function placeCreatedPrefixes(db: SqlRunner, records: Rec[]): Promise<void> {
  await placeAll(db, asPrefixRows(records));
}

/**
 * afterUpdate of prefixes: those whose network or namespace changed give up their children (which
 * find their closest container again) and are placed anew. An IP address left with no container
 * in its namespace refuses the change (400), as Nautobot refuses to orphan addresses.
 */
export async function replaceUpdatedPrefixes(db: SqlRunner, records: Rec[], before: Rec[]): Promise<void> {
  const moved = asPrefixRows(records).filter(
    (r, i) => r.prefix !== String(before[i].prefix) || r.namespace !== String(before[i].namespace),
  );
  if (moved.length === 0) return;
  const ids = moved.map((m) => m.id);
  const orphans = await orphanedAddresses(db, ids, []);
  if (orphans.length) {
    const ns = await namespaceName(db, orphans[0].namespace_id);
    throw ValidationError.field(
      'prefix',
      `This change would leave IP addresses without a parent prefix in namespace ${ns}: ${listed(orphans)}.`,
    );
  }
  await reparentChildren(db, ids, []);
  await placeAll(db, moved);
}

/**
 * beforeDelete of prefixes: child prefixes and IP addresses move to the closest remaining container
 * (Nautobot's Prefix.delete). IP addresses with none would be orphaned: 409 listing them.
 */
export async function releaseDeletedPrefixes(db: SqlRunner, records: Rec[]): Promise<void> {
  const ids = records.map((r) => String(r.id));
  const orphans = await orphanedAddresses(db, ids, ids);
  if (orphans.length) {
    const ns = await namespaceName(db, orphans[0].namespace_id);
    throw new ProtectedError(
      `Unable to delete: IP addresses would be left without a parent prefix in namespace ${ns}: ${listed(orphans)}. Delete them or create a containing prefix first.`,
      orphans.slice(0, 20).map((o) => ({ object_type: 'ipam.ipaddress', id: o.id, display: o.address })),
    );
  }
  await reparentChildren(db, ids, ids);
}
