import { DefaultNamingStrategy } from 'typeorm';
import type { PluginNames } from './names';

/** Versions the generated package.json asks for. */
export interface ScaffoldVersions {
  /** This Plinth's version: the SDK and test kit the plugin is written against. */
  plinth: string;
  /** The SDK's peer dependencies (Nest, TypeORM, ...): the host provides them. */
  hostPeers: Record<string, string>;
}

/** The model every new plugin starts with. */
export function widgetTable(n: PluginNames): string {
  return `${n.name}_widget`;
}

/**
 * The schema of the starting model, as `plinth makemigrations` writes it for the entity in
 * `widget.ts`: same statements, same constraint names (TypeORM's default naming strategy),
 * so that makemigrations finds nothing to do on a new plugin.
 */
export function initialMigration(n: PluginNames): { up: string[]; down: string[] } {
  const table = widgetTable(n);
  const naming = new DefaultNamingStrategy();
  const unique = naming.uniqueConstraintName(table, ['name']);
  const primary = naming.primaryKeyName(table, ['id']);
  const gin = `${table}_cfdata_gin`.slice(0, 63);
  return {
    up: [
      `CREATE TABLE "${table}" (` +
        `"id" uuid NOT NULL DEFAULT gen_random_uuid(), ` +
        `"created" TIMESTAMP WITH TIME ZONE NOT NULL, ` +
        `"last_updated" TIMESTAMP WITH TIME ZONE NOT NULL, ` +
        `"_custom_field_data" jsonb NOT NULL DEFAULT '{}', ` +
        `"name" character varying(100) NOT NULL, ` +
        `"description" text NOT NULL DEFAULT '', ` +
        `CONSTRAINT "${unique}" UNIQUE ("name"), ` +
        `CONSTRAINT "${primary}" PRIMARY KEY ("id"))`,
      // What the custom fields feature asks of every model with it (cf_ filters use it).
      `CREATE INDEX "${gin}" ON "${table}" USING gin ("_custom_field_data" jsonb_path_ops)`,
    ],
    down: [`DROP INDEX "public"."${gin}"`, `DROP TABLE "${table}"`],
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function packageJson(n: PluginNames, v: ScaffoldVersions): string {
  const peers: Record<string, string> = { '@plinth/plugin-sdk': `^${v.plinth}`, ...v.hostPeers };
  return json({
    name: n.folder,
    version: '0.1.0',
    description: `${n.verboseName}: a Plinth plugin`,
    license: 'UNLICENSED',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist', '!dist/**/*.test.*'],
    engines: { node: '>=20.19' },
    plinth: { plugin: './dist/index.js' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'node --test dist/*.test.js',
    },
    // Plinth provides these when it loads the plugin; the plugin never bundles its own.
    peerDependencies: peers,
    devDependencies: sortKeys({
      ...peers,
      '@plinth/plugin-sdk': v.plinth,
      '@plinth/testing': v.plinth,
      '@types/node': '^20.19.0',
      typescript: '~5.9.3',
    }),
  });
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

export function tsconfig(): string {
  return json({
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      // Plinth's models and Nest's providers are decorated classes.
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      declaration: true,
      sourceMap: true,
      esModuleInterop: true,
      skipLibCheck: true,
      forceConsistentCasingInFileNames: true,
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  });
}

export function gitignore(): string {
  return 'node_modules/\ndist/\n';
}

export function widgetSource(n: PluginNames): string {
  return `import { Entity } from 'typeorm';
import { Field, PRIMARY_FEATURES, PrimaryModel, defineModel } from '@plinth/plugin-sdk';

/**
 * The plugin's model. After changing its fields, write a migration for them:
 * \`PLINTH_PLUGINS=$PWD npx plinth makemigrations ${n.name} --name <Change>\`, then add the new
 * class to \`migrations\` in index.ts.
 */
@Entity('${widgetTable(n)}') // tables are prefixed with the plugin name
export class Widget extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.text({ blank: true, search: true })
  description!: string;
}

/** REST endpoints, web pages, filters and the change log all come from this declaration. */
export const widgetModel = defineModel({
  entity: Widget,
  model: 'widget',
  features: PRIMARY_FEATURES,
  list_fields: ['name', 'description'],
});
`;
}

export function indexSource(
  n: PluginNames,
  migration: { className: string; module: string },
  v: ScaffoldVersions,
): string {
  const label = `${n.name}.widget`;
  return `import { Controller, Get, Inject, Module } from '@nestjs/common';
import {
  Navigation,
  READS,
  RequestContext,
  asUser,
  contribute,
  definePlugin,
  type ReadService,
} from '@plinth/plugin-sdk';
import { ${migration.className} } from './${migration.module}';
import { widgetModel } from './widget';

/** A hand-written endpoint next to the generated ones: GET /api/plugins/${n.baseUrl}/summary/. */
@Controller('api/plugins/${n.baseUrl}/summary')
export class SummaryController {
  constructor(@Inject(READS) private readonly reads: ReadService) {}

  /** Counts the widgets the requesting user may view (403 when none). */
  @Get()
  async summary(): Promise<{ widgets: number }> {
    const user = RequestContext.current()?.user ?? null;
    return { widgets: await this.reads.count(asUser(user), widgetModel) };
  }
}

@Module({ controllers: [SummaryController] })
export class ${n.className}Module {}

export default definePlugin({
  name: '${n.name}',
  verbose_name: '${n.verboseName}',
  version: '0.1.0',
  description: '${n.verboseName}: widgets, with their REST API and web pages.',
  base_url: '${n.baseUrl}',
  min_version: '${v.plinth}',
  module: ${n.className}Module,
  models: [widgetModel],
  migrations: [${migration.className}],
  contributions: [
    contribute(Navigation, {
      name: 'Plugins',
      groups: [{ name: '${n.verboseName}', items: [{ model: '${label}' }] }],
    }),
  ],
});
`;
}

export function testSource(n: PluginNames): string {
  return `import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '@plinth/testing';

const WIDGETS = '/api/plugins/${n.baseUrl}/widgets/';

describe('${n.name}', () => {
  let t: TestApp;

  before(async () => {
    // Plinth, on a fresh in-memory database, with this plugin (its compiled dist/) enabled.
    t = await createTestApp({ plugins: [path.resolve(__dirname, '..')] });
  });
  after(async () => {
    await t?.close();
  });

  it('creates and lists widgets through the REST API', async () => {
    const created = await t.api.post(WIDGETS, { name: 'first', description: 'The first one' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.object_type, '${n.name}.widget');

    const list = await t.api.get(\`\${WIDGETS}?q=first\`);
    assert.equal(list.status, 200);
    assert.equal(list.body.count, 1);
    assert.equal(list.body.results[0].name, 'first');
  });

  it('validates input', async () => {
    const duplicate = await t.api.post(WIDGETS, { name: 'first' });
    assert.equal(duplicate.status, 400);
    assert.ok(duplicate.body.name, JSON.stringify(duplicate.body));
  });

  it('serves its own endpoint', async () => {
    const summary = await t.api.get('/api/plugins/${n.baseUrl}/summary/');
    assert.equal(summary.status, 200);
    assert.deepEqual(summary.body, { widgets: 1 });
  });
});
`;
}

export function readme(n: PluginNames, v: ScaffoldVersions): string {
  return `# ${n.verboseName}

A Plinth plugin. Plugin name \`${n.name}\` (its tables are prefixed
\`${n.name}_\`, its settings live under \`plugins_config.${n.name}\`, its models are
\`${n.name}.<model>\`); it is served under \`/plugins/${n.baseUrl}/\` and
\`/api/plugins/${n.baseUrl}/\`.

## Layout

| file | what |
| --- | --- |
| \`src/index.ts\` | the manifest (\`definePlugin\`), the Nest module and a hand-written endpoint |
| \`src/widget.ts\` | the \`Widget\` model: a TypeORM entity with Plinth fields, and its declaration |
| \`src/migrations/\` | the database migrations of the plugin's tables |
| \`src/widgets.test.ts\` | tests: Plinth with this plugin, on an in-memory database (\`node --test\`) |

## Develop

Plinth is not on a registry yet: install its packages from tarballs packed in a Plinth
checkout (\`npm run pack:packages\` writes them to \`dist/packages/\`):

\`\`\`sh
npm install -D /path/to/plinth/dist/packages/*.tgz
npm run build
npm test
\`\`\`

\`@plinth/plugin-sdk\`, \`@nestjs/*\`, \`typeorm\`, \`class-validator\` and \`reflect-metadata\` are peer
dependencies: Plinth ${v.plinth} provides them when it loads the plugin, and uses its own copies
even when this folder has others in \`node_modules\`.

After changing a model, write a migration (the Plinth command line is one of the installed
packages):

\`\`\`sh
npm run build
PLINTH_PLUGINS=$PWD npx plinth makemigrations ${n.name} --name AddColour
\`\`\`

then add the new class to \`migrations\` in \`src/index.ts\`.

## Run it in Plinth

From a Plinth checkout or installation:

\`\`\`sh
PLINTH_PLUGINS=/path/to/${n.folder} npm start
\`\`\`

The widgets are at \`/plugins/${n.baseUrl}/widgets/\` and \`/api/plugins/${n.baseUrl}/widgets/\`.
To remove the plugin and its data: \`npx plinth plugins uninstall ${n.name}\`.
`;
}
