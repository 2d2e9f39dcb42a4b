import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecretError, type DatasourceContent, type SecretsProvider } from '@plinth/plugin-sdk';

/**
 * A secrets provider of the example plugin: an environment variable holding the value base64
 * encoded (as container orchestrators often hand secrets over).
 */
export const base64EnvironmentProvider: SecretsProvider = {
  slug: 'example-base64-env',
  label: 'Base64 Environment Variable (example)',
  parameters: [{ name: 'variable', label: 'Variable', pattern: '[A-Za-z_][A-Za-z0-9_]*' }],
  get(parameters, ctx) {
    const encoded = process.env[parameters.variable];
    if (encoded === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded.trim()))
      throw new SecretError(`Secret "${ctx.secret}": ${parameters.variable} is not set to a base64 value.`);
    return Promise.resolve(Buffer.from(encoded.trim(), 'base64').toString('utf8'));
  },
};

const marker = (slug: string) => `Provided by Git repository ${slug}.`;

/**
 * A Git content handler of the example plugin: `widgets.txt` of a repository lists widget names,
 * one a line; each becomes a widget (marked in its description as the repository's), widgets no
 * longer listed are deleted, and all of them when the repository goes or stops providing widgets.
 */
export const widgetsContent: DatasourceContent = {
  name: 'example.widgets',
  label: 'widgets (example)',
  content_types: ['example.widget'],
  async callback(repository, checkout, ctx) {
    const mine = await ctx.objects.find('example.widget', { description: marker(repository.slug) });
    let names: string[] = [];
    if (checkout) {
      const text = await fs.readFile(path.join(checkout, 'widgets.txt'), 'utf8').catch(() => '');
      names = [
        ...new Set(
          text
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        ),
      ];
    }
    const have = new Set(mine.map((w) => String(w.name)));
    const missing = names.filter((n) => !have.has(n));
    if (missing.length)
      await ctx.objects.create(
        'example.widget',
        missing.map((name) => ({ name, status: 'Active', description: marker(repository.slug) })),
      );
    const gone = mine.filter((w) => !names.includes(String(w.name)));
    if (gone.length)
      await ctx.objects.delete(
        'example.widget',
        gone.map((w) => String(w.id)),
      );
    ctx.log(`Widgets: ${missing.length} created, ${gone.length} deleted.`);
  },
};
