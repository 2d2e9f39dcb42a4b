import { html, textColorOn, unsafeHtml, type SafeHtml } from '@plinth/plugin-sdk';

/**
 * Rack elevations as server-rendered SVG (no script, no external asset): one drawing per face,
 * units numbered along the left edge, each device a box spanning its units, coloured by its role
 * and linked to the device.
 */

export type Face = 'front' | 'rear';

export interface ElevationRack {
  id: string;
  name: string;
  u_height: number;
  /** Units numbered top to bottom (unit 1 at the top). */
  desc_units: boolean;
  /** Units set aside by rack reservations (drawn hatched behind the devices, on both faces). */
  reserved?: readonly ReservedUnit[];
}

export interface ReservedUnit {
  unit: number;
  /** The reservation's description and who holds it, for the tooltip. */
  title: string;
  url: string | null;
}

export interface ElevationDevice {
  id: string;
  name: string;
  url: string | null;
  /** Lowest unit the device occupies. */
  position: number;
  /** Units it occupies (from its device type). */
  height: number;
  face: Face;
  full_depth: boolean;
  /** 6-hex colour of its role. */
  color: string;
  /** Device type, for the tooltip. */
  type: string;
}

const UNIT = 22;
const GUTTER = 30;
const WIDTH = 200;
const HEADER = 24;

/** The SVG y of the top edge of a device's highest unit. */
function topOf(rack: ElevationRack, position: number, height: number): number {
  return rack.desc_units ? (position - 1) * UNIT : (rack.u_height - (position + height - 1)) * UNIT;
}

/** The devices drawn on one face: those mounted on it, and full-depth ones mounted on the other. */
export function devicesOnFace(devices: readonly ElevationDevice[], face: Face): ElevationDevice[] {
  return devices.filter((d) => d.face === face || d.full_depth);
}

/** Names longer than the box (about 7 px per character at 12 px) end in an ellipsis. */
function truncate(text: string): string {
  const max = Math.floor((WIDTH - 12) / 7);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function deviceBox(rack: ElevationRack, d: ElevationDevice, face: Face): SafeHtml {
  const height = Math.max(1, Math.min(d.height, rack.u_height - d.position + 1));
  const y = HEADER + topOf(rack, d.position, height);
  const h = height * UNIT;
  const behind = d.face !== face;
  const fill = /^[0-9a-f]{6}$/i.test(d.color) ? `#${d.color}` : '#9e9e9e';
  const text = truncate(d.name);
  const tooltip = `${d.name} — ${d.type}, U${d.position}${height > 1 ? `–U${d.position + height - 1}` : ''} (${d.face}${d.full_depth ? ', full depth' : ''})`;
  const box = html`<g
    class="rack-device${behind ? ' rack-device-behind' : ''}"
    data-device-id="${d.id}"
    data-device-name="${d.name}"
    data-position="${d.position}"
    data-height="${height}"
    data-face="${d.face}"
  >
    <title>${tooltip}</title>
    <rect
      x="${GUTTER + 1}"
      y="${y + 1}"
      width="${WIDTH - 2}"
      height="${h - 2}"
      rx="2"
      fill="${fill}"
      fill-opacity="${behind ? 0.35 : 1}"
      stroke="#495057"
      stroke-width="1"
      ${behind ? unsafeHtml('stroke-dasharray="4 2"') : ''}
    />
    <text
      x="${GUTTER + WIDTH / 2}"
      y="${y + h / 2}"
      text-anchor="middle"
      dominant-baseline="central"
      font-size="12"
      fill="${behind ? '#212529' : textColorOn(fill.slice(1))}"
    >
      ${text}
    </text>
  </g>`;
  return d.url ? html`<a href="${d.url}" style="text-decoration:none">${box}</a>` : box;
}

function reservedBox(rack: ElevationRack, r: ReservedUnit): SafeHtml {
  if (r.unit < 1 || r.unit > rack.u_height) return html``;
  const y = HEADER + topOf(rack, r.unit, 1);
  const box = html`<g class="rack-reserved" data-unit="${r.unit}">
    <title>Reserved: ${r.title}</title>
    <rect
      x="${GUTTER + 1}"
      y="${y + 1}"
      width="${WIDTH - 2}"
      height="${UNIT - 2}"
      fill="#ffecb5"
      stroke="#f0ad4e"
      stroke-dasharray="4 2"
    />
  </g>`;
  return r.url ? html`<a href="${r.url}">${box}</a>` : box;
}

/** One face of a rack. */
export function elevationSvg(rack: ElevationRack, devices: readonly ElevationDevice[], face: Face): SafeHtml {
  const height = rack.u_height * UNIT;
  const units = Array.from({ length: rack.u_height }, (_, i) => i + 1);
  const title = `${rack.name} (${face})`;
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    class="rack-elevation"
    data-rack-id="${rack.id}"
    data-face="${face}"
    data-units="${rack.u_height}"
    data-desc-units="${rack.desc_units ? 'true' : 'false'}"
    width="${GUTTER + WIDTH + 2}"
    height="${HEADER + height + 2}"
    viewBox="0 0 ${GUTTER + WIDTH + 2} ${HEADER + height + 2}"
    role="img"
    aria-label="${title}"
  >
    <text x="${GUTTER + WIDTH / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">
      ${face === 'front' ? 'Front' : 'Rear'}
    </text>
    <rect x="${GUTTER}" y="${HEADER}" width="${WIDTH}" height="${height}" fill="#f8f9fa" stroke="#343a40" />
    ${units.map((u) => {
      const y = HEADER + topOf(rack, u, 1);
      return html`<g class="rack-unit" data-unit="${u}">
        <line x1="${GUTTER}" x2="${GUTTER + WIDTH}" y1="${y + UNIT}" y2="${y + UNIT}" stroke="#dee2e6" />
        <text
          x="${GUTTER - 4}"
          y="${y + UNIT / 2}"
          text-anchor="end"
          dominant-baseline="central"
          font-size="10"
          fill="#6c757d"
        >
          ${u}
        </text>
      </g>`;
    })}
    ${(rack.reserved ?? []).map((r) => reservedBox(rack, r))}
    ${devicesOnFace(devices, face)
      // Devices of the face on top of full-depth ones seen from behind (validation keeps them apart).
      .sort((a, b) => Number(a.face === face) - Number(b.face === face))
      .map((d) => deviceBox(rack, d, face))}
  </svg>`;
}
