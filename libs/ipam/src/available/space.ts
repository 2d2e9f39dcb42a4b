import type { EntityManager } from 'typeorm';
import { addressText, alignUp, bitsOf, cidrBlocks, parseInet, parseNetwork, type Network } from '../ip';

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

export interface AddressSpace {
  net: Network;
  /** Free ranges, in address order, up to the number asked for. */
  gaps: Gap[];
  /** Number of free addresses in the whole prefix. */
  free: bigint;
}

/**
 * Free address ranges of a prefix: the IP addresses of its namespace whose hosts fall in the
 * usable range are the used ones, whatever their parent (an address in a child prefix is used in
 * this one too). The common case, a run of addresses allocated from the start, is answered from
 * count/min/max alone; otherwise a window over the host index finds the gaps.
 */
export async function freeAddresses(
  manager: EntityManager,
  p: ParentPrefix,
  maxGaps: number,
): Promise<AddressSpace> {
  const net = parseNetwork(p.prefix);
  const range = usableRange(p);
  if (range.first > range.last) return { net, gaps: [], free: 0n };
  const lo = inet(net.version, range.first);
  const hi = inet(net.version, range.last);
  const inRange = `a."namespace_id" = $1 AND a."_host" >= $2::inet AND a."_host" <= $3::inet`;
  const [stats] = (await manager.query(
    `SELECT count(*)::text AS n, min(a."_host")::text AS lo, max(a."_host")::text AS hi FROM "ipam_ipaddress" a WHERE ${inRange}`,
    [p.namespace_id, lo, hi],
  )) as { n: string; lo: string | null; hi: string | null }[];
  const used = BigInt(stats.n);
  const free = range.last - range.first + 1n - used;
  if (used === 0n) return { net, gaps: [{ ...range }], free };
  const max = parseInet(stats.hi!).value;
  const tail: Gap[] = max < range.last ? [{ first: max + 1n, last: range.last }] : [];
  // Dense from the start (min is the first usable address and nothing is missing up to max).
  if (parseInet(stats.lo!).value === range.first && max - range.first + 1n === used) {
    return { net, gaps: tail, free };
  }
  const rows = (await manager.query(
    `SELECT (CASE WHEN g.prev IS NULL THEN $2::inet ELSE g.prev + 1 END)::text AS s, (g.cur - 1)::text AS e
       FROM (SELECT lag(a."_host") OVER (ORDER BY a."_host") AS prev, a."_host" AS cur
               FROM "ipam_ipaddress" a WHERE ${inRange}) g
      WHERE CASE WHEN g.prev IS NULL THEN g.cur > $2::inet ELSE g.prev + 1 < g.cur END
      ORDER BY g.cur LIMIT $4`,
    [p.namespace_id, lo, hi, maxGaps],
  )) as { s: string; e: string }[];
  const gaps = gapsFrom(rows);
  return { net, gaps: gaps.length < maxGaps ? [...gaps, ...tail] : gaps, free };
}

/** The first `count` free addresses of a prefix, with the prefix's mask (`10.0.0.1/24`). */
export async function firstFreeAddresses(
  manager: EntityManager,
  p: ParentPrefix,
  count: number,
): Promise<{ addresses: string[]; free: bigint; version: 4 | 6 }> {
  const space = await freeAddresses(manager, p, count);
  const addresses: string[] = [];
  for (const g of space.gaps) {
    for (let x = g.first; x <= g.last && addresses.length < count; x++) {
      addresses.push(`${addressText(space.net.version, x)}/${space.net.length}`);
    }
    if (addresses.length >= count) break;
  }
  return { addresses, free: space.free, version: space.net.version };
}

// ------------------------------------------------------------------ prefixes

/**
 * SQL of the gaps between a prefix's direct children (children never overlap: a prefix inside a
 * sibling would be that sibling's child), as full-length inet ranges `s..e`. Parameters: $1
 * namespace, $2 parent id, $3 parent network, $4 address bits, $5 first and $6 last address.
 */
const CHILD_GAPS = `
  WITH kids AS (
    SELECT set_masklen(network(c."prefix")::inet, $4) AS first, set_masklen(broadcast(c."prefix"), $4) AS last
      FROM "ipam_prefix" c WHERE c."namespace_id" = $1 AND c."parent_id" = $2 AND c."prefix" << $3::cidr),
  gaps AS (
    SELECT CASE WHEN k.prev IS NULL THEN $5::inet ELSE k.prev + 1 END AS s, k.first - 1 AS e
      FROM (SELECT lag(last) OVER (ORDER BY first) AS prev, first FROM kids) k
     WHERE CASE WHEN k.prev IS NULL THEN k.first > $5::inet ELSE k.prev + 1 < k.first END
    UNION ALL
    SELECT CASE WHEN m.last IS NULL THEN $5::inet ELSE m.last + 1 END, $6::inet
      FROM (SELECT max(last) AS last FROM kids) m WHERE m.last IS NULL OR m.last < $6::inet)`;

/**
 * Condition "gap s..e holds an aligned /$7 block": the first aligned block at or after s ends
 * before e. Written with inet functions only (no 128-bit arithmetic in SQL); CASE keeps `+ 1`
 * away from the top of the address space.
 */
const FITS = `CASE
    WHEN set_masklen(network(set_masklen(s, $7))::inet, $4) = s THEN set_masklen(broadcast(set_masklen(s, $7)), $4) <= e
    WHEN set_masklen(broadcast(set_masklen(s, $7)), $4) >= e THEN false
    ELSE set_masklen(broadcast(set_masklen(set_masklen(broadcast(set_masklen(s, $7)), $4) + 1, $7)), $4) <= e END`;

function childGapParams(p: ParentPrefix, net: Network): unknown[] {
  return [
    p.namespace_id,
    p.id,
    p.prefix,
    net.bits,
    inet(net.version, net.first),
    inet(net.version, net.last),
  ];
}

/** The free CIDR blocks of a prefix, in address order (Nautobot's available prefixes), up to `limit`. */
export async function freePrefixes(
  manager: EntityManager,
  p: ParentPrefix,
  limit: number,
): Promise<string[]> {
  const net = parseNetwork(p.prefix);
  const rows = (await manager.query(
    `${CHILD_GAPS} SELECT s::text AS s, e::text AS e FROM gaps ORDER BY s LIMIT $7`,
    [...childGapParams(p, net), limit],
  )) as { s: string; e: string }[];
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
  manager: EntityManager,
  p: ParentPrefix,
  net: Network,
  length: number,
  limit: number,
): Promise<Gap[]> {
  const rows = (await manager.query(
    `${CHILD_GAPS} SELECT s::text AS s, e::text AS e FROM gaps WHERE ${FITS} ORDER BY s LIMIT $8`,
    [...childGapParams(p, net), length, limit],
  )) as { s: string; e: string }[];
  return gapsFrom(rows);
}

/** Gap minus the blocks taken from it earlier in the same request. */
function minus(gap: Gap, taken: readonly Gap[]): Gap[] {
  let parts: Gap[] = [gap];
  for (const t of taken) {
    parts = parts.flatMap((g) =>
      t.last < g.first || t.first > g.last
        ? [g]
        : [
            ...(t.first > g.first ? [{ first: g.first, last: t.first - 1n }] : []),
            ...(t.last < g.last ? [{ first: t.last + 1n, last: g.last }] : []),
          ],
    );
  }
  return parts;
}

/**
 * First-fit allocation of one block per requested length, in request order, each at the lowest
 * free aligned position (what Nautobot's walk over `iter_cidrs()` picks). All or nothing: null
 * when any request does not fit.
 */
export async function allocatePrefixes(
  manager: EntityManager,
  p: ParentPrefix,
  lengths: readonly number[],
): Promise<string[] | null> {
  const net = parseNetwork(p.prefix);
  if (lengths.length === 0) return [];
  // Every useful gap holds at least the smallest block requested; fetch those, more if needed.
  const smallest = Math.max(...lengths);
  for (let limit = lengths.length * 4 + 64; ; limit *= 4) {
    const gaps = await gapsFitting(manager, p, net, smallest, limit);
    const taken: Gap[] = [];
    const out: string[] = [];
    for (const length of lengths) {
      const size = 1n << BigInt(net.bits - length);
      let found: Gap | null = null;
      for (const part of gaps.flatMap((g) => minus(g, taken))) {
        const start = alignUp(part.first, length, net.bits);
        if (start + size - 1n <= part.last) {
          found = { first: start, last: start + size - 1n };
          break;
        }
      }
      if (!found) break;
      taken.push(found);
      out.push(`${addressText(net.version, found.first)}/${length}`);
    }
    if (out.length === lengths.length) return out;
    // Not found among a complete list of gaps: there is no room.
    if (gaps.length < limit) return null;
  }
}

// ------------------------------------------------------------------ VLAN IDs

export const MIN_VID = 1;
export const MAX_VID = 4094;

/** VLAN IDs of the group not taken by its VLANs, ascending. */
export async function freeVids(manager: EntityManager, groupId: string): Promise<number[]> {
  const rows = (await manager.query('SELECT "vid" FROM "ipam_vlan" WHERE "vlan_group_id" = $1', [
    groupId,
  ])) as { vid: number }[];
  const used = new Set(rows.map((r) => Number(r.vid)));
  const out: number[] = [];
  for (let v = MIN_VID; v <= MAX_VID; v++) if (!used.has(v)) out.push(v);
  return out;
}
