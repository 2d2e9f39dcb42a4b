import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parse } from 'csv-parse/sync';
import {
  CsvExporter,
  csvColumns,
  EXPORT_CSP,
  exportDisposition,
  isRequired,
  renderListExport,
  unneutralizeCsvCell,
} from '@plinth/core';
import {
  ListExports,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  type FieldErrors,
  type FieldMeta,
  type ModelMeta,
  type AnyRecord,
  type Rec,
} from '@plinth/plugin-sdk';
import { editableFields as formFields, one, type FormBody } from './forms';
import { ViewSupport } from './support';

export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

/** How a column's values are written in CSV (for the import page's help table). */
function accepted(f: FieldMeta): string {
  switch (f.kind) {
    case 'fk':
      return 'uuid or natural key (name)';
    case 'm2m':
      return 'comma-separated uuids or natural keys';
    case 'array':
      return f.choices?.length
        ? `comma-separated: ${f.choices.map((c) => c.value).join(', ')}`
        : f.content_types
          ? 'comma-separated object types (dcim.device, …)'
          : 'comma-separated values';
    case 'choice':
      return (f.choices ?? []).map((c) => c.value).join(', ');
    case 'boolean':
      return 'true or false';
    case 'json':
      return 'JSON';
    case 'datetime':
      return 'ISO 8601 date/time';
    default:
      return f.kind;
  }
}

/** Columns holding one key of a writable source (`cf_<key>`), by column name. */
/** What CSV imports set: form fields but the inputs of optional sources (relationship peers). */
function editableFields(model: ModelMeta): FieldMeta[] {
  return formFields(model).filter((f) => !!model.field(f.name) || (f.kind !== 'fk' && f.kind !== 'm2m'));
}

function keyedColumns(model: ModelMeta): Map<string, { source: string; key: string; field: FieldMeta }> {
  const out = new Map<string, { source: string; key: string; field: FieldMeta }>();
  for (const c of csvColumns(model)) {
    const source = c.source ? model.source(c.source) : undefined;
    if (c.key === undefined || !source || source.field.read_only) continue;
    out.set(c.field.name, { source: source.name, key: c.key, field: c.field });
  }
  return out;
}

/**
 * CSV export of a filtered list and atomic CSV import (every row or none; errors per row), both
 * through the engines the REST API uses.
 */
@Injectable()
export class CsvView {
  constructor(@Inject(ViewSupport) private readonly s: ViewSupport) {}

  /** `?export=csv`: every object matching the list's filters, streamed a page at a time. */
  async export(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const s = this.s;
    await new CsvExporter(s.reads, s.ui.models.models).stream(
      s.actor(req),
      model,
      { params: s.filterParams(req) },
      res,
      `${model.app_label}_${model.model}.csv`,
    );
  }

  /** `?export=<name>`: an export template (or another ListExports provider) over the filtered list. */
  async templateExport(model: ModelMeta, name: string, req: Request, res: Response): Promise<void> {
    const s = this.s;
    const result = await renderListExport(
      s.reads,
      s.ui.ctx.registries.get(ListExports),
      s.actor(req),
      model,
      name,
      { params: s.filterParams(req) },
      s.baseUrl(req),
    );
    res.setHeader('Content-Type', `${result.mime_type}; charset=utf-8`);
    res.setHeader('Content-Disposition', exportDisposition(result));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', EXPORT_CSP);
    res.send(result.content);
  }

  private async assertCanImport(req: Request, model: ModelMeta): Promise<void> {
    if (model.read_only) throw new PermissionDeniedError(`${this.s.ui.models.plural(model)} are read-only.`);
    await this.s.authz.assert(this.s.ui.user(req), 'add', model.label);
  }

  async form(
    model: ModelMeta,
    req: Request,
    res: Response,
    data: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    await this.assertCanImport(req, model);
    const base = this.s.ui.models.path(model);
    await this.s.ui.send(
      req,
      res,
      'import.njk',
      {
        title: `Import ${this.s.ui.models.plural(model)}`,
        model,
        list_url: base,
        action: `${base}import/`,
        fields: editableFields(model)
          .filter((f) => !f.write_only || f.kind !== 'password')
          .map((f) => ({
            name: f.name,
            label: f.label,
            required: isRequired(f),
            accepted: accepted(f),
            help_text: f.help_text ?? '',
          })),
        csv_data: '',
        row_errors: [],
        errors: [],
        ...data,
      },
      status,
    );
  }

  /** Turn CSV rows into write-path input: ids select updates, blank cells are left out. */
  private rowsToInput(model: ModelMeta, records: Record<string, string>[], errors: ImportRowError[]) {
    const creates: { line: number; data: Rec }[] = [];
    const updates: { line: number; data: AnyRecord }[] = [];
    const keyed = keyedColumns(model);
    records.forEach((rec, i) => {
      const line = i + 2;
      const data: Rec = {};
      for (const [name, raw] of Object.entries(rec)) {
        // Exported cells that looked like formulas carry a leading `'`: taken off again here.
        const value = unneutralizeCsvCell(raw ?? '');
        if (name === 'id' || value === '') continue;
        const column = keyed.get(name);
        if (column) {
          // One key of an object-valued source (`cf_<key>`): the source parses the text.
          const obj = (data[column.source] ??= {}) as Record<string, unknown>;
          obj[column.key] = value;
          continue;
        }
        const f = model.field(name)!;
        if (f.kind === 'm2m' || f.kind === 'array') {
          const items = value
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          data[name] = f.item === 'integer' ? items.map((x) => (/^-?\d+$/.test(x) ? Number(x) : x)) : items;
        } else if (f.kind === 'json') {
          try {
            data[name] = JSON.parse(value) as unknown;
          } catch (e) {
            errors.push({ line, field: name, message: `Invalid JSON: ${(e as Error).message}` });
          }
        } else {
          data[name] = value;
        }
      }
      if (rec.id) updates.push({ line, data: { ...data, id: String(rec.id) } });
      else creates.push({ line, data });
    });
    return { creates, updates };
  }

  async import(model: ModelMeta, req: Request, res: Response): Promise<void> {
    const s = this.s;
    await this.assertCanImport(req, model);
    const body = (req.body ?? {}) as FormBody;
    const text = one(body.csv_data);
    const rerender = (errors: string[], rowErrors: ImportRowError[] = []) =>
      this.form(model, req, res, { csv_data: text, errors, row_errors: rowErrors }, 400);
    let records: Record<string, string>[];
    try {
      records = parse(text, {
        columns: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
        relax_column_count: false,
      });
    } catch (e) {
      return rerender([`The CSV could not be read: ${(e as Error).message}`]);
    }
    if (records.length === 0)
      return rerender(['No rows to import: give a header line and at least one row.']);
    const writable = new Set([...editableFields(model).map((f) => f.name), ...keyedColumns(model).keys()]);
    const ignored = new Set([
      'created',
      'last_updated',
      ...model.fields.filter((f) => f.read_only).map((f) => f.name),
    ]);
    const columns = Object.keys(records[0]);
    const unknown = columns.filter((c) => c !== 'id' && !writable.has(c) && !ignored.has(c));
    if (unknown.length) return rerender(unknown.map((c) => `Unknown column "${c}".`));
    for (const r of records) for (const c of ignored) delete r[c];

    const rowErrors: ImportRowError[] = [];
    const { creates, updates } = this.rowsToInput(model, records, rowErrors);
    if (rowErrors.length) return rerender([], rowErrors);
    let batch: { line: number }[] = creates;
    try {
      await s.ui.objects.transaction(
        async (tx) => {
          if (creates.length)
            await tx.objects.create(
              model.label,
              creates.map((c) => c.data),
            );
          batch = updates;
          if (updates.length)
            await tx.objects.update(
              model.label,
              updates.map((u) => u.data),
              { partial: true },
            );
        },
        { source: 'import' },
      );
    } catch (e) {
      // A single update row whose id does not exist (bulk updates report it per row).
      if (e instanceof NotFoundError && batch === updates) {
        rowErrors.push({ line: updates[0].line, field: 'id', message: 'Object not found.' });
        return rerender(['Nothing was imported: 1 error(s).'], rowErrors);
      }
      if (!(e instanceof ValidationError)) throw e;
      const maps: FieldErrors[] = Array.isArray(e.errors) ? e.errors : [e.errors];
      maps.forEach((m, i) => {
        for (const [field, msgs] of Object.entries(m))
          for (const message of msgs) rowErrors.push({ line: batch[i]?.line ?? 0, field, message });
      });
      return rerender([`Nothing was imported: ${rowErrors.length} error(s).`], rowErrors);
    }
    const parts = [
      creates.length ? `${creates.length} created` : '',
      updates.length ? `${updates.length} updated` : '',
    ];
    s.ui.flash(
      res,
      'success',
      `Imported ${records.length} ${model.verbose_name_plural} (${parts.filter(Boolean).join(', ')})`,
    );
    s.ui.redirect(res, s.ui.models.path(model));
  }
}
