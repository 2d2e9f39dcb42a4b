import { CoreModels, sql, type Sql, type SqlRunner } from '@plinth/plugin-sdk';

/**
 * The aggregate queries behind the metrics: one set-based statement each (GROUP BY in the
 * database, never objects loaded into the process), tables named through `sql.table`.
 */

const t = {
  device: sql.table(CoreModels.device),
  location: sql.table(CoreModels.location),
  status: sql.table(CoreModels.status),
  role: sql.table(CoreModels.role),
  interface: sql.table(CoreModels.interface),
  namespace: sql.table(CoreModels.namespace),
  prefix: sql.table(CoreModels.prefix),
  ipAddress: sql.table(CoreModels.ipAddress),
  vlanGroup: sql.table(CoreModels.vlanGroup),
  vlan: sql.table(CoreModels.vlan),
  // Models of the extras domain without a typed ref: by label.
  jobResult: sql.table('extras.jobresult'),
  webhook: sql.table('extras.webhook'),
  webhookDelivery: sql.table('extras.webhookdelivery'),
};

export type DeviceCount = {
  location: string;
  status: string;
  role: string;
  n: number;
};

export const devicesByLocationStatusRole = (db: SqlRunner) =>
  db.query<DeviceCount>(sql`
    SELECT l."name" AS location, s."name" AS status, r."name" AS role, count(*)::int AS n
      FROM ${t.device} d
      JOIN ${t.location} l ON l."id" = d."location_id"
      JOIN ${t.status} s ON s."id" = d."status_id"
      JOIN ${t.role} r ON r."id" = d."role_id"
     GROUP BY l."name", s."name", r."name"`);

export type InterfaceCount = {
  type: string;
  status: string;
  connected: boolean;
  n: number;
};

/** Connected: the interface has a cable (Nautobot's `cable` on the interface). */
export const interfacesByTypeStatusCable = (db: SqlRunner) =>
  db.query<InterfaceCount>(sql`
    SELECT i."type" AS type, s."name" AS status, (i."cable_id" IS NOT NULL) AS connected, count(*)::int AS n
      FROM ${t.interface} i
      JOIN ${t.status} s ON s."id" = i."status_id"
     GROUP BY i."type", s."name", (i."cable_id" IS NOT NULL)`);

export type NamespaceCount = {
  namespace: string;
  n: number;
};

export const ipAddressesByNamespace = (db: SqlRunner) =>
  db.query<NamespaceCount>(sql`
    SELECT n."name" AS namespace, count(a."id")::int AS n
      FROM ${t.namespace} n
      LEFT JOIN ${t.ipAddress} a ON a."namespace_id" = n."id"
     GROUP BY n."id", n."name"`);

export type VlanGroupCount = {
  vlan_group: string;
  n: number;
};

export const vlansByGroup = (db: SqlRunner) =>
  db.query<VlanGroupCount>(sql`
    SELECT g."name" AS vlan_group, count(v."id")::int AS n
      FROM ${t.vlanGroup} g
      LEFT JOIN ${t.vlan} v ON v."vlan_group_id" = g."id"
     GROUP BY g."id", g."name"`);

export type JobResultCount = {
  job: string;
  status: string;
  n: number;
};

export const jobResultsByJobStatus = (db: SqlRunner) =>
  db.query<JobResultCount>(sql`
    SELECT j."name" AS job, j."status" AS status, count(*)::int AS n
      FROM ${t.jobResult} j
     GROUP BY j."name", j."status"`);

export type WebhookDeliveryCount = {
  webhook: string;
  status: string;
  n: number;
};

export const webhookDeliveriesByWebhookStatus = (db: SqlRunner) =>
  db.query<WebhookDeliveryCount>(sql`
    SELECT w."name" AS webhook, d."status" AS status, count(*)::int AS n
      FROM ${t.webhookDelivery} d
      JOIN ${t.webhook} w ON w."id" = d."webhook_id"
     GROUP BY w."name", d."status"`);

export type PrefixUsageRow = {
  namespace: string;
  prefix: string;
  type: string;
  /** No parent: counted in the namespace's sums. */
  top: boolean;
  /** Short enough (`prefix_max_length_ipv4/6`) for a series of its own. */
  listed: boolean;
  family: number;
  /** Addresses in the prefix, as text (an IPv6 /0 does not fit a bigint). */
  size: string;
  used: string;
  /** An IPv4 network's network or broadcast address is in use (then both count in its size). */
  edge_used: boolean;
};

/** The first and last host of `prefix`, with the host mask (`bits`), for range scans. */
function hostsIn(prefix: Sql): Sql {
  return sql`a."_host" BETWEEN set_masklen(network(${prefix})::inet, sel.bits) AND set_masklen(broadcast(${prefix}), sel.bits)`;
}

/**
 * Used and total addresses of containers and networks as Nautobot (and ipam's `utilization`
 * field) count them: containers by their child prefixes, networks by their IP addresses, pools
 * inside a network as fully used. Rows: every prefix short enough to be listed, and every
 * top-level one (for the per-namespace sums). `a."_host"` is ipam's indexed host column of an
 * address (the address with a /32 or /128 mask).
 */
export const prefixUsage = (db: SqlRunner, maxLength: { ipv4: number; ipv6: number }) => {
  const short = sql`masklen(p."prefix") <= CASE WHEN family(p."prefix") = 4 THEN ${maxLength.ipv4}::int ELSE ${maxLength.ipv6}::int END`;
  return db.query<PrefixUsageRow>(sql`
    WITH sel AS (
      SELECT p."id", p."prefix", p."type", p."namespace_id", (p."parent_id" IS NULL) AS top, ${short} AS listed,
             family(p."prefix") AS family, CASE WHEN family(p."prefix") = 4 THEN 32 ELSE 128 END AS bits
        FROM ${t.prefix} p
       WHERE p."type" IN ('container', 'network') AND (p."parent_id" IS NULL OR ${short})),
    pools AS (
      SELECT sel."id" AS sel_id, q."prefix"
        FROM sel JOIN ${t.prefix} q ON sel."type" = 'network' AND q."namespace_id" = sel."namespace_id"
         AND q."type" = 'pool' AND q."prefix" << sel."prefix"
       WHERE NOT EXISTS (SELECT 1 FROM ${t.prefix} o WHERE o."namespace_id" = sel."namespace_id"
                           AND o."type" = 'pool' AND o."prefix" << sel."prefix" AND o."prefix" >> q."prefix"))
    SELECT n."name" AS namespace, sel."prefix"::text AS prefix, sel."type" AS type, sel.top, sel.listed, sel.family,
      trunc(power(2::numeric, sel.bits - masklen(sel."prefix")))::text AS size,
      trunc(CASE sel."type"
        WHEN 'container' THEN (SELECT COALESCE(sum(power(2::numeric, sel.bits - masklen(c."prefix"))), 0)
                                 FROM ${t.prefix} c WHERE c."parent_id" = sel."id")
        ELSE (SELECT count(*) FROM ${t.ipAddress} a
               WHERE a."namespace_id" = sel."namespace_id" AND ${hostsIn(sql`sel."prefix"`)})
           + (SELECT COALESCE(sum(power(2::numeric, sel.bits - masklen(pools."prefix"))
                                  - (SELECT count(*) FROM ${t.ipAddress} a
                                      WHERE a."namespace_id" = sel."namespace_id" AND ${hostsIn(sql`pools."prefix"`)})), 0)
                FROM pools WHERE pools.sel_id = sel."id")
      END)::text AS used,
      (sel."type" = 'network' AND (
         EXISTS (SELECT 1 FROM ${t.ipAddress} a WHERE a."namespace_id" = sel."namespace_id"
                   AND a."_host" IN (set_masklen(network(sel."prefix")::inet, sel.bits), set_masklen(broadcast(sel."prefix"), sel.bits)))
         OR EXISTS (SELECT 1 FROM pools WHERE pools.sel_id = sel."id"
                      AND (pools."prefix" >>= set_masklen(network(sel."prefix")::inet, sel.bits)
                           OR pools."prefix" >>= set_masklen(broadcast(sel."prefix"), sel.bits)))
      )) AS edge_used
    FROM sel JOIN ${t.namespace} n ON n."id" = sel."namespace_id"`);
};
