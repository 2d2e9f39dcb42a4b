import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DatasourceContent, DatasourceContext, GitRepositoryInfo } from '@plinth/plugin-sdk';
import { exportTemplateModel } from '../templates/models';
import { MAX_TEMPLATE_LENGTH } from '../templates/entities';

const MIME_TYPES: Record<string, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  csv: 'text/csv',
  xml: 'application/xml',
  html: 'text/html',
  md: 'text/markdown',
};

interface TemplateFile {
  content_type: string;
  name: string;
  template_code: string;
  file_extension: string;
  mime_type: string;
}

async function dirNames(dir: string, kind: 'dir' | 'file'): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => (kind === 'dir' ? e.isDirectory() : e.isFile()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** `export_templates/<app_label>/<model>/<name>.<ext>`, as Nautobot lays them out. */
async function readTemplates(checkout: string, log: (m: string) => void): Promise<TemplateFile[]> {
  const root = path.join(checkout, 'export_templates');
  const found: TemplateFile[] = [];
  for (const app of await dirNames(root, 'dir')) {
    for (const model of await dirNames(path.join(root, app), 'dir')) {
      for (const file of await dirNames(path.join(root, app, model), 'file')) {
        const stat = await fs.lstat(path.join(root, app, model, file));
        if (stat.size > MAX_TEMPLATE_LENGTH * 4) {
          log(`Skipped export_templates/${app}/${model}/${file}: larger than a template may be.`);
          continue;
        }
        const ext = path.extname(file).slice(1);
        found.push({
          content_type: `${app}.${model}`,
          name: file,
          template_code: await fs.readFile(path.join(root, app, model, file), 'utf8'),
          file_extension: /^[A-Za-z0-9]{1,15}$/.test(ext) ? ext : '',
          mime_type: MIME_TYPES[ext.toLowerCase()] ?? 'text/plain',
        });
      }
    }
  }
  return found;
}

function errorText(e: unknown): string {
  const errors = (e as { errors?: unknown }).errors;
  return errors ? JSON.stringify(errors) : (e as Error).message;
}

/**
 * The built-in `export templates` content: each file becomes an ExportTemplate owned by the
 * repository (created, updated to the file's content, deleted when the file is gone). A file
 * that is not a valid template is logged and skipped; the others are still loaded.
 */
export const exportTemplatesContent: DatasourceContent = {
  name: 'extras.exporttemplate',
  label: 'export templates',
  content_types: ['extras.exporttemplate'],
  async callback(repository: GitRepositoryInfo, checkout: string | null, ctx: DatasourceContext) {
    const owned = await ctx.objects.find(exportTemplateModel, { owner_object_id: repository.id });
    const files = checkout ? await readTemplates(checkout, ctx.log) : [];
    const key = (r: { content_type: unknown; name: unknown }) =>
      `${String(r.content_type)}/${String(r.name)}`;
    const existing = new Map(owned.map((r) => [key(r), r]));
    const kept = new Set<string>();
    for (const f of files) {
      const current = existing.get(key(f));
      try {
        if (current) {
          await ctx.objects.update(exportTemplateModel, [{ id: String(current.id), ...f }]);
          ctx.log(`Export template ${key(f)} updated.`);
        } else {
          await ctx.objects.create(exportTemplateModel, [{ ...f, as_attachment: true }]);
          ctx.log(`Export template ${key(f)} created.`);
        }
        kept.add(key(f));
      } catch (e) {
        ctx.log(`Export template ${key(f)} not loaded: ${errorText(e)}`);
        if (current) kept.add(key(f));
      }
    }
    const gone = owned.filter((r) => !kept.has(key(r)));
    if (gone.length) {
      await ctx.objects.delete(
        exportTemplateModel,
        gone.map((r) => String(r.id)),
      );
      for (const r of gone) ctx.log(`Export template ${key(r)} deleted.`);
    }
  },
};
