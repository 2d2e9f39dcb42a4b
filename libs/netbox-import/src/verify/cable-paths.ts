import type { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type ReadService } from '@plinth/plugin-sdk';
import { rowsOf, type NetboxData } from '../source/types';

/** One origin whose far end Plinth and NetBox see differently. */
export interface PathDifference {
  origin: string;
  netbox: string | null;
  plinth: string | null;
  reason: string;
}

export interface PathCheck {
  checked: number;
  agree: number;
  /** Paths NetBox stores that could not be compared (origin not imported, a split path). */
  skipped: number;
  differences: PathDifference[];
}

/** NetBox models that are path endpoints (their rows carry `_path`). */
const ENDPOINTS = [
  'dcim.interface',
  'dcim.consoleport',
  'dcim.consoleserverport',
  'dcim.powerport',
  'dcim.poweroutlet',
  'dcim.powerfeed',
  'circuits.circuittermination',
];

type Lookup = (model: string, pk: string) => string | undefined;

/**
 * Compare the far ends Plinth traced for imported path endpoints with NetBox's stored
 * `dcim.cablepath` rows (origin's `_path`; the last node of a complete path is its destination).
 * Nodes are `<content type id>:<pk>`; a dumpdata file names content types by natural key only,
 * so their ids are learnt from the origins, whose models are known.
 */
export async function checkCablePaths(
  reads: ReadService,
  data: NetboxData,
  mapped: Lookup,
  manager?: EntityManager,
): Promise<PathCheck> {
  const result: PathCheck = { checked: 0, agree: 0, skipped: 0, differences: [] };
  const origins = new Map<string, { model: string; pk: string }>();
  for (const model of ENDPOINTS)
    for (const r of rowsOf(data, model))
      if (r.fields._path !== null && r.fields._path !== undefined)
        origins.set(String(r.fields._path), { model, pk: r.pk });
  const ctModels = new Map<string, string>();
  for (const ct of rowsOf(data, 'contenttypes.contenttype'))
    if (/^\d+$/.test(ct.pk)) ctModels.set(ct.pk, `${String(ct.fields.app_label)}.${String(ct.fields.model)}`);
  const paths = rowsOf(data, 'dcim.cablepath');
  for (const p of paths) {
    const origin = origins.get(p.pk);
    const first = firstNode(p.fields.path);
    if (origin && first) ctModels.set(first.split(':')[0], origin.model);
  }

  const expected = new Map<
    string,
    { origin: { model: string; pk: string }; far: string | null; id: string }
  >();
  for (const p of paths) {
    const origin = origins.get(p.pk);
    const id = origin && mapped(origin.model, origin.pk);
    const path = Array.isArray(p.fields.path) ? (p.fields.path as unknown[][]) : [];
    const last = path.at(-1) ?? [];
    if (!origin || !id || (path[0]?.length ?? 0) !== 1 || last.length > 1) {
      result.skipped++;
      continue;
    }
    let far: string | null = null;
    if (p.fields.is_complete && last.length === 1) {
      const [ct, pk] = String(last[0]).split(':');
      const model = ctModels.get(ct);
      const farId = model && mapped(model, pk);
      if (!farId) {
        result.skipped++;
        continue;
      }
      far = farId;
    }
    expected.set(`${origin.model}:${origin.pk}`, { origin, far, id });
  }

  // Plinth's far ends, as its REST API shows them, a model at a time.
  const byModel = new Map<string, string[]>();
  for (const e of expected.values())
    byModel.set(e.origin.model, [...(byModel.get(e.origin.model) ?? []), e.id]);
  const actual = new Map<string, string | null>();
  for (const [model, ids] of byModel)
    for (let i = 0; i < ids.length; i += 500) {
      const page = await reads.list(
        SYSTEM_ACTOR,
        model,
        { id: ids.slice(i, i + 500) },
        { limit: 1000, count: false },
        { manager },
      );
      for (const o of page.results) {
        const end = o.connected_endpoint as { id?: string } | null | undefined;
        actual.set(String(o.id), end?.id ?? null);
      }
    }

  for (const e of expected.values()) {
    result.checked++;
    const plinth = actual.get(e.id) ?? null;
    if (plinth === e.far) {
      result.agree++;
      continue;
    }
    result.differences.push({
      origin: `${e.origin.model} ${e.origin.pk}`,
      netbox: e.far,
      plinth,
      reason:
        e.far === null && plinth !== null
          ? "NetBox's path is incomplete; Plinth, as Nautobot, takes the last termination reached as the connected endpoint"
          : 'different far ends',
    });
  }
  return result;
}

function firstNode(path: unknown): string | undefined {
  return Array.isArray(path) && Array.isArray(path[0]) && path[0].length === 1
    ? String(path[0][0])
    : undefined;
}
