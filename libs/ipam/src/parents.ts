import type { EntityManager } from 'typeorm';
import { ProtectedError, ValidationError, type Rec } from '@plinth/plugin-sdk';
import { parseNetwork } from './ip';
import { namespaceName } from './namespaces';

/**
 * Prefix and IP address parents (Nautobot 2.x): the parent of a prefix is the closest prefix of
 * its namespace strictly containing it; the parent of an IP address is the closest prefix of its
 * namespace containing its host (an equal /32 or /128 prefix included). Parents are derived data:
 * the prefix hooks keep the parents of *other* rows right with plain SQL updates in the write's
 * transaction (set-based, through the GiST/btree indexes), without change records for those
 * rows, as Nautobot does not log them either. Callers hold the address-space lock (see
 * lockAddressSpace), so no concurrent prefix write can interleave with these recomputations.
 */

/** SQL for the id of the closest prefix of namespace `$ns` containing `$net` (`>>` strict, `>>=` not). */
function closestSql(op: '>>' | '>>=', nsParam: string, netParam: string, excludeParam: string): string {
  return `SELECT p."id" FROM "ipam_prefix" p
    WHERE p."namespace_id" = ${nsParam} AND p."prefix" ${op} ${netParam} AND NOT (p."id" = ANY(${excludeParam}))
    ORDER BY masklen(p."prefix") DESC LIMIT 1`;
}

async function one<T>(manager: EntityManager, text: string, params: unknown[]): Promise<T | undefined> {
  return ((await manager.query(text, params)) as T[])[0];
}

/** The parent prefix of an IP address with host `host` (`10.0.0.5/32`) in `namespace`. */
export async function closestPrefixForHost(
  manager: EntityManager,
  namespace: unknown,
  host: string,
): Promise<string | null> {
  const row = await one<{ id: string }>(manager, closestSql('>>=', '$1', '$2::inet', '$3::uuid[]'), [
    namespace,
    host,
    [],
  ]);
  return row?.id ?? null;
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
 * A prefix just placed (created, or moved to a new network or namespace): set its own parent, then
 * adopt the rows it now sits between. A row inside it is adopted when its current parent is missing
 * (prefixes only) or strictly contains the new prefix, i.e. was its parent's parent-to-be.
 */
async function place(manager: EntityManager, x: PrefixRow): Promise<void> {
  await manager.query(
    `UPDATE "ipam_prefix" SET "parent_id" = (${closestSql('>>', '$2', '$3::cidr', "'{}'::uuid[]")}) WHERE "id" = $1`,
    [x.id, x.namespace, x.prefix],
  );
  const enclosing = `SELECT q."id" FROM "ipam_prefix" q WHERE q."namespace_id" = $2 AND q."prefix" >> $3::cidr`;
  await manager.query(
    `UPDATE "ipam_prefix" r SET "parent_id" = $1
      WHERE r."namespace_id" = $2 AND r."prefix" << $3::cidr AND r."id" <> $1
        AND (r."parent_id" IS NULL OR r."parent_id" IN (${enclosing}))`,
    [x.id, x.namespace, x.prefix],
  );
  await manager.query(
    `UPDATE "ipam_ipaddress" r SET "parent_id" = $1
      WHERE r."namespace_id" = $2 AND r."_host" <<= $3::cidr AND r."parent_id" IN (${enclosing})`,
    [x.id, x.namespace, x.prefix],
  );
}

/** Place prefixes, the widest first, so that nested new prefixes end up under each other. */
async function placeAll(manager: EntityManager, rows: PrefixRow[]): Promise<void> {
  const ordered = [...rows].sort((a, b) => parseNetwork(a.prefix).length - parseNetwork(b.prefix).length);
  for (const x of ordered) await place(manager, x);
}

/** IP addresses parented to `ids` that no prefix of their namespace outside `exclude` contains. */
async function orphanedAddresses(
  manager: EntityManager,
  ids: string[],
  exclude: string[],
): Promise<{ id: string; address: string; namespace_id: string }[]> {
  return (await manager.query(
    `SELECT r."id", r."address"::text AS address, r."namespace_id" FROM "ipam_ipaddress" r
      WHERE r."parent_id" = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM "ipam_prefix" p WHERE p."namespace_id" = r."namespace_id"
                          AND p."prefix" >>= r."_host" AND NOT (p."id" = ANY($2::uuid[])))
      ORDER BY r."_host" LIMIT 21`,
    [ids, exclude],
  )) as { id: string; address: string; namespace_id: string }[];
}

/** Rows whose parent is one of `ids` get their closest container again, never one of `exclude`. */
async function reparentChildren(manager: EntityManager, ids: string[], exclude: string[]): Promise<void> {
  await manager.query(
    `UPDATE "ipam_prefix" r SET "parent_id" = (${closestSql('>>', 'r."namespace_id"', 'r."prefix"', '$2::uuid[]')})
      WHERE r."parent_id" = ANY($1::uuid[]) AND NOT (r."id" = ANY($2::uuid[]))`,
    [ids, exclude],
  );
  await manager.query(
    `UPDATE "ipam_ipaddress" r SET "parent_id" = (${closestSql('>>=', 'r."namespace_id"', 'r."_host"', '$2::uuid[]')})
      WHERE r."parent_id" = ANY($1::uuid[])`,
    [ids, exclude],
  );
}

function listed(rows: { address: string }[]): string {
  const shown = rows.slice(0, 20).map((r) => r.address);
  return `${shown.join(', ')}${rows.length > 20 ? ', ...' : ''}`;
}

/** afterCreate of prefixes. */
export async function placeCreatedPrefixes(manager: EntityManager, records: Rec[]): Promise<void> {
  await placeAll(manager, asPrefixRows(records));
}

/**
 * afterUpdate of prefixes: those whose network or namespace changed give up their children (which
 * find their closest container again) and are placed anew. An IP address left with no container
 * in its namespace refuses the change (400), as Nautobot refuses to orphan addresses.
 */
export async function replaceUpdatedPrefixes(
  manager: EntityManager,
  records: Rec[],
  before: Rec[],
): Promise<void> {
  const moved = asPrefixRows(records).filter(
    (r, i) => r.prefix !== String(before[i].prefix) || r.namespace !== String(before[i].namespace),
  );
  if (moved.length === 0) return;
  const ids = moved.map((m) => m.id);
  const orphans = await orphanedAddresses(manager, ids, []);
  if (orphans.length) {
    const ns = await namespaceName(manager, orphans[0].namespace_id);
    throw ValidationError.field(
      'prefix',
      `This change would leave IP addresses without a parent prefix in namespace ${ns}: ${listed(orphans)}.`,
    );
  }
  await reparentChildren(manager, ids, []);
  await placeAll(manager, moved);
}

/**
 * beforeDelete of prefixes: child prefixes and IP addresses move to the closest remaining container
 * (Nautobot's Prefix.delete). IP addresses with none would be orphaned: 409 listing them.
 */
export async function releaseDeletedPrefixes(manager: EntityManager, records: Rec[]): Promise<void> {
  const ids = records.map((r) => String(r.id));
  const orphans = await orphanedAddresses(manager, ids, ids);
  if (orphans.length) {
    const ns = await namespaceName(manager, orphans[0].namespace_id);
    throw new ProtectedError(
      `Unable to delete: IP addresses would be left without a parent prefix in namespace ${ns}: ${listed(orphans)}. Delete them or create a containing prefix first.`,
      orphans.slice(0, 20).map((o) => ({ object_type: 'ipam.ipaddress', id: o.id, display: o.address })),
    );
  }
  await reparentChildren(manager, ids, ids);
}
