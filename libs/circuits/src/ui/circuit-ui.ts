import { endLink, loadEndOwners } from '@plinth/dcim';
import {
  EMPTY_CELL,
  html,
  objectLink,
  type ApiObject,
  type Html,
  type ObjectContext,
  type SafeHtml,
  type TemplateExtension,
  type UiPanel,
} from '@plinth/plugin-sdk';

/** `10 Gbps` for a speed in Kbps (as Nautobot's humanize_speed shows it). */
export function humanSpeed(kbps: unknown): string {
  const n = Number(kbps);
  if (kbps === null || kbps === undefined || kbps === '' || !Number.isFinite(n)) return '';
  for (const [unit, size] of [
    ['Tbps', 1_000_000_000],
    ['Gbps', 1_000_000],
    ['Mbps', 1_000],
  ] as const)
    if (n >= size && n % (size / 1000) === 0) return `${n / size} ${unit}`;
  return `${n} Kbps`;
}

function row(label: string, value: Html): SafeHtml {
  return html`<tr>
    <th class="w-25">${label}</th>
    <td>${value}</td>
  </tr>`;
}

function orEmpty(v: unknown): Html {
  return v === null || v === undefined || v === '' ? EMPTY_CELL : String(v);
}

/**
 * One side of a circuit: where it terminates (a location, or a provider network), its speeds and
 * cross-connect, and the cable to the device it connects (cable peer and connected endpoint as
 * dcim computes them for the API).
 */
function terminationPanel(
  ctx: ObjectContext,
  side: 'A' | 'Z',
  t: ApiObject | undefined,
  owners: Map<string, ApiObject>,
): UiPanel {
  const title = `Termination ${side}`;
  if (!t) {
    const add = ctx.url('circuits.circuittermination');
    return {
      title,
      body: html`<p class="text-muted mb-0 circuit-termination" data-side="${side}">
        Not defined.
        ${
          add
            ? html`<a href="${add}add/?circuit=${String(ctx.object.id)}&amp;term_side=${side}"
                >Add a termination</a
              >`
            : ''
        }
      </p>`,
    };
  }
  const network = t.provider_network as ApiObject | null;
  const upstream = humanSpeed(t.upstream_speed);
  return {
    title,
    body: html`<table class="table table-sm mb-0 circuit-termination" data-side="${side}">
      ${row('Termination', objectLink(ctx, t, `Side ${side}`))}
      ${
        network
          ? row('Provider network', objectLink(ctx, network))
          : row('Location', objectLink(ctx, t.location))
      }
      ${row('Speed', html`${orEmpty(humanSpeed(t.port_speed))}${upstream ? html` (↑ ${upstream})` : ''}`)}
      ${row('Cross-connect', orEmpty(t.xconnect_id))} ${row('Patch panel / ports', orEmpty(t.pp_info))}
      ${row('Cable', objectLink(ctx, t.cable))}
      ${row('Cable peer', html`<span class="termination-peer">${endLink(ctx, t.cable_peer, owners)}</span>`)}
      ${row(
        'Connected endpoint',
        html`<span class="termination-endpoint">${endLink(ctx, t.connected_endpoint, owners)}</span>`,
      )}
      ${row('Description', orEmpty(t.description))}
    </table>`,
  };
}

/** circuits' contribution to circuit pages: the A and Z terminations, in the right column. */
export const circuitTerminations: TemplateExtension = {
  model: 'circuits.circuit',
  async right_page(ctx: ObjectContext) {
    if (!(await ctx.can('view', 'circuits.circuittermination')))
      return {
        title: 'Terminations',
        body: html`<p class="text-muted mb-0">You do not have permission to view circuit terminations.</p>`,
      };
    const terminations = await ctx.api.list(
      'circuits.circuittermination',
      { circuit: String(ctx.object.id) },
      { depth: 1 },
    );
    const owners = await loadEndOwners(ctx, terminations);
    const side = (s: string) =>
      terminations.find((t) => (t.term_side as { value?: unknown } | null)?.value === s || t.term_side === s);
    return [terminationPanel(ctx, 'A', side('A'), owners), terminationPanel(ctx, 'Z', side('Z'), owners)];
  },
};
