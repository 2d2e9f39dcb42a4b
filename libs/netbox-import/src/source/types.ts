/**
 * NetBox data as the importer reads it, whatever the source: Django's `dumpdata` shape. Foreign
 * keys are the related pk, many-to-many fields lists of pks, content types `[app, model]`.
 */
export interface NetboxRow {
  model: string;
  pk: string;
  fields: Readonly<Record<string, unknown>>;
}

export interface NetboxData {
  /** What was read, for the report (`dumpdata file …`, `PostgreSQL database …`). */
  description: string;
  /** Every model present, with its rows (pk order). */
  readonly rows: ReadonlyMap<string, readonly NetboxRow[]>;
}

/** The rows of one model (none when the source has no such model). */
export function rowsOf(data: NetboxData, model: string): readonly NetboxRow[] {
  return data.rows.get(model) ?? [];
}

const groups = new WeakMap<NetboxData, Map<string, Map<string, NetboxRow[]>>>();

/**
 * The rows of `model` grouped by `key(row)` (rows whose key is null are left out), built once per
 * source: mappings look rows up by a reference to another row (a cable's terminations, the
 * addresses of an interface) without scanning the model for each of them.
 */
export function rowsBy(
  data: NetboxData,
  model: string,
  name: string,
  key: (row: NetboxRow) => string | null,
): ReadonlyMap<string, readonly NetboxRow[]> {
  let perData = groups.get(data);
  if (!perData) groups.set(data, (perData = new Map()));
  const id = `${model}\0${name}`;
  let index = perData.get(id);
  if (!index) {
    index = new Map();
    for (const row of rowsOf(data, model)) {
      const k = key(row);
      if (k === null) continue;
      const list = index.get(k);
      if (list) list.push(row);
      else index.set(k, [row]);
    }
    perData.set(id, index);
  }
  return index;
}
