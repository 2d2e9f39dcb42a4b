import { sql, type Sql, type SqlRunner } from '@plinth/plugin-sdk';
import { addressText, alignUp, bitsOf, cidrBlocks, parseInet, parseNetwork, type Network } from '../ip';
import { tables } from '../tables';

/**
 * Free space inside a prefix, found in SQL: the database returns only the *gaps* between used
 * addresses (or child prefixes), walking its indexes in address order and stopping as soon as it
 * has enough; the application turns those few gaps into addresses and CIDR blocks. Nothing ever
 * enumerates the prefix itself, so a /8 or an IPv6 /32 costs what its used part costs.
 */

export interface ParentPrefix {
  id: string;
  prefix: string;
  namespace_id: string;
  type: string;
}

export interface Gap {
  first: bigint;
  last: bigint;
}

/** `10.0.0.5/32`: addresses are passed to SQL as full-length inets. */
function inet(version: 4 | 6, value: bigint): string {
  return `${addressText(version, value)}/${bitsOf(version)}`;
}

function gapsFrom(rows: { s: string; e: string }[]): Gap[] {
  return rows.map((r) => ({ first: parseInet(r.s).value, last: parseInet(r.e).value }));
}

// ------------------------------------------------------------------ addresses

/**
 * The addresses of a prefix that IP addresses may take (Nautobot's get_available_ips): all of
 * them in pools, in IPv6 prefixes and in IPv4 /31 and /32; other IPv4 prefixes keep their network
 * and broadcast addresses.
 */
export function usableRange(p: ParentPrefix): Gap {
  const net = parseNetwork(p.prefix);
  const whole = p.type === 'pool' || net.version === 6 || net.length >= 31;
  return whole ? { first: net.first, last: net.last } : { first: net.first + 1n, last: net.last - 1n };
}

/** Used hosts scanned in address order before switching to the bisection on counts. */
const PROBE_ROWS = 256;

/**
 * Gaps between used hosts of a namespace in `from..to` (full-length inets), in address order,
 * up to `maxGaps`: a window over the host index that stops once it has found them. `scanRows`
 * bounds how many used hosts it reads (the probe); null reads on until it has the gaps.
 */
async function gapsBetweenUsed(
  db: SqlRunner,
  namespace: string,
  from: string,
  to: string,
  maxGaps: number,
  scanRows: number | null,
): Promise<{ s: string; e: string }[]> {
  const start = sql`${from}::inet`;
  return db.query<{ s: string; e: string }>(
    sql`SELECT (CASE WHEN g.prev IS NULL THEN ${start} ELSE g.prev + 1 END)::text AS s, (g.cur - 1)::text AS e
       FROM (SELECT lag(u.h) OVER (ORDER BY u.h) AS prev, u.h AS cur
               FROM (SELECT a."_host" AS h FROM ${tables.ipAddress} a
                      WHERE a."namespace_id" = ${namespace}::uuid AND a."_host" >= ${start} AND a."_host" <= ${to}::inet
                      ORDER BY a."_host" LIMIT ${scanRows}::int) u) g
      WHERE CASE WHEN g.prev IS NULL THEN g.cur > ${start} ELSE g.prev + 1 < g.cur END
      ORDER BY g.cur LIMIT ${maxGaps}::int`,
  );
}

/** Count and bounds of the used hosts of a namespace in `from..to` (`limit` first ones, if given). */
async function usedStats(
  db: SqlRunner,
  namespace: string,
  from: string,
  to: string,
  limit: number | null,
): Promise<{ n: bigint; lo: bigint | null; hi: bigint | null }> {
  const row = (await db.one<{ n: string; lo: string | null; hi: string | null }>(
    sql`SELECT count(*)::text AS n, min(u.h)::text AS lo, max(u.h)::text AS hi
       FROM (SELECT a."_host" AS h FROM ${tables.ipAddress} a
              WHERE a."namespace_id" = ${namespace}::uuid AND a."_host" >= ${from}::inet AND a."_host" <= ${to}::inet
              ORDER BY a."_host" LIMIT ${limit}::int) u`,
  ))!;
  return {
    n: BigInt(row.n),
    lo: row.lo === null ? null : parseInet(row.lo).value,
    hi: row.hi === null ? null : parseInet(row.hi).value,
  };
}

/** The last used host of a namespace in `from..to` (full-length inets), by one index probe. */
async function lastUsed(db: SqlRunner, namespace: string, from: string, to: string): Promise<bigint | null> {
  const row = await db.one<{ h: string }>(
    sql`SELECT a."_host"::text AS h FROM ${tables.ipAddress} a
         WHERE a."namespace_id" = ${namespace}::uuid AND a."_host" >= ${from}::inet AND a."_host" <= ${to}::inet
         ORDER BY a."_host" DESC LIMIT 1`,
  );
  return row ? parseInet(row.h).value : null;
}

/** Below this many addresses a bisection step costs more in round trips than scanning the rest. */
const SCAN_WIDTH = 4096n;

/**
 * The first unused address in `from..end`, knowing `end` is unused (or past the range): bisection
 * on whether the lower half is full, each step counting (index-only) the used hosts of half the
 * step before, so the search reads about as many index entries as one count of the range —
 * wherever the hole is, or when there is none (the answer is then `end`). The last few thousand
 * addresses are scanned in one window instead of a dozen more round trips.
 */
async function firstHole(db: SqlRunner, namespace: string, version: 4 | 6, from: bigint, end: bigint) {
  let [a, b] = [from, end];
  while (b - a > SCAN_WIDTH) {
    const mid = a + (b - a - 1n) / 2n;
    const { n } = await usedStats(db, namespace, inet(version, a), inet(version, mid), null);
    if (n === mid - a + 1n) a = mid + 1n;
    else b = mid;
  }
  if (a === b) return a;
  const [lo, hi] = [inet(version, a), inet(version, b - 1n)];
  const [gap] = await gapsBetweenUsed(db, namespace, lo, hi, 1, null);
  if (gap) return parseInet(gap.s).value;
  const used = await usedStats(db, namespace, lo, hi, null);
  return used.hi === null ? a : used.hi + 1n;
}

/**
 * The first free address ranges of a prefix, in address order, enough for `maxGaps` (each holds
 * at least one address). Used are the hosts of IP addresses of the namespace in the prefix's
 * usable range, whatever their parent (an address in a child prefix is used in this one too).
 *
 * Cost follows the used addresses read, never the prefix size. From the start: a short probe (a
 * window over the first used hosts) finds early gaps; after a long run, a bisection on counts up
 * to the last used host finds the next hole (or that the run is dense and the free space follows
 * it: addresses handed out in order); repeat from past that hole until there are enough.
 */
export async function freeAddressRanges(
  db: SqlRunner,
  p: ParentPrefix,
  maxGaps: number,
): Promise<{ net: Network; gaps: Gap[] }> {
  const net = parseNetwork(p.prefix);
  const range = usableRange(p);
  const text = (v: bigint) => inet(net.version, v);
  const hi = text(range.last);
  const gaps: Gap[] = [];
  const after = (last: bigint) => (last < range.last ? [{ first: last + 1n, last: range.last }] : []);
  let cursor = range.first;
  while (gaps.length < maxGaps && cursor <= range.last) {
    const from = text(cursor);
    gaps.push(
      ...gapsFrom(await gapsBetweenUsed(db, p.namespace_id, from, hi, maxGaps - gaps.length, PROBE_ROWS)),
    );
    if (gaps.length >= maxGaps) break;
    const probe = await usedStats(db, p.namespace_id, from, hi, PROBE_ROWS);
    if (probe.hi === null) return { net, gaps: [...gaps, { first: cursor, last: range.last }] };
    if (probe.n < BigInt(PROBE_ROWS) || probe.hi === range.last)
      return { net, gaps: [...gaps, ...after(probe.hi)] };
    const last = await lastUsed(db, p.namespace_id, text(probe.hi + 1n), hi);
    if (last === null) return { net, gaps: [...gaps, ...after(probe.hi)] };
    const hole = await firstHole(db, p.namespace_id, net.version, probe.hi + 1n, last + 1n);
    if (hole > last) return { net, gaps: [...gaps, ...after(last)] };
    const next = await usedStats(db, p.namespace_id, text(hole), hi, 1);
    gaps.push({ first: hole, last: next.lo! - 1n });
    cursor = next.lo!;
  }
  return { net, gaps: gaps.slice(0, maxGaps) };
}

/** The first `count` free addresses of a prefix, with the prefix's mask (`10.0.0.1/24`). */
export async function firstFreeAddresses(
  db: SqlRunner,
  p: ParentPrefix,
  count: number,
): Promise<{ addresses: string[]; version: 4 | 6 }> {
  const { net, gaps } = await freeAddressRanges(db, p, count);
  const addresses: string[] = [];
  for (const g of gaps) {
    for (let x = g.first; x <= g.last && addresses.length < count; x++) {
      addresses.push(`${addressText(net.version, x)}/${net.length}`);
    }
  }
  return { addresses, version: net.version };
}

// ------------------------------------------------------------------ prefixes

/**
 * The gaps between a prefix's direct children (children never overlap: a prefix inside a sibling
 * would be that sibling's child), as full-length inet ranges `s..e` (a `gaps` CTE).
 */
function childGaps(p: ParentPrefix, net: Network): Sql {
  const [first, last] = [
    sql`${inet(net.version, net.first)}::inet`,
    sql`${inet(net.version, net.last)}::inet`,
  ];
  return sql`
  WITH kids AS (
    SELECT set_masklen(network(c."prefix")::inet, ${net.bits}::int) AS first, set_masklen(broadcast(c."prefix"), ${net.bits}::int) AS last
      FROM ${tables.prefix} c WHERE c."namespace_id" = ${p.namespace_id}::uuid AND c."parent_id" = ${p.id}::uuid AND c."prefix" << ${p.prefix}::cidr),
  gaps AS (
    SELECT CASE WHEN k.prev IS NULL THEN ${first} ELSE k.prev + 1 END AS s, k.first - 1 AS e
      FROM (SELECT lag(last) OVER (ORDER BY first) AS prev, first FROM kids) k
     WHERE CASE WHEN k.prev IS NULL THEN k.first > ${first} ELSE k.prev + 1 < k.first END
    UNION ALL
    SELECT CASE WHEN m.last IS NULL THEN ${first} ELSE m.last + 1 END, ${last}
      FROM (SELECT max(last) AS last FROM kids) m WHERE m.last IS NULL OR m.last < ${last})`;
}

/**
 * Condition "gap s..e holds an aligned /length block": the first aligned block at or after s ends
 * before e. Written with inet functions only (no 128-bit arithmetic in SQL); CASE keeps `+ 1`
 * away from the top of the address space.
 */
function fits(bits: number, length: number): Sql {
  const [b, l] = [sql`${bits}::int`, sql`${length}::int`];
  return sql`CASE
    WHEN set_masklen(network(set_masklen(s, ${l}))::inet, ${b}) = s THEN set_masklen(broadcast(set_masklen(s, ${l})), ${b}) <= e
    WHEN set_masklen(broadcast(set_masklen(s, ${l})), ${b}) >= e THEN false
    ELSE set_masklen(broadcast(set_masklen(set_masklen(broadcast(set_masklen(s, ${l})), ${b}) + 1, ${l})), ${b}) <= e END`;
}

/** The free CIDR blocks of a prefix, in address order (Nautobot's available prefixes), up to `limit`. */
export async function freePrefixes(db: SqlRunner, p: ParentPrefix, limit: number): Promise<string[]> {
  const net = parseNetwork(p.prefix);
  const rows = await db.query<{ s: string; e: string }>(
    sql`${childGaps(p, net)} SELECT s::text AS s, e::text AS e FROM gaps ORDER BY s LIMIT ${limit}::int`,
  );
  const out: string[] = [];
  for (const g of gapsFrom(rows)) {
    for (const b of cidrBlocks(g.first, g.last, net.bits)) {
      if (out.length === limit) return out;
      out.push(`${addressText(net.version, b.first)}/${b.length}`);
    }
  }
  return out;
}

/** Gaps able to hold a /length block, in address order, up to `limit`. */
async function gapsFitting(
  db: SqlRunner,
  p: ParentPrefix,
  net: Network,
  length: number,
  limit: number,
): Promise<Gap[]> {
  const rows = await db.query<{ s: string; e: string }>(
    sql`${childGaps(p, net)} SELECT s::text AS s, e::text AS e FROM gaps WHERE ${fits(net.bits, length)} ORDER BY s LIMIT ${limit}::int`,
  );
  return gapsFrom(rows);
}

/**
 * Take the lowest aligned /length block from the gaps (sorted), splitting the gap it comes from;
 * null when none holds one.
 */
function takeBlock(gaps: Gap[], length: number, bits: number): Gap | null {
  const size = 1n << BigInt(bits - length);
  for (let i = 0; i < gaps.length; i++) {
    const g = gaps[i];
    const first = alignUp(g.first, length, bits);
    const last = first + size - 1n;
    if (last > g.last) continue;
    const rest = [
      ...(first > g.first ? [{ first: g.first, last: first - 1n }] : []),
      ...(last < g.last ? [{ first: last + 1n, last: g.last }] : []),
    ];
    gaps.splice(i, 1, ...rest);
    return { first, last };
  }
  return null;
}

/**
 * First-fit allocation of one block per requested length, in request order, each at the lowest
 * free aligned position (what Nautobot's walk over `iter_cidrs()` picks). All or nothing: null
 * when any request does not fit.
 */
export async function allocatePrefixes(
  db: SqlRunner,
  p: ParentPrefix,
  lengths: readonly number[],
): Promise<string[] | null> {
  const net = parseNetwork(p.prefix);
  if (lengths.length === 0) return [];
  // Every useful gap holds at least the smallest block requested; fetch those, more if needed.
  const smallest = Math.max(...lengths);
  for (let limit = lengths.length * 4 + 64; ; limit *= 4) {
    const fetched = await gapsFitting(db, p, net, smallest, limit);
    const gaps = [...fetched];
    const out: string[] = [];
    for (const length of lengths) {
      const block = takeBlock(gaps, length, net.bits);
      if (!block) break;
      out.push(`${addressText(net.version, block.first)}/${length}`);
    }
    if (out.length === lengths.length) return out;
    // Not found among a complete list of gaps: there is no room.
    if (fetched.length < limit) return null;
  }
}

// ------------------------------------------------------------------ VLAN IDs

export const MIN_VID = 1;
export const MAX_VID = 4094;

/** VLAN IDs of the group not taken by its VLANs, ascending. */
export async function freeVids(db: SqlRunner, groupId: string): Promise<number[]> {
  const rows = await db.query<{ vid: number }>(
    sql`SELECT "vid" FROM ${tables.vlan} WHERE "vlan_group_id" = ${groupId}::uuid`,
  );
  const used = new Set(rows.map((r) => Number(r.vid)));
  const out: number[] = [];
  for (let v = MIN_VID; v <= MAX_VID; v++) if (!used.has(v)) out.push(v);
  return out;
}
