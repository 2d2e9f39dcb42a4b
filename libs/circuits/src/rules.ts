import {
  sql,
  type ComputedField,
  type FilterDefinition,
  type ModelRule,
  type Rec,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { checkLocationContentType } from '@plinth/dcim';

const terminations = sql.table('circuits.circuittermination');

/** A circuit termination ends at a location or at a provider network, never both (Nautobot's CircuitTermination.clean). */
export const circuitTerminationRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    const location = record.location !== null;
    const network = record.provider_network !== null;
    if (location && network) {
      ctx.error('location', 'A circuit termination cannot attach to both a location and a provider network.');
    } else if (!location && !network) {
      ctx.error('location', 'A circuit termination must attach to either a location or a provider network.');
    }
    if (network && record.cable !== null) {
      ctx.error('provider_network', 'Circuit terminations attached to a provider network may not be cabled.');
    }
    await checkLocationContentType(ctx);
  },
];

/** `circuit_termination_a` / `_z`: a circuit's terminations by side, one query per page. */
export function circuitTerminationFields(): ComputedField[] {
  const pages = new WeakMap<Rec[], Promise<Map<string, Record<string, string>>>>();
  const sides = (records: Rec[], db: SqlRunner) => {
    let p = pages.get(records);
    if (!p) {
      p = (async () => {
        const rows = await db.query<{ id: string; circuit_id: string; term_side: string }>(
          sql`SELECT id, circuit_id, term_side FROM ${terminations} WHERE circuit_id = ANY(${records.map((r) => String(r.id))}::uuid[])`,
        );
        const out = new Map<string, Record<string, string>>();
        for (const r of rows)
          out.set(r.circuit_id, { ...(out.get(r.circuit_id) ?? {}), [r.term_side]: r.id });
        return out;
      })();
      pages.set(records, p);
    }
    return p;
  };
  return (['A', 'Z'] as const).map((side) => ({
    name: `circuit_termination_${side.toLowerCase()}`,
    type: 'ref',
    target: 'circuits.circuittermination',
    help_text: `Termination ${side} of the circuit`,
    async load(records, ctx) {
      const bySide = await sides(records, ctx);
      return new Map(records.map((r) => [String(r.id), bySide.get(String(r.id))?.[side] ?? null]));
    },
  }));
}

/** Circuits with a termination at the location (or below) / on the provider network. */
export const circuitFilters: Record<string, FilterDefinition> = {
  location: {
    label: 'Location of a termination (name or ID, including child locations)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT circuit_id FROM ${terminations} WHERE location_id IN (${ctx.treeIdsOf('dcim.location', values)}))`,
  },
  provider_network: {
    label: 'Provider network of a termination (name or ID)',
    apply: (values, ctx) =>
      sql`${ctx.alias}."id" IN (SELECT circuit_id FROM ${terminations} WHERE provider_network_id IN (${ctx.idsOf('circuits.providernetwork', values)}))`,
  },
};
