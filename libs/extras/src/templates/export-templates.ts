import { Inject, Injectable } from '@nestjs/common';
import {
  InjectSql,
  ValidationError,
  type ApiObject,
  type ListExport,
  type ListExportChoice,
  type ListExportResult,
  type ModelMeta,
  type SqlRunner,
} from '@plinth/plugin-sdk';
import { exportTemplatesOf } from './definitions';
import { TemplateEngine } from './engine';

/** Largest rendered export (characters). */
export const MAX_EXPORT_OUTPUT = 20_000_000;

/**
 * Export templates as list exports: `?export=<name>` on a model's REST list and the UI list's
 * Export menu render the filtered, permission-scoped list through the sandbox, as `queryset`.
 */
@Injectable()
export class ExportTemplateExports implements ListExport {
  constructor(
    @InjectSql() private readonly db: SqlRunner,
    @Inject(TemplateEngine) private readonly engine: TemplateEngine,
  ) {}

  async choices(model: ModelMeta): Promise<ListExportChoice[]> {
    if (!model.has('export_templates')) return [];
    return (await exportTemplatesOf(this.db, model.label)).map((t) => ({ name: t.name, label: t.name }));
  }

  async render(
    model: ModelMeta,
    name: string,
    objects: readonly ApiObject[],
  ): Promise<ListExportResult | null> {
    if (!model.has('export_templates')) return null;
    const template = (await exportTemplatesOf(this.db, model.label)).find((t) => t.name === name);
    if (!template) return null;
    // HTML and XML output escapes interpolated data; other formats are the template's business.
    const autoescape = /html|xml/i.test(template.mime_type);
    const [r] = await this.engine.renderMany(
      [{ source: template.template_code, context: { queryset: objects, model: model.label } }],
      { autoescape, max_output: MAX_EXPORT_OUTPUT },
    );
    if (!r.ok)
      throw ValidationError.field('export', `Export template "${name}" failed to render: ${r.error}`);
    const ext = template.file_extension ? `.${template.file_extension}` : '';
    return {
      content: r.output,
      mime_type: template.mime_type,
      filename: `${model.app_label}_${model.model}${ext}`,
      as_attachment: template.as_attachment,
    };
  }
}
