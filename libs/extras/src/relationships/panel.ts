import { html, objectLink, type ApiObject, type TemplateExtension, type UiPanel } from '@plinth/plugin-sdk';
import { OPPOSITE, hiddenOn, labelFrom, peerTypeOf, relationshipDefinitions, sidesOf } from './definitions';
import { RELATIONSHIPS_SOURCE } from './feature';

interface Row {
  label: string;
  advanced: boolean;
  peers: ApiObject[];
  type: string;
}

/**
 * The Relationships panel of detail pages (hidden sides left out, `advanced_ui` ones in a panel
 * of their own): peers as links, read as the user may view them, named in one read per peer model.
 */
export const relationshipsPanel: TemplateExtension = {
  model: '*',
  async right_page(ctx) {
    const label = ctx.model.label;
    if (!ctx.model.has('relationships')) return null;
    const defs = relationshipDefinitions.forModel(label);
    if (defs.length === 0) return null;
    const [object] = await ctx.api.list(
      label,
      { id: String(ctx.object.id) },
      { limit: 1, include: [RELATIONSHIPS_SOURCE] },
    );
    const value = (object?.[RELATIONSHIPS_SOURCE] ?? {}) as Record<
      string,
      Record<string, { objects?: ApiObject[] }>
    >;
    const rows: Row[] = [];
    const wanted = new Map<string, Set<string>>();
    for (const def of defs) {
      for (const side of sidesOf(def, label)) {
        if (hiddenOn(def, side)) continue;
        const peers = value[def.key]?.[OPPOSITE[side]]?.objects ?? [];
        const peerType = peerTypeOf(def, side);
        for (const p of peers) wanted.set(peerType, (wanted.get(peerType) ?? new Set()).add(String(p.id)));
        rows.push({ label: labelFrom(def, side), advanced: def.advanced_ui, peers, type: peerType });
      }
    }
    const names = new Map<string, ApiObject>();
    for (const [type, ids] of wanted)
      for (const o of await ctx.api.list(type, { id: [...ids] })) names.set(`${type}:${String(o.id)}`, o);
    const panel = (title: string, list: Row[]): UiPanel => ({
      title,
      body: html`<table class="table table-hover attr-table mb-0">
        ${list.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.label}</th>
              <td>
                ${
                  r.peers.length
                    ? r.peers.map(
                        (p, i) =>
                          html`${i ? html`<br />` : ''}${objectLink(ctx, names.get(`${r.type}:${String(p.id)}`) ?? p)}`,
                      )
                    : html`<span class="text-muted">—</span>`
                }
              </td>
            </tr>`,
        )}
      </table>`,
    });
    const out: UiPanel[] = [];
    const basic = rows.filter((r) => !r.advanced);
    const advanced = rows.filter((r) => r.advanced);
    if (basic.length) out.push(panel('Relationships', basic));
    if (advanced.length) out.push(panel('Relationships (advanced)', advanced));
    return out;
  },
};
