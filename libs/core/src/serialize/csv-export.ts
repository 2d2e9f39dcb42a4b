import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { FieldMeta, ModelMeta, ReadActor } from '@plinth/plugin-sdk';
import { columnOf, joinNaturalKey } from '../models/values';
import type { QueryParams } from '../query/filter-engine';
import { MAX_PAGE_SIZE } from '../query/query-engine';
import type { Reads } from '../read/read-service';
import type { ModelRegistry } from '../models/model-registry';

/** Kinds whose CSV text is a number, a boolean or a fixed format: never a formula. */
const SAFE_KINDS = new Set([
  'integer',
  'float',
  'decimal',
  'boolean',
  'uuid',
  'datetime',
  'date',
  'cidr',
  'inet',
  'mac',
]);

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first)
 * gets a leading `'` (OWASP's advice): shown as text, never evaluated. CSV import removes it
 * again, so an export re-imports unchanged.
 */
export function neutralizeCsvCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Undo `neutralizeCsvCell` on import. */
export function unneutralizeCsvCell(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/**
 * The columns of a model's CSV: every readable field, then stored field sources (custom fields),
 * a source with `columns` as one column per key (`cf_<key>`).
 */
export function csvFields(model: ModelMeta): FieldMeta[] {
  return csvColumns(model).map((c) => c.field);
}

/** A CSV column and where its value comes from (a field, a source, or one key of a source). */
export interface CsvColumn {
  field: FieldMeta;
  /** The source the column shows (by name), and the key within its value for `columns`. */
  source?: string;
  key?: string;
}

export function csvColumns(model: ModelMeta): CsvColumn[] {
  const out: CsvColumn[] = model.fields.filter((f) => !f.write_only).map((field) => ({ field }));
  for (const s of model.sources) {
    if (s.optional || !s.column) continue;
    if (s.columns) {
      for (const c of s.columns())
        out.push({ field: { ...c.field, name: c.name, column: null }, source: s.name, key: c.key });
    } else {
      out.push({ field: { ...s.field, name: s.name, column: null }, source: s.name });
    }
  }
  return out;
}

/** A record's value of a CSV column. */
function columnValue(rec: Record<string, unknown>, c: CsvColumn): unknown {
  if (c.key === undefined) return rec[c.field.name];
  const obj = rec[c.source!];
  return obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[c.key] : undefined;
}

export interface CsvQuery {
  params: QueryParams;
  sort?: readonly string[];
  /** Objects to skip and the most to write (default: all of them). */
  offset?: number;
  limit?: number;
}

/**
 * CSV of a filtered list, as the UI's export and the REST API's `?format=csv` write it: one row
 * per object, references as natural keys of objects the reader may view (else their ids).
 * Written to the response a page (1,000 objects) at a time, so memory stays flat.
 */
export class CsvExporter {
  constructor(
    private readonly reads: Reads,
    private readonly models: ModelRegistry,
  ) {}

  private async keysOf(actor: ReadActor, target: ModelMeta, ids: Set<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const keyFields = target.natural_key.map((k) => target.field(k)!);
    if (ids.size === 0 || keyFields.length === 0 || keyFields.some((f) => f.kind === 'fk' || !f.column))
      return out;
    for (const row of await this.reads.rowsById(actor, target, [...ids]))
      out.set(String(row.id), joinNaturalKey(keyFields.map((f) => row[columnOf(f)])));
    return out;
  }

  /** Rows of cells (neutralised) for records of one page. */
  async cells(
    actor: ReadActor,
    model: ModelMeta,
    rows: Record<string, unknown>[],
    columns: readonly CsvColumn[],
  ): Promise<string[][]> {
    const fields = columns.map((c) => c.field);
    const recs = await this.reads.records(model, rows);
    const keys = new Map<FieldMeta, Map<string, string>>();
    for (const f of fields) {
      if (f.kind !== 'fk' && f.kind !== 'm2m') continue;
      const ids = new Set<string>();
      for (const r of recs) for (const id of [r[f.name]].flat()) if (id) ids.add(String(id));
      keys.set(f, await this.keysOf(actor, this.models.targetOf(f), ids));
    }
    return recs.map((r) =>
      columns.map((c) => {
        const f = c.field;
        const v = columnValue(r, c);
        if (v === null || v === undefined) return '';
        let text: string;
        if (f.kind === 'fk') text = keys.get(f)!.get(String(v)) ?? String(v);
        else if (f.kind === 'm2m') text = (v as string[]).map((id) => keys.get(f)!.get(id) ?? id).join(',');
        else if (f.kind === 'array') text = (v as unknown[]).join(',');
        else if (f.kind === 'json') text = JSON.stringify(v);
        else if (v instanceof Date) text = v.toISOString();
        else text = String(v);
        return SAFE_KINDS.has(f.kind) ? text : neutralizeCsvCell(text);
      }),
    );
  }

  /** Stream the CSV of `query` to `res` (headers included). */
  async stream(
    actor: ReadActor,
    model: ModelMeta,
    query: CsvQuery,
    res: Response,
    filename: string,
  ): Promise<void> {
    const columns = csvColumns(model);
    // The first page is read before anything is sent, so a bad filter is still a clean 400.
    // Keyset pages: the 200th thousand rows cost what the first did.
    let cursor = '';
    let left = query.limit ?? Number.POSITIVE_INFINITY;
    const page = async () => {
      const limit = Math.min(MAX_PAGE_SIZE, left);
      const { rows, next_cursor } = await this.reads.rows(actor, model, {
        params: query.params,
        sort: query.sort,
        limit,
        offset: query.offset ?? 0,
        cursor,
      });
      cursor = next_cursor ?? '';
      left -= rows.length;
      return { rows, more: !!next_cursor && left > 0 };
    };
    let current = await page();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.write(stringify([columns.map((c) => c.field.name)]));
    try {
      for (;;) {
        if (current.rows.length) res.write(stringify(await this.cells(actor, model, current.rows, columns)));
        if (!current.more) break;
        current = await page();
      }
      res.end();
    } catch (e) {
      // Headers are gone: a truncated file must not look complete.
      res.destroy(e as Error);
      throw e;
    }
  }
}
