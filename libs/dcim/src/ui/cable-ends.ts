import {
  EMPTY_CELL,
  html,
  objectLink,
  type ApiObject,
  type SafeHtml,
  type UiContext,
} from '@plinth/plugin-sdk';

/**
 * How pages show the far ends of cables: "device › port" (or "circuit › side"), both linked. The
 * ends themselves are the `cable_peer` and `connected_endpoint` values the dcim serializer
 * computes; pages read them with depth 1 and only add the names of the devices and circuits.
 */

/** The fields of a cable termination that name another termination. */
export const CABLE_END_FIELDS = ['cable_peer', 'connected_endpoint'] as const;

function ref(v: unknown): { id: string; object_type: string } | null {
  const o = v as { id?: unknown; object_type?: unknown } | null;
  return o && typeof o.id === 'string' && typeof o.object_type === 'string'
    ? { id: o.id, object_type: o.object_type }
    : null;
}

/** The object an end belongs to: a component's device, a circuit termination's circuit, a power feed's panel. */
function ownerOf(end: ApiObject): { id: string; object_type: string } | null {
  return ref(end.device) ?? ref(end.circuit) ?? ref(end.power_panel);
}

/** Devices and circuits of the ends of these objects, by `<label>:<id>` (one query per model). */
export async function loadEndOwners(
  ctx: UiContext,
  objects: readonly ApiObject[],
  fields: readonly string[] = CABLE_END_FIELDS,
): Promise<Map<string, ApiObject>> {
  const wanted = new Map<string, Set<string>>();
  for (const o of objects)
    for (const f of fields) {
      const end = o[f] as ApiObject | null | undefined;
      const owner = end ? ownerOf(end) : null;
      if (owner) wanted.set(owner.object_type, (wanted.get(owner.object_type) ?? new Set()).add(owner.id));
    }
  const out = new Map<string, ApiObject>();
  for (const [label, ids] of wanted)
    for (const o of await ctx.api.list(label, { id: [...ids] })) out.set(`${label}:${String(o.id)}`, o);
  return out;
}

/** The short name of an end on its owner: the port's name, or the circuit termination's side. */
function endName(end: ApiObject): string {
  if (typeof end.term_side === 'string' || typeof end.term_side === 'object')
    return `Side ${String((end.term_side as { value?: unknown })?.value ?? end.term_side)}`;
  return String(end.name ?? end.display ?? end.id);
}

/** "device › port", both linked; the empty dash for no end. */
export function endLink(ctx: UiContext, end: unknown, owners: Map<string, ApiObject>): SafeHtml {
  if (!end || typeof end !== 'object') return EMPTY_CELL;
  const e = end as ApiObject;
  const o = ownerOf(e);
  const owner = o ? owners.get(`${o.object_type}:${o.id}`) : undefined;
  const port = objectLink(ctx, e, endName(e));
  return owner
    ? html`<span class="cable-end">${objectLink(ctx, owner)} › ${port}</span>`
    : html`<span class="cable-end">${objectLink(ctx, e)}</span>`;
}
