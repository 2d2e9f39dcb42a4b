import {
  RequestContext,
  ValidationError,
  sql,
  type DescribedFilter,
  type FieldSource,
  type FieldSourceColumn,
  type FieldSourceInput,
  type FilterDefinition,
  type ModelFeatureProvider,
  type ModelMeta,
  type SqlRunner,
  type TransactionContext,
} from '@plinth/plugin-sdk';
import {
  OPPOSITE,
  hasMany,
  hiddenOn,
  labelFrom,
  loadRelationships,
  peerTypeOf,
  relationshipDefinitions,
  requiredOn,
  sidesOf,
  type RelationshipDef,
  type Side,
} from './definitions';
import { ASSOCIATION_TABLE, peersOf } from './peers';

export const RELATIONSHIPS_SOURCE = 'relationships';
export const ASSOCIATION_MODEL = 'extras.relationshipassociation';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Relationships as a write transaction sees them, read once per transaction. */
const perTransaction = new WeakMap<object, Promise<RelationshipDef[]>>();

export function relationshipsIn(tx: SqlRunner & { manager: object }): Promise<RelationshipDef[]> {
  let defs = perTransaction.get(tx.manager);
  if (!defs) {
    defs = loadRelationships(tx);
    perTransaction.set(tx.manager, defs);
  }
  return defs;
}

export function forgetTransactionRelationships(tx: { manager: object }): void {
  perTransaction.delete(tx.manager);
}

/** What a write sets: peer ids per relationship key and peer side. */
export type RelationshipsInput = Record<string, Partial<Record<Side, string[]>>>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys of an entry clients echo back from a read (`?include=relationships`). */
const ECHOED = new Set(['id', 'url', 'label', 'type']);

function parseObjects(raw: unknown): string[] | string {
  if (raw === null || raw === undefined) return [];
  const list = isPlainObject(raw) ? raw.objects : raw;
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) return 'Expected {"objects": [<id>, ...]}.';
  const ids: string[] = [];
  for (const el of list) {
    const id = isPlainObject(el) ? el.id : el;
    if (typeof id !== 'string' || !UUID_RE.test(id)) return `"${String(id)}" is not a valid UUID.`;
    ids.push(id.toLowerCase());
  }
  return [...new Set(ids)];
}

/** Ids among `ids` that name no object of `label` the writer may view (as references are resolved). */
async function notVisible(input: FieldSourceInput, label: string, ids: string[]): Promise<string[]> {
  const model = input.tx.models.get(label);
  if (ids.length === 0) return [];
  if (!model) return ids;
  const scope = await input.visible(label);
  if (scope === false) return ids;
  const rows = await input.tx.query<{ id: string }>(
    sql`SELECT t."id" FROM ${sql.ident(model.table)} t WHERE t."id" = ANY(${ids}::uuid[])${scope ? sql` AND (${scope})` : sql.empty}`,
  );
  const found = new Set(rows.map((r) => String(r.id)));
  return ids.filter((id) => !found.has(id));
}

/** Check the shape of a submitted `relationships` value and the required sides (Nautobot's checks). */
async function validateRelationships(model: ModelMeta, input: FieldSourceInput): Promise<void> {
  const defs = (await relationshipsIn(input.tx)).filter((d) => sidesOf(d, model.label).length > 0);
  const sent = input.submitted ? input.value : undefined;
  if (sent !== undefined && sent !== null && !isPlainObject(sent)) {
    input.error(RELATIONSHIPS_SOURCE, 'Value must be a dictionary of relationships by key.');
    return;
  }
  const submitted = sent ?? {};
  const out: RelationshipsInput = {};
  let bad = false;
  const fail = (key: string, message: string): void => {
    input.error(`${RELATIONSHIPS_SOURCE}.${key}`, message);
    bad = true;
  };
  for (const [key, entry] of Object.entries(submitted)) {
    const def = defs.find((d) => d.key === key);
    if (!def) {
      fail(key, `"${key}" is not a relationship of ${model.label}.`);
      continue;
    }
    if (!isPlainObject(entry)) {
      fail(key, 'Expected {"<side>": {"objects": [<id>, ...]}}.');
      continue;
    }
    const peerSides = sidesOf(def, model.label).map((s) => OPPOSITE[s]);
    const sides: Partial<Record<Side, string[]>> = {};
    for (const [side, value] of Object.entries(entry)) {
      if (ECHOED.has(side)) continue;
      if (!peerSides.includes(side as Side)) {
        fail(
          key,
          `"${side}" is not a side of this relationship for ${model.label} (use ${peerSides.join(' or ')}).`,
        );
        continue;
      }
      const ids = parseObjects(value);
      if (typeof ids === 'string') {
        fail(key, ids);
        continue;
      }
      if (ids.length > 1 && !hasMany(def, OPPOSITE[side as Side]))
        fail(key, `Only one ${side} object may be associated with this ${model.verbose_name} (${def.type}).`);
      const unseen = await notVisible(input, side === 'source' ? def.source_type : def.destination_type, ids);
      if (unseen.length) fail(key, `No ${side} object with id ${unseen.join(', ')} exists.`);
      sides[side as Side] = ids;
    }
    out[key] = sides;
  }
  for (const def of defs) {
    for (const side of sidesOf(def, model.label)) {
      if (!requiredOn(def, side)) continue;
      const peerSide = OPPOSITE[side];
      const given = out[def.key]?.[peerSide];
      const missing = given ? given.length === 0 : input.action === 'create';
      if (missing) {
        const peer = input.tx.models.get(peerTypeOf(def, side));
        fail(
          def.key,
          `${model.verbose_name_plural} require at least one ${peer?.verbose_name ?? peerTypeOf(def, side)} (relationship "${def.label}").`,
        );
      }
    }
  }
  if (!bad && Object.keys(out).length) input.set(out);
}

/** Current associations of one object in one relationship, as (association id, peer id). */
async function currentAssociations(
  tx: TransactionContext,
  def: RelationshipDef,
  label: string,
  id: string,
  peerSide: Side,
): Promise<{ id: string; peer: string }[]> {
  const own =
    peerSide === 'destination'
      ? sql`a."source_type" = ${label} AND a."source_id" = ${id}::uuid`
      : peerSide === 'source'
        ? sql`a."destination_type" = ${label} AND a."destination_id" = ${id}::uuid`
        : sql`(a."source_id" = ${id}::uuid OR a."destination_id" = ${id}::uuid)`;
  return tx.query<{ id: string; peer: string }>(sql`
    SELECT a."id", CASE WHEN a."source_id" = ${id}::uuid THEN a."destination_id" ELSE a."source_id" END AS "peer"
    FROM ${sql.ident(ASSOCIATION_TABLE)} a WHERE a."relationship_id" = ${def.id}::uuid AND ${own}`);
}

/** Errors of the association writes, reported under `relationships.<key>`. */
function renamed(key: string, e: unknown): unknown {
  if (!(e instanceof ValidationError)) return e;
  const maps = Array.isArray(e.errors) ? e.errors : [e.errors];
  const messages = maps.flatMap((m) => Object.values(m).flat());
  return new ValidationError({ [`${RELATIONSHIPS_SOURCE}.${key}`]: messages });
}

/**
 * Store what a write set: associations removed and added through the write path (each one
 * checked by the association model's rules — types, filters, cardinality under a lock — and
 * change-logged).
 */
async function saveRelationships(
  model: ModelMeta,
  writes: readonly { id: string; value: unknown }[],
  tx: TransactionContext,
): Promise<void> {
  const defs = await relationshipsIn(tx);
  for (const w of writes) {
    const value = w.value as RelationshipsInput | null;
    if (!value) continue;
    for (const [key, sides] of Object.entries(value)) {
      const def = defs.find((d) => d.key === key)!;
      for (const [peerSide, ids] of Object.entries(sides) as [Side, string[]][]) {
        const current = await currentAssociations(tx, def, model.label, w.id, peerSide);
        const gone = current.filter((c) => !ids.includes(c.peer)).map((c) => c.id);
        const have = new Set(current.map((c) => c.peer));
        const peerType = peerSide === 'source' ? def.source_type : def.destination_type;
        const added = ids
          .filter((p) => !have.has(p))
          .map((p) =>
            peerSide === 'source'
              ? {
                  relationship: def.id,
                  source_type: peerType,
                  source_id: p,
                  destination_type: model.label,
                  destination_id: w.id,
                }
              : {
                  relationship: def.id,
                  source_type: model.label,
                  source_id: w.id,
                  destination_type: peerType,
                  destination_id: p,
                },
          );
        try {
          if (gone.length) await tx.objects.delete(ASSOCIATION_MODEL, gone);
          if (added.length) await tx.objects.create(ASSOCIATION_MODEL, added);
        } catch (e) {
          throw renamed(key, e);
        }
      }
    }
  }
}

/** An object's relationships as REST shows them (Nautobot's `relationships` field). */
function restValue(
  model: ModelMeta,
  defs: readonly RelationshipDef[],
  peers: Map<string, Map<Side, string[]>> | undefined,
  models: { get(label: string): ModelMeta | undefined },
  baseUrl: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const relModel = models.get('extras.relationship');
  for (const def of defs) {
    const entry: Record<string, unknown> = {
      id: def.id,
      url: relModel?.api_path ? `${baseUrl}${relModel.api_path}${def.id}/` : null,
      label: def.label,
      type: def.type,
    };
    for (const side of sidesOf(def, model.label)) {
      const peerSide = OPPOSITE[side];
      const peerType = peerTypeOf(def, side);
      const peerModel = models.get(peerType);
      entry[peerSide] = {
        label: labelFrom(def, side),
        object_type: peerType,
        objects: (peers?.get(def.key)?.get(peerSide) ?? []).map((id) => ({
          id,
          object_type: peerType,
          url: peerModel?.api_path ? `${baseUrl}${peerModel.api_path}${id}/` : null,
        })),
      };
    }
    out[def.key] = entry;
  }
  return out;
}

/** The peer ids of one side in a `relationships` value (as read, or as a form builds it). */
function idsIn(value: unknown, key: string, peerSide: Side): string[] {
  const entry = isPlainObject(value) ? value[key] : undefined;
  const side = isPlainObject(entry) ? entry[peerSide] : undefined;
  const objects = isPlainObject(side) ? side.objects : undefined;
  return Array.isArray(objects) ? objects.map((o) => (isPlainObject(o) ? String(o.id) : String(o))) : [];
}

/** One form input per relationship side shown on the model (searchable selects of peers). */
function formColumns(model: ModelMeta): FieldSourceColumn[] {
  return relationshipDefinitions.forModel(model.label).flatMap((def) =>
    sidesOf(def, model.label)
      .filter((side) => !hiddenOn(def, side))
      .map((side): FieldSourceColumn => {
        const peerSide = OPPOSITE[side];
        const many = hasMany(def, side);
        return {
          name: `cr_${def.key}__${peerSide}`,
          key: def.key,
          target: peerTypeOf(def, side),
          advanced: def.advanced_ui,
          field: {
            kind: many ? 'array' : 'uuid',
            item: many ? 'string' : undefined,
            label: labelFrom(def, side),
            help_text: def.description || undefined,
            nullable: true,
            blank: !requiredOn(def, side),
            unique: false,
            read_only: false,
            write_only: false,
            filter: false,
            search: false,
          },
          get: (value) =>
            many ? idsIn(value, def.key, peerSide) : (idsIn(value, def.key, peerSide)[0] ?? null),
          set(value, v) {
            const ids = v === null || v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];
            const all = isPlainObject(value) ? value : {};
            const entry = isPlainObject(all[def.key]) ? (all[def.key] as Record<string, unknown>) : {};
            return { ...all, [def.key]: { ...entry, [peerSide]: { objects: ids } } };
          },
        };
      }),
  );
}

function relationshipsSource(model: ModelMeta): FieldSource {
  return {
    name: RELATIONSHIPS_SOURCE,
    optional: true,
    field: {
      kind: 'json',
      label: 'Relationships',
      help_text:
        'Relationships by key (`?include=relationships`); write `{"<key>": {"<peer side>": {"objects": [<id>, ...]}}}` — the sides sent replace their associations, the others are kept.',
      nullable: true,
      blank: true,
      unique: false,
      read_only: false,
      write_only: false,
      filter: false,
      search: false,
    },
    async load(records, ctx) {
      const defs = relationshipDefinitions.forModel(model.label);
      const peers = await peersOf(
        ctx,
        model.label,
        defs,
        records.map((r) => String(r.id)),
      );
      const base = RequestContext.current()?.base_url ?? '';
      return new Map(
        records.map((r) => [String(r.id), restValue(model, defs, peers.get(String(r.id)), ctx.models, base)]),
      );
    },
    columns: () => formColumns(model),
    validate: (input) => validateRelationships(model, input),
    save: (writes, tx) => saveRelationships(model, writes, tx),
  };
}

/** `cr_<key>__<side>` of one of the model's relationships. */
export function parseFilterName(
  defs: readonly RelationshipDef[],
  label: string,
  name: string,
): { def: RelationshipDef; peerSide: Side } | undefined {
  if (!name.startsWith('cr_')) return undefined;
  for (const def of defs) {
    for (const side of sidesOf(def, label)) {
      const peerSide = OPPOSITE[side];
      if (name === `cr_${def.key}__${peerSide}`) return { def, peerSide };
    }
  }
  return undefined;
}

/** Objects associated with any of the given peers (uuid or natural key) on `peerSide`. */
function relationshipFilter(def: RelationshipDef, label: string, peerSide: Side): FilterDefinition {
  return {
    type: 'string',
    label: `${def.label} (${peerSide})`,
    apply(values, ctx) {
      const peerType = peerSide === 'source' ? def.source_type : def.destination_type;
      const peers = ctx.idsOf(peerType, values);
      const id = sql`${ctx.alias}."id"`;
      const match =
        peerSide === 'destination'
          ? sql`a."source_type" = ${label} AND a."source_id" = ${id} AND a."destination_id" IN (${peers})`
          : peerSide === 'source'
            ? sql`a."destination_type" = ${label} AND a."destination_id" = ${id} AND a."source_id" IN (${peers})`
            : sql`((a."source_id" = ${id} AND a."destination_id" IN (${peers})) OR (a."destination_id" = ${id} AND a."source_id" IN (${peers})))`;
      return sql`EXISTS (SELECT 1 FROM ${sql.ident(ASSOCIATION_TABLE)} a WHERE a."relationship_id" = ${def.id}::uuid AND ${match})`;
    },
  };
}

function describeFilters(model: ModelMeta): DescribedFilter[] {
  return relationshipDefinitions.forModel(model.label).flatMap((def) =>
    sidesOf(def, model.label).map((side) => ({
      name: `cr_${def.key}__${OPPOSITE[side]}`,
      type: 'string' as const,
      label: labelFrom(def, side),
      help_text: `Objects associated (relationship "${def.label}") with these ${OPPOSITE[side]} objects (id or natural key).`,
      related: peerTypeOf(def, side),
    })),
  );
}

/**
 * Relationships on every model with the `relationships` feature: the `relationships` field
 * (REST `?include=relationships`, writable), `cr_<key>__<side>` filters, and associations
 * deleted with either end (through the write path, change-logged).
 */
export const relationshipsFeature: ModelFeatureProvider = {
  feature: 'relationships',
  sources: (model) => [relationshipsSource(model)],
  filter(model, name) {
    const parsed = parseFilterName(relationshipDefinitions.forModel(model.label), model.label, name);
    return parsed ? relationshipFilter(parsed.def, model.label, parsed.peerSide) : undefined;
  },
  describeFilters,
  hooks: {
    async beforeDelete(ctx) {
      const ids = ctx.records.map((r) => String(r.id));
      const rows = await ctx.tx.query<{ id: string }>(sql`
        SELECT a."id" FROM ${sql.ident(ASSOCIATION_TABLE)} a
        WHERE (a."source_type" = ${ctx.model.label} AND a."source_id" = ANY(${ids}::uuid[]))
           OR (a."destination_type" = ${ctx.model.label} AND a."destination_id" = ANY(${ids}::uuid[]))`);
      if (rows.length)
        await ctx.tx.objects.delete(
          ASSOCIATION_MODEL,
          rows.map((r) => String(r.id)),
        );
    },
  },
};
