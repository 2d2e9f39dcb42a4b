import type { ObjectsApi } from '@plinth/plugin-sdk';
import type { NetboxData, NetboxRow } from './source/types';

/** Plinth input for one object (what the REST API would accept). */
export type PlinthInput = Record<string, unknown>;

/** This row is deliberately not imported; the reason goes into the report. */
export class Skip {
  constructor(readonly reason: string) {}
}

/** A NetBox value cannot be mapped: the row fails with this reason (naming the field). */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** An existing Plinth object a NetBox row is the same thing as. */
export interface Match {
  id: string;
  /** Bring it up to date with the row (a component made from a template), or leave it (merged). */
  update: boolean;
  note?: string;
}

/**
 * What NetBox's site groups become: nothing (`drop`, the default: a site keeps its region as
 * parent and its group is reported as dropped) or `location-types` (Nautobot's importer with
 * `--sitegroup-parent-always-region`: each group is a location type under Region, its sites are
 * locations of that type).
 */
export type SiteGroupMode = 'drop' | 'location-types';
export const SITE_GROUP_MODES: readonly SiteGroupMode[] = ['drop', 'location-types'];

export interface MapContext {
  data: NetboxData;
  /** What site groups become (see SiteGroupMode). */
  siteGroups: SiteGroupMode;
  objects: ObjectsApi;
  /** The Plinth id a NetBox object became; null for a null pk; a MappingError when it was not imported. */
  ref(netboxModel: string, pk: unknown, field: string): string | null;
  refs(netboxModel: string, pks: unknown, field: string): string[];
  /** The Plinth label and id of a generic reference (`[app, model]`, pk). */
  generic(type: unknown, pk: unknown, field: string): { label: string; id: string } | null;
  /** The id of the Status named after a NetBox status value, made to apply to `label`. */
  status(label: string, value: unknown): Promise<string>;
  /** Tag ids of a NetBox object (from `extras.taggeditem`). */
  tags(row: NetboxRow): string[];
  /** Report a value that has no place in Plinth (counted per model and field). */
  dropped(row: NetboxRow, field: string, reason: string): void;
  /**
   * The id of the Plinth object `find` finds, made from `input` when there is none (location
   * types, namespaces: scaffolding NetBox has no object for).
   */
  ensure(label: string, find: Record<string, string>, input: PlinthInput): Promise<string>;
  /** Update a Plinth object outside the rows being mapped (a role offered for one more model). */
  ensureUpdate(label: string, id: string, input: PlinthInput): Promise<void>;
  /** Delete Plinth objects (components made from templates that NetBox's device lacks). */
  ensureDeleted(label: string, ids: readonly string[]): Promise<void>;
  /** The Plinth id a NetBox object became, if it was imported. */
  mapped(netboxModel: string, pk: string): string | undefined;
  /** NetBox 3.3+'s cable termination rows of a cable. */
  cableTerminations(cablePk: string): readonly NetboxRow[];
  /** Whether Plinth has this model (families arrive over time). */
  hasModel(label: string): boolean;
  /** Memo shared by the mappings of one run (location types, the Global namespace…). */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/**
 * How one NetBox model becomes one Plinth model. Runs in the order of MAPPINGS; a mapping
 * refers to objects of earlier mappings through `ctx.ref`.
 */
export interface ModelMapping {
  /** The NetBox model whose rows are read (`dcim.site`). */
  netbox: string;
  /** The Plinth model written (`dcim.location`). */
  target: string;
  /**
   * A second pass over rows imported earlier (`update`: fields that refer to objects imported
   * after them, e.g. an interface's LAG). It creates nothing.
   */
  pass?: string;
  /** A field referring to a row of the same model (a tree): parents are written before children. */
  tree?: string;
  /** NetBox fields this mapping uses or covers; others with a value are reported as dropped. */
  fields: readonly string[];
  map(row: NetboxRow, ctx: MapContext): PlinthInput | Skip | Promise<PlinthInput | Skip>;
  /** An existing Plinth object the row is (template components, a prefix also an aggregate). */
  match?(input: PlinthInput, row: NetboxRow, ctx: MapContext): Promise<Match | undefined>;
  /** Before the rows are mapped (preload what `match` looks up). */
  prepare?(rows: readonly NetboxRow[], ctx: MapContext): Promise<void>;
  /** After every row is written. */
  finish?(ctx: MapContext): Promise<string | void>;
}

/** A NetBox model not imported at all, and why. */
export interface SkippedModel {
  netbox: string;
  reason: string;
}

/** Present on most NetBox models; Plinth keeps its own timestamps and NetBox's caches are derived. */
export const COMMON_FIELDS = [
  'created',
  'last_updated',
  'custom_field_data',
  '_name',
  'lft',
  'rght',
  'tree_id',
  'level',
  '_path',
  'cable_end',
  'mark_connected',
  '_depth',
  '_children',
  '_site',
  '_region',
  '_sitegroup',
  '_location',
  '_rack',
  '_device',
  '_abs_distance',
];

/** `active` → `Active`, `dhcp` → `DHCP`: the names Nautobot gives NetBox's status values. */
export function statusName(value: string): string {
  const upper: Record<string, string> = { dhcp: 'DHCP', slaac: 'SLAAC' };
  if (upper[value]) return upper[value];
  return value
    .split(/[-_ ]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** Copy the row's fields that are set, renaming where Plinth's name differs (`{type: 'circuit_type'}`). */
export function pick(
  row: NetboxRow,
  names: readonly string[],
  rename: Readonly<Record<string, string>> = {},
): PlinthInput {
  const out: PlinthInput = {};
  for (const n of names) {
    const v = row.fields[n];
    // NetBox's null for an empty text field is Plinth's default (left out).
    if (v === undefined || v === null) continue;
    out[rename[n] ?? n] = v;
  }
  return out;
}

/** A NetBox decimal string of an integral value (`"4.0"`) as a number; other values as they are. */
export function integral(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+(\.0+)?$/.test(v)) return Number(v);
  return v;
}
