import { sql, type ComputedContext, type SqlRunner } from '@plinth/plugin-sdk';
import { OPPOSITE, sidesOf, type RelationshipDef, type Side } from './definitions';

export const ASSOCIATION_TABLE = 'extras_relationshipassociation';

interface AssociationRow {
  relationship_id: string;
  source_type: string;
  source_id: string;
  destination_type: string;
  destination_id: string;
}

/** Peer ids per object, relationship key and peer side (`destination` for a source object). */
export type PeersByObject = Map<string, Map<string, Map<Side, string[]>>>;

/**
 * The peers of a page of objects in every relationship given, in one query, then restricted to
 * what the reader may view (one query per peer model with a restricted view; none when unrestricted).
 */
export async function peersOf(
  ctx: SqlRunner & Pick<ComputedContext, 'visible' | 'models'>,
  label: string,
  defs: readonly RelationshipDef[],
  ids: readonly string[],
): Promise<PeersByObject> {
  const out: PeersByObject = new Map();
  if (defs.length === 0 || ids.length === 0) return out;
  const rows = await ctx.query<AssociationRow & Record<string, unknown>>(sql`
    SELECT a."relationship_id", a."source_type", a."source_id", a."destination_type", a."destination_id"
    FROM ${sql.ident(ASSOCIATION_TABLE)} a
    WHERE a."relationship_id" = ANY(${defs.map((d) => d.id)}::uuid[])
      AND ((a."source_type" = ${label} AND a."source_id" = ANY(${ids}::uuid[]))
        OR (a."destination_type" = ${label} AND a."destination_id" = ANY(${ids}::uuid[])))
    ORDER BY a."created", a."id"`);
  const byId = new Map(defs.map((d) => [d.id, d]));
  const found: { object: string; key: string; side: Side; peerType: string; peer: string }[] = [];
  for (const r of rows) {
    const def = byId.get(r.relationship_id)!;
    const sides = sidesOf(def, label);
    const asSource = r.source_type === label && ids.includes(r.source_id);
    const asDestination = r.destination_type === label && ids.includes(r.destination_id);
    if (asSource && (sides.includes('source') || sides.includes('peer')))
      found.push({
        object: r.source_id,
        key: def.key,
        side: sides.includes('peer') ? 'peer' : 'destination',
        peerType: r.destination_type,
        peer: r.destination_id,
      });
    if (asDestination && (sides.includes('destination') || sides.includes('peer')))
      found.push({
        object: r.destination_id,
        key: def.key,
        side: sides.includes('peer') ? 'peer' : 'source',
        peerType: r.source_type,
        peer: r.source_id,
      });
  }
  const visible = await visibleIds(ctx, found);
  for (const f of found) {
    if (!visible(f.peerType, f.peer)) continue;
    const keys = out.get(f.object) ?? new Map<string, Map<Side, string[]>>();
    out.set(f.object, keys);
    const sides = keys.get(f.key) ?? new Map<Side, string[]>();
    keys.set(f.key, sides);
    sides.set(f.side, [...(sides.get(f.side) ?? []), f.peer]);
  }
  return out;
}

/** Which peers the reader may view: one query per peer model whose view is restricted. */
async function visibleIds(
  ctx: SqlRunner & Pick<ComputedContext, 'visible' | 'models'>,
  found: readonly { peerType: string; peer: string }[],
): Promise<(label: string, id: string) => boolean> {
  const byType = new Map<string, Set<string>>();
  for (const f of found) byType.set(f.peerType, (byType.get(f.peerType) ?? new Set()).add(f.peer));
  const allowed = new Map<string, Set<string> | 'all'>();
  for (const [label, ids] of byType) {
    const model = ctx.models.get(label);
    const scope = model && ctx.visible ? await ctx.visible(label) : model ? null : false;
    if (scope === null) allowed.set(label, 'all');
    else if (scope === false || !model) allowed.set(label, new Set());
    else {
      const rows = await ctx.query<{ id: string }>(
        sql`SELECT t."id" FROM ${sql.ident(model.table)} t WHERE t."id" = ANY(${[...ids]}::uuid[]) AND (${scope})`,
      );
      allowed.set(label, new Set(rows.map((r) => String(r.id))));
    }
  }
  return (label, id) => {
    const a = allowed.get(label);
    return a === 'all' || (a?.has(id) ?? false);
  };
}

/** The side an object stands on, given the side its peers are listed under. */
export const ownSide = (peerSide: Side): Side => OPPOSITE[peerSide];
