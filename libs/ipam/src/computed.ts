import { sql, type ComputedField, type Rec, type Sql } from '@plinth/plugin-sdk';
import { addressText, parseInet, parseNetwork } from './ip';
import { tables } from './tables';

/**
 * Read-only fields of prefixes and IP addresses. Those derived from the row itself (Nautobot's
 * stored `network`, `broadcast`, `prefix_length`, `host`, `mask_length`, `ip_version`) cost no
 * query; `utilization` is one query per page, whatever its size.
 */

function derived(
  name: string,
  type: ComputedField['type'],
  help_text: string,
  source: string,
  fn: (value: string) => unknown,
): ComputedField {
  return {
    name,
    type,
    help_text,
    load(records: Rec[]) {
      return Promise.resolve(
        new Map(records.map((r) => [String(r.id), r[source] ? fn(String(r[source])) : null])),
      );
    },
  };
}

export const prefixDerivedFields: ComputedField[] = [
  derived('ip_version', 'integer', 'IP version (4 or 6)', 'prefix', (p) => parseNetwork(p).version),
  derived('prefix_length', 'integer', 'Length of the network mask', 'prefix', (p) => parseNetwork(p).length),
  derived('network', 'string', 'First address of the prefix', 'prefix', (p) => {
    const n = parseNetwork(p);
    return addressText(n.version, n.first);
  }),
  derived('broadcast', 'string', 'Last address of the prefix', 'prefix', (p) => {
    const n = parseNetwork(p);
    return addressText(n.version, n.last);
  }),
];

export const ipAddressDerivedFields: ComputedField[] = [
  derived('host', 'string', 'The address without its mask', 'address', (a) => {
    const i = parseInet(a);
    return addressText(i.version, i.value);
  }),
  derived('mask_length', 'integer', 'Length of the network mask', 'address', (a) => parseInet(a).length),
  derived('ip_version', 'integer', 'IP version (4 or 6)', 'address', (a) => parseInet(a).version),
];

export interface Utilization {
  numerator: number;
  denominator: number;
  /** numerator / denominator in percent, two decimals (truncated). */
  percent: number;
}

/**
 * Per prefix of the page: its size, the used count and whether its first and last addresses are
 * used. Used is, for containers, the space of their child prefixes (which never overlap); for
 * networks, the addresses of the namespace inside it plus the space of the outermost pools below
 * it, an address inside such a pool counted once (pools never overlap: only outermost ones are
 * taken); for pools, the addresses inside them. Addresses are counted through the host index.
 * Sizes are numeric (an IPv6 /32 holds 2^96 addresses).
 */
/**
 * `a._host` inside a prefix taken from another row, as a range on the host index (`<<=` is only
 * turned into an index range when its right side is a constant).
 */
function hostsIn(prefix: Sql): Sql {
  return sql`a."_host" BETWEEN set_masklen(network(${prefix})::inet, page.bits) AND set_masklen(broadcast(${prefix}), page.bits)`;
}

const utilizationSql = (ids: readonly string[]): Sql => sql`
  WITH page AS (
    SELECT p."id", p."prefix", p."type", p."namespace_id",
           CASE WHEN family(p."prefix") = 4 THEN 32 ELSE 128 END AS bits
      FROM ${tables.prefix} p WHERE p."id" = ANY(${ids}::uuid[])),
  pools AS (
    SELECT page."id" AS page_id, q."prefix"
      FROM page JOIN ${tables.prefix} q ON page."type" = 'network' AND q."namespace_id" = page."namespace_id"
       AND q."type" = 'pool' AND q."prefix" << page."prefix"
     WHERE NOT EXISTS (SELECT 1 FROM ${tables.prefix} o WHERE o."namespace_id" = page."namespace_id"
                         AND o."type" = 'pool' AND o."prefix" << page."prefix" AND o."prefix" >> q."prefix"))
  SELECT page."id",
    trunc(power(2::numeric, page.bits - masklen(page."prefix")))::text AS size,
    trunc(CASE page."type"
      WHEN 'container' THEN (SELECT COALESCE(sum(power(2::numeric, page.bits - masklen(c."prefix"))), 0)
                               FROM ${tables.prefix} c WHERE c."parent_id" = page."id")
      ELSE (SELECT count(*) FROM ${tables.ipAddress} a
             WHERE a."namespace_id" = page."namespace_id" AND ${hostsIn(sql`page."prefix"`)})
         + (SELECT COALESCE(sum(power(2::numeric, page.bits - masklen(pools."prefix"))
                                - (SELECT count(*) FROM ${tables.ipAddress} a
                                    WHERE a."namespace_id" = page."namespace_id" AND ${hostsIn(sql`pools."prefix"`)})), 0)
              FROM pools WHERE pools.page_id = page."id")
    END)::text AS used,
    (page."type" = 'network' AND (
       EXISTS (SELECT 1 FROM ${tables.ipAddress} a WHERE a."namespace_id" = page."namespace_id"
                 AND a."_host" IN (set_masklen(network(page."prefix")::inet, page.bits), set_masklen(broadcast(page."prefix"), page.bits)))
       OR EXISTS (SELECT 1 FROM pools WHERE pools.page_id = page."id"
                    AND (pools."prefix" >>= set_masklen(network(page."prefix")::inet, page.bits)
                         OR pools."prefix" >>= set_masklen(broadcast(page."prefix"), page.bits)))
    )) AS edge_used
  FROM page`;

/**
 * Prefix utilization as Nautobot computes it: containers by child prefixes, networks and pools by
 * addresses; an IPv4 network wider than /31 whose network and broadcast addresses are both unused
 * does not count them in its size.
 */
export const utilizationField: ComputedField = {
  name: 'utilization',
  type: 'json',
  help_text:
    'Used and total addresses: child prefixes for containers, IP addresses (and pools) for networks and pools',
  async load(records: Rec[], ctx) {
    const out = new Map<string, Utilization>();
    if (records.length === 0) return out;
    const rows = await ctx.query<{ id: string; size: string; used: string; edge_used: boolean }>(
      utilizationSql(records.map((r) => String(r.id))),
    );
    const byId = new Map(records.map((r) => [String(r.id), r]));
    for (const row of rows) {
      const rec = byId.get(String(row.id))!;
      const net = parseNetwork(String(rec.prefix));
      let denominator = BigInt(row.size);
      const numerator = BigInt(row.used);
      if (rec.type === 'network' && net.version === 4 && denominator > 2n && !row.edge_used)
        denominator -= 2n;
      out.set(String(row.id), {
        numerator: Number(numerator),
        denominator: Number(denominator),
        percent: denominator === 0n ? 0 : Number((numerator * 10_000n) / denominator) / 100,
      });
    }
    return out;
  },
};
