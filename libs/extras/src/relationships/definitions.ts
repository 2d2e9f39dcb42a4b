import { sql, type SqlRunner } from '@plinth/plugin-sdk';
import { WatchedDefinitions, watch } from '../watched-definitions';
import type { RelationshipType, RequiredSide } from './entities';

/** A relationship as the feature's surfaces need it. */
export interface RelationshipDef {
  id: string;
  key: string;
  label: string;
  description: string;
  type: RelationshipType;
  source_type: string;
  source_label: string;
  source_hidden: boolean;
  source_filter: Record<string, unknown> | null;
  destination_type: string;
  destination_label: string;
  destination_hidden: boolean;
  destination_filter: Record<string, unknown> | null;
  required_on: RequiredSide;
  advanced_ui: boolean;
}

/** Where an object stands in a relationship: `peer` for symmetric ones. */
export type Side = 'source' | 'destination' | 'peer';

export const OPPOSITE: Record<Side, Side> = { source: 'destination', destination: 'source', peer: 'peer' };

export const isSymmetric = (def: RelationshipDef): boolean => def.type.startsWith('symmetric-');

/**
 * The sides a model takes in a relationship: one, or both for a non-symmetric relationship
 * between objects of one type (a device's parent and children).
 */
export function sidesOf(def: RelationshipDef, label: string): Side[] {
  if (isSymmetric(def)) return def.source_type === label ? ['peer'] : [];
  const out: Side[] = [];
  if (def.source_type === label) out.push('source');
  if (def.destination_type === label) out.push('destination');
  return out;
}

/** Whether objects on `side` may have several peers (Nautobot's `has_many`). */
export function hasMany(def: RelationshipDef, side: Side): boolean {
  switch (def.type) {
    case 'one-to-one':
    case 'symmetric-one-to-one':
      return false;
    case 'one-to-many':
      return side === 'source';
    default:
      return true;
  }
}

/** The model of the peers an object on `side` has. */
export function peerTypeOf(def: RelationshipDef, side: Side): string {
  return side === 'destination' ? def.source_type : def.destination_type;
}

/** The label the relationship has as seen from `side` (Nautobot's `get_label`). */
export function labelFrom(def: RelationshipDef, side: Side): string {
  if (side === 'destination') return def.destination_label || def.label;
  return def.source_label || def.label;
}

export const hiddenOn = (def: RelationshipDef, side: Side): boolean =>
  side === 'destination' ? def.destination_hidden : def.source_hidden;

/** Objects on `side` must have peers (symmetric: either `required_on` side means every object). */
export function requiredOn(def: RelationshipDef, side: Side): boolean {
  if (!def.required_on) return false;
  return side === 'peer' || def.required_on === side;
}

export async function loadRelationships(db: SqlRunner): Promise<RelationshipDef[]> {
  return db.query<RelationshipDef & Record<string, unknown>>(sql`
    SELECT "id", "key", "label", "description", "type", "source_type", "source_label", "source_hidden",
           "source_filter", "destination_type", "destination_label", "destination_hidden",
           "destination_filter", "required_on", "advanced_ui"
    FROM "extras_relationship" ORDER BY "label", "key"`);
}

async function stamp(db: SqlRunner): Promise<string> {
  const row = await db.one<{ s: string }>(
    sql`SELECT concat_ws('|', count(*), max("last_updated")) AS "s" FROM "extras_relationship"`,
  );
  return row?.s ?? '';
}

/** The relationships of this process, kept current with the database (see WatchedDefinitions). */
export class RelationshipDefinitions extends WatchedDefinitions<RelationshipDef> {
  constructor() {
    super(stamp, loadRelationships);
  }

  forModel(label: string): RelationshipDef[] {
    return this.all.filter((d) => sidesOf(d, label).length > 0);
  }
}

export const relationshipDefinitions = watch(new RelationshipDefinitions());
