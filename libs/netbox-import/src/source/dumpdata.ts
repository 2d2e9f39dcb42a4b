import * as fs from 'node:fs';
import type { NetboxData, NetboxRow } from './types';

/** Read a NetBox `manage.py dumpdata` JSON file (a list of `{model, pk, fields}`). */
export function readDumpdata(file: string): NetboxData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not a JSON file: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} is not a dumpdata file (expected a JSON list)`);
  const rows = new Map<string, NetboxRow[]>();
  for (const [i, item] of parsed.entries()) {
    if (typeof item !== 'object' || item === null || typeof (item as { model?: unknown }).model !== 'string')
      throw new Error(`${file}: item ${i} is not a dumpdata object ({model, pk, fields})`);
    const { model, pk, fields } = item as { model: string; pk?: unknown; fields?: Record<string, unknown> };
    // Dumped with natural keys (`--natural-primary`), a row has no pk and is referred to by its
    // natural key: a name or username for the models keyed so (auth.group, auth.user), else its position.
    const key = fields?.name ?? fields?.username;
    const natural = typeof key === 'string' ? key : `#${i}`;
    const row: NetboxRow = {
      model,
      pk: pk === undefined || pk === null ? natural : String(pk),
      fields: fields ?? {},
    };
    let list = rows.get(model);
    if (!list) rows.set(model, (list = []));
    list.push(row);
  }
  for (const list of rows.values()) list.sort((a, b) => comparePk(a.pk, b.pk));
  return { description: `dumpdata file ${file}`, rows };
}

function comparePk(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}
