import { sql, type ModelLookup, type Sql } from '@plinth/plugin-sdk';
import { PATH_ENDPOINT_LABELS } from '../cables/terminations';
import { CIRCUIT_TERMINATION } from '../components/kinds';
import { tables } from '../tables';

/** Longest path followed (cables); guards against loops through patch panels. */
export const MAX_HOPS = 64;

/**
 * The step to the next cable after arriving at `far` (Nautobot's CablePath rules): a front port
 * leads to its rear port (remembering the position), a rear port back out through the front port
 * of the remembered position (or its only one), a circuit termination to the other end of its
 * circuit. Endpoints and dead ends give no row.
 */
function nextNode(stack: Sql, circuits: boolean): Sql {
  const circuit = circuits
    ? sql`UNION ALL
      SELECT 'circuits.circuittermination'::text, z.id, ${stack}
        FROM ${sql.table(CIRCUIT_TERMINATION)} a JOIN ${sql.table(CIRCUIT_TERMINATION)} z ON z.circuit_id = a.circuit_id AND z.id <> a.id
        WHERE f.far_type = ${CIRCUIT_TERMINATION} AND a.id = f.far_id`
    : sql.empty;
  return sql`SELECT 'dcim.rearport'::text AS next_type, fp.rear_port_id AS next_id, ${stack} || fp.rear_port_position AS next_stack
        FROM ${tables.frontPort} fp WHERE f.far_type = 'dcim.frontport' AND fp.id = f.far_id
      UNION ALL
      SELECT 'dcim.frontport'::text, fp.id, ${stack}[1:cardinality(${stack}) - 1]
        FROM ${tables.rearPort} rp JOIN ${tables.frontPort} fp ON fp.rear_port_id = rp.id
        WHERE f.far_type = 'dcim.rearport' AND rp.id = f.far_id AND fp.rear_port_position =
          CASE WHEN cardinality(${stack}) > 0 THEN ${stack}[cardinality(${stack})] WHEN rp.positions = 1 THEN 1 END
      ${circuit}`;
}

/**
 * One segment [near end, cable, far end] from the node `s` (columns origin_id, seq, node_type,
 * node_id, stack). The cable is found by two lookups on the unique (type, id) indexes of its two
 * ends; a single join on "a end OR b end" cannot use them and scans every cable per node.
 */
function hop(circuits: boolean): Sql {
  return sql`SELECT s.origin_id, s.seq + 1 AS seq, s.node_type AS near_type, s.node_id AS near_id,
      f.cable_id, (st.name = 'Connected') AS cable_connected, f.far_type, f.far_id,
      nx.next_type, nx.next_id, nx.next_stack
    FROM (SELECT 1) _one
    LEFT JOIN LATERAL (
        SELECT c.id AS cable_id, c.status_id, c.termination_b_type::text AS far_type, c.termination_b_id AS far_id
          FROM ${tables.cable} c WHERE c.termination_a_type = s.node_type AND c.termination_a_id = s.node_id
        UNION ALL
        SELECT c.id, c.status_id, c.termination_a_type::text, c.termination_a_id
          FROM ${tables.cable} c WHERE c.termination_b_type = s.node_type AND c.termination_b_id = s.node_id
        LIMIT 1) f ON true
    LEFT JOIN ${tables.status} st ON st.id = f.status_id
    LEFT JOIN LATERAL (${nextNode(sql`s.stack`, circuits)}) nx ON true`;
}

/**
 * Every segment of the paths starting at `origins` (a query of `(type text, id uuid)` rows), in
 * ONE recursive query, whatever the number of origins or hops: rows of origin_id, seq (1..),
 * near_type/near_id, cable_id, cable_connected, far_type/far_id. A path ends at an endpoint,
 * at a port without a cable, or where a rear port cannot tell which front port to leave by.
 */
export function pathSegments(models: ModelLookup, origins: Sql): Sql {
  // Circuits are a plugin of their own: without it, paths do not cross circuits.
  const circuits = models.get(CIRCUIT_TERMINATION) !== undefined;
  return sql`WITH RECURSIVE walk AS (
      SELECT h.* FROM (SELECT o.id AS origin_id, 0 AS seq, o.type::text AS node_type, o.id AS node_id, '{}'::int[] AS stack FROM (${origins}) o(type, id)) s
        CROSS JOIN LATERAL (${hop(circuits)}) h
      UNION ALL
      SELECT h.* FROM walk w
        CROSS JOIN LATERAL (SELECT w.origin_id, w.seq, w.next_type AS node_type, w.next_id AS node_id, w.next_stack AS stack) s
        CROSS JOIN LATERAL (${hop(circuits)}) h
        WHERE w.next_id IS NOT NULL AND w.seq < ${MAX_HOPS}
    ) SELECT origin_id, seq, near_type, near_id, cable_id, cable_connected, far_type, far_id, next_id FROM walk`;
}

/**
 * Per origin: where its path ends (`endpoint_type`/`endpoint_id`, null unless the path reaches
 * an endpoint) and whether every cable on the way is connected (`reachable`). A circuit
 * termination ends the path when its circuit has no other end (Nautobot 2.x: "a circuit
 * termination does not require a peer"); one with a far end is passed through.
 */
export function pathSummaries(models: ModelLookup, origins: Sql): Sql {
  const endpoints = PATH_ENDPOINT_LABELS.filter((l) => l !== CIRCUIT_TERMINATION);
  const ends = sql`(p.far_type = ANY(${endpoints}::text[]) OR (p.far_type = ${CIRCUIT_TERMINATION} AND p.next_id IS NULL))`;
  return sql`SELECT DISTINCT ON (p.origin_id) p.origin_id,
        CASE WHEN ${ends} THEN p.far_type END AS endpoint_type,
        CASE WHEN ${ends} THEN p.far_id END AS endpoint_id,
        (${ends} AND bool_and(COALESCE(p.cable_connected, false)) OVER (PARTITION BY p.origin_id)) AS reachable
      FROM (${pathSegments(models, origins)}) p
      ORDER BY p.origin_id, p.seq DESC`;
}

/** Origins for a batch of objects of one model. */
export function originsOf(label: string, ids: readonly string[]): Sql {
  return sql`SELECT ${label}::text, unnest(${[...ids]}::uuid[])`;
}
