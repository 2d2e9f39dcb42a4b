import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Injectable } from '@nestjs/common';
import {
  InjectTemplateRenderer,
  type DatasourceContent,
  type DatasourceContext,
  type GitRepositoryInfo,
  type TemplateRenderer,
} from '@plinth/plugin-sdk';
import { configTemplateModel } from '../models';

/** File names taken as templates. */
const TEMPLATE_FILE = /\.(j2|jinja|jinja2|njk)$/i;
/** Larger files are skipped (a template, not a data dump). */
const MAX_TEMPLATE_BYTES = 1_000_000;

/** Template files of a checkout, by repository-relative path (`/`-separated). */
async function templateFiles(root: string, log: (m: string) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && TEMPLATE_FILE.test(entry.name)) {
        const rel = path.relative(root, full).split(path.sep).join('/');
        const stat = await fs.stat(full);
        if (stat.size > MAX_TEMPLATE_BYTES) log(`Skipped ${rel}: larger than 1 MB.`);
        else out.set(rel, await fs.readFile(full, 'utf8'));
      }
    }
  };
  await walk(root);
  return out;
}

/**
 * "golden config intended templates": every `.j2`/`.jinja`/`.jinja2`/`.njk` file of the
 * repository becomes a config template (path and source), rendered later by the "Generate
 * intended configurations" job in the sandbox. Templates gone from the repository are deleted,
 * all of them when the repository goes or stops providing templates.
 */
@Injectable()
export class IntendedTemplatesContent implements DatasourceContent {
  readonly name = 'golden_config.intended_templates';
  readonly label = 'golden config intended templates';
  readonly content_types = ['golden_config.configtemplate'];

  constructor(@InjectTemplateRenderer() private readonly renderer: TemplateRenderer) {}

  async callback(
    repository: GitRepositoryInfo,
    checkout: string | null,
    ctx: DatasourceContext,
  ): Promise<void> {
    const files = checkout ? await templateFiles(checkout, ctx.log) : new Map<string, string>();
    const mine = await ctx.objects.find(configTemplateModel, { repository: repository.id });
    const byPath = new Map(mine.map((t) => [t.path, t]));
    const created: { repository: string; path: string; template: string }[] = [];
    const changed: { id: string; template: string }[] = [];
    for (const [p, source] of files) {
      const syntax = this.renderer.syntaxError(source);
      if (syntax) ctx.log(`Template ${p} has a syntax error (devices using it will fail): ${syntax}`);
      const have = byPath.get(p);
      if (!have) created.push({ repository: repository.id, path: p, template: source });
      else if (have.template !== source) changed.push({ id: have.id, template: source });
    }
    const gone = mine.filter((t) => !files.has(t.path)).map((t) => t.id);
    if (created.length) await ctx.objects.create(configTemplateModel, created);
    if (changed.length) await ctx.objects.update(configTemplateModel, changed);
    if (gone.length) await ctx.objects.delete(configTemplateModel, gone);
    ctx.log(
      `Golden config templates: ${created.length} created, ${changed.length} updated, ${gone.length} deleted.`,
    );
  }
}
