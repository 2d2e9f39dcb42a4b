import {
  choiceValue,
  html,
  objectLink,
  type ApiObject,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiContext,
} from '@plinth/plugin-sdk';
import {
  elevationSvg,
  type ElevationDevice,
  type ElevationRack,
  type Face,
  type ReservedUnit,
} from './elevation';

/** The most devices an elevation page reads (a full page of the REST API). */
const DEVICE_LIMIT = 1000;

interface RackDrawing {
  rack: ElevationRack;
  placed: ElevationDevice[];
  /** In the rack but not in a unit: no position, or a 0U device type. */
  unplaced: ApiObject[];
}

function asRack(o: ApiObject): ElevationRack {
  return {
    id: String(o.id),
    name: String(o.name ?? o.display),
    u_height: Math.max(1, Number(o.u_height) || 1),
    desc_units: o.desc_units === true,
  };
}

/** The reserved units of these racks (tooltips name the description and the user), set on the racks. */
async function loadReservations(ctx: UiContext, racks: ElevationRack[]): Promise<void> {
  if (racks.length === 0 || !(await ctx.can('view', 'dcim.rackreservation'))) return;
  const reservations = await ctx.api.list(
    'dcim.rackreservation',
    { rack: racks.map((r) => r.id) },
    { depth: 1, limit: DEVICE_LIMIT },
  );
  const byRack = new Map(racks.map((r) => [r.id, [] as ReservedUnit[]]));
  for (const r of reservations) {
    const units = byRack.get(String((r.rack as ApiObject | null)?.id));
    if (!units) continue;
    const user = (r.user as ApiObject | null)?.display ?? (r.user as ApiObject | null)?.username ?? '';
    const title = `${String(r.description ?? '')} (${String(user)})`;
    for (const unit of (r.units as number[] | null) ?? [])
      units.push({ unit: Number(unit), title, url: ctx.url('dcim.rackreservation', String(r.id)) });
  }
  for (const rack of racks) rack.reserved = byRack.get(rack.id) ?? [];
}

/**
 * The devices of these racks, placed by position and device-type height (one read of the
 * devices with their device types and roles nested).
 */
async function drawings(
  ctx: UiContext,
  racks: ElevationRack[],
): Promise<{ list: RackDrawing[]; truncated: boolean }> {
  await loadReservations(ctx, racks);
  const devices = racks.length
    ? await ctx.api.list(
        'dcim.device',
        { rack: racks.map((r) => r.id) },
        { depth: 1, limit: DEVICE_LIMIT, sort: ['position'] },
      )
    : [];
  const list = racks.map((rack) => ({ rack, placed: [] as ElevationDevice[], unplaced: [] as ApiObject[] }));
  const byRack = new Map(list.map((d) => [d.rack.id, d]));
  for (const d of devices) {
    const drawing = byRack.get(String((d.rack as ApiObject | null)?.id));
    if (!drawing) continue;
    const type = (d.device_type ?? {}) as ApiObject;
    const height = Number(type.u_height ?? 1);
    const position = Number(d.position);
    if (!d.position || !Number.isInteger(position) || height < 1) {
      drawing.unplaced.push(d);
      continue;
    }
    const role = (d.role ?? {}) as ApiObject;
    drawing.placed.push({
      id: String(d.id),
      name: String(d.display ?? d.name),
      url: ctx.url('dcim.device', String(d.id)),
      position,
      height,
      face: (choiceValue(d.face) === 'rear' ? 'rear' : 'front') as Face,
      full_depth: type.is_full_depth !== false,
      color: typeof role.color === 'string' ? role.color : '9e9e9e',
      type: String(type.display ?? type.model ?? ''),
    });
  }
  return { list, truncated: devices.length === DEVICE_LIMIT };
}

function drawing(ctx: UiContext, d: RackDrawing, heading: boolean): SafeHtml {
  return html`<div class="rack-elevations mb-3" data-rack="${d.rack.name}">
    ${
      heading
        ? html`<h2 class="h6">
            ${objectLink(ctx, { id: d.rack.id, object_type: 'dcim.rack', display: d.rack.name })}
          </h2>`
        : ''
    }
    <div class="d-flex flex-wrap gap-3">
      ${elevationSvg(d.rack, d.placed, 'front')} ${elevationSvg(d.rack, d.placed, 'rear')}
    </div>
    ${
      d.unplaced.length
        ? html`<p class="small mt-2 mb-0 rack-unplaced">
            Not in a unit: ${d.unplaced.map((o, n) => html`${n ? ', ' : ''}${objectLink(ctx, o)}`)}
          </p>`
        : ''
    }
  </div>`;
}

/** A rack's elevation (front and rear), devices and reserved units drawn. */
export async function rackElevationBody(ctx: UiContext, rackObject: ApiObject): Promise<SafeHtml> {
  const { list } = await drawings(ctx, [asRack(rackObject)]);
  return drawing(ctx, list[0], false);
}

/** The rack page's elevation (front and rear), in the right column. */
async function rackElevation(ctx: ObjectContext) {
  return {
    title: 'Rack Elevation',
    body: await rackElevationBody(ctx, { ...ctx.object, display: ctx.display }),
  };
}

/** A location's racks (its descendants' included), each front and rear. */
async function locationElevations(ctx: ObjectContext): Promise<SafeHtml> {
  const racks = (await ctx.api.list('dcim.rack', { location: String(ctx.object.id) })).map(asRack);
  if (racks.length === 0)
    return html`<div class="card"><div class="card-body text-muted">No racks at this location.</div></div>`;
  const { list, truncated } = await drawings(ctx, racks);
  return html`<div class="card">
    <div class="card-body">
      ${
        truncated
          ? html`<div class="alert alert-warning">Only the first ${DEVICE_LIMIT} devices are drawn.</div>`
          : ''
      }
      <div class="d-flex flex-wrap gap-5">${list.map((d) => drawing(ctx, d, true))}</div>
    </div>
  </div>`;
}

/** dcim's elevations: on rack pages, and a tab of location pages. */
export const rackElevations: TemplateExtension = {
  model: 'dcim.rack',
  right_page: rackElevation,
};

export const locationElevationsTab: TemplateExtension = {
  model: 'dcim.location',
  detail_tabs: [{ key: 'elevations', label: 'Rack Elevations', weight: 20, render: locationElevations }],
};
