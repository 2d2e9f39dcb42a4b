import { sql, type ComputedContext, type ComputedField, type ObjectRef, type Rec } from '@plinth/plugin-sdk';
import { idsOf } from '../batch';
import { tables } from '../tables';
import { originsOf, pathSummaries } from './path-sql';

/**
 * One load per page and kind of value, shared by the fields that show it: the serializer hands
 * every computed field of a page the same records array.
 */
function perPage<T>(load: (records: Rec[], ctx: ComputedContext) => Promise<T>) {
  const pages = new WeakMap<Rec[], Promise<T>>();
  return (records: Rec[], ctx: ComputedContext): Promise<T> => {
    let p = pages.get(records);
    if (!p) {
      p = load(records, ctx);
      pages.set(records, p);
    }
    return p;
  };
}

/** The object at the other end of each record's cable: one query per page. */
function cablePeers(label: string) {
  return perPage(async (records: Rec[], ctx: ComputedContext): Promise<Map<string, ObjectRef>> => {
    const cables = idsOf(records, 'cable');
    const out = new Map<string, ObjectRef>();
    if (cables.length === 0) return out;
    const rows = await ctx.query(
      sql`SELECT termination_a_type, termination_a_id, termination_b_type, termination_b_id FROM ${tables.cable} WHERE id = ANY(${cables}::uuid[])`,
    );
    for (const r of rows) {
      const a = { object_type: String(r.termination_a_type), id: String(r.termination_a_id) };
      const b = { object_type: String(r.termination_b_type), id: String(r.termination_b_id) };
      if (a.object_type === label) out.set(a.id, b);
      if (b.object_type === label) out.set(b.id, a);
    }
    return out;
  });
}

interface Endpoint {
  ref: ObjectRef | null;
  reachable: boolean;
}

/** Where each record's path ends: one recursive query per page (see pathSummaries). */
function connectedEndpoints(label: string) {
  return perPage(async (records: Rec[], ctx: ComputedContext): Promise<Map<string, Endpoint>> => {
    const cabled = records.filter((r) => typeof r.cable === 'string').map((r) => String(r.id));
    const out = new Map<string, Endpoint>();
    if (cabled.length === 0) return out;
    const rows = await ctx.query(pathSummaries(ctx.models, originsOf(label, cabled)));
    for (const r of rows) {
      out.set(String(r.origin_id), {
        ref: r.endpoint_id ? { object_type: String(r.endpoint_type), id: String(r.endpoint_id) } : null,
        reachable: r.reachable === true,
      });
    }
    return out;
  });
}

function pick<T, V>(map: Map<string, T>, records: Rec[], fn: (v: T) => V | null): Map<string, V | null> {
  return new Map(
    records.map((r) => [String(r.id), map.has(String(r.id)) ? fn(map.get(String(r.id))!) : null]),
  );
}

/** `cable_peer` and `cable_peer_type` of a model cables can end on (Nautobot's CableTermination). */
export function cablePeerFields(label: string): ComputedField[] {
  const peers = cablePeers(label);
  return [
    {
      name: 'cable_peer_type',
      type: 'string',
      help_text: 'Object type at the other end of the cable',
      load: async (records, ctx) => pick(await peers(records, ctx), records, (p) => p.object_type),
    },
    {
      name: 'cable_peer',
      type: 'generic_ref',
      help_text: 'The object at the other end of the cable',
      load: async (records, ctx) => pick(await peers(records, ctx), records, (p) => p),
    },
  ];
}

/** `connected_endpoint*` of a path endpoint (Nautobot's PathEndpoint): the far end of the traced path. */
export function connectedEndpointFields(label: string): ComputedField[] {
  const endpoints = connectedEndpoints(label);
  return [
    {
      name: 'connected_endpoint_type',
      type: 'string',
      help_text: 'Object type at the far end of the cable path',
      load: async (records, ctx) =>
        pick(await endpoints(records, ctx), records, (e) => e.ref?.object_type ?? null),
    },
    {
      name: 'connected_endpoint',
      type: 'generic_ref',
      help_text: 'The endpoint at the far end of the cable path (through patch panels and circuits)',
      load: async (records, ctx) => pick(await endpoints(records, ctx), records, (e) => e.ref),
    },
    {
      name: 'connected_endpoint_reachable',
      type: 'boolean',
      help_text: 'The path is complete and every cable on it is connected',
      load: async (records, ctx) =>
        pick(await endpoints(records, ctx), records, (e) => (e.ref ? e.reachable : null)),
    },
  ];
}
