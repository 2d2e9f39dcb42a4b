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
