import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScaffoldError, pluginNames, scaffoldPlugin } from './index';

const VERSIONS = { plinth: '0.1.0', hostPeers: { '@nestjs/common': '^11.2.10', typeorm: '^1.1.1' } };

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScaffoldError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a ScaffoldError');
}

describe('plinth plugin new', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-scaffold-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('derives the plugin name, base URL and class names from the folder name', () => {
    expect(pluginNames('acme-widgets')).toEqual({
      folder: 'acme-widgets',
      name: 'acme_widgets',
      baseUrl: 'acme-widgets',
      className: 'AcmeWidgets',
      verboseName: 'Acme Widgets',
    });
    expect(pluginNames('netbox_sync2')).toMatchObject({ name: 'netbox_sync2', baseUrl: 'netbox-sync2' });
  });

  it('refuses bad names with one line naming the plugin and the allowed characters', () => {
    expect(failure(() => pluginNames('Acme-Widgets'))).toBe(
      'plugin "Acme-Widgets": the name may only contain lower-case letters, digits, - and _, starting with a letter (e.g. "acme-widgets")',
    );
    expect(failure(() => pluginNames('2fast'))).toBe(
      'plugin "2fast": the name may only contain lower-case letters, digits, - and _, starting with a letter',
    );
    expect(failure(() => pluginNames('acme.widgets'))).toMatch(/^plugin "acme\.widgets": the name may only/);
    expect(failure(() => pluginNames('a'.repeat(41)))).toMatch(/is longer than 40 characters/);
    expect(failure(() => pluginNames('core'))).toBe(
      'plugin "core": name "core" is reserved for the platform',
    );
    expect(failure(() => pluginNames('dcim', ['users', 'dcim']))).toBe(
      'plugin "dcim": "dcim" is the name of a built-in plugin',
    );
  });

  it('writes a project whose names, model, migration and test agree', () => {
    const result = scaffoldPlugin({
      folder: 'acme-widgets',
      parent: tmp,
      versions: VERSIONS,
      timestamp: 1700000000000,
    });
    expect(result.dir).toBe(path.join(tmp, 'acme-widgets'));
    expect(result.files).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/index.ts',
      'src/migrations/1700000000000-AcmeWidgetsInitial.ts',
      'src/widget.ts',
      'src/widgets.test.ts',
      'tsconfig.json',
    ]);
    const read = (f: string) => fs.readFileSync(path.join(result.dir, f), 'utf8');
    const pkg = JSON.parse(read('package.json'));
    expect(pkg).toMatchObject({
      name: 'acme-widgets',
      plinth: { plugin: './dist/index.js' },
      peerDependencies: { '@plinth/plugin-sdk': '^0.1.0', '@nestjs/common': '^11.2.10', typeorm: '^1.1.1' },
      devDependencies: {
        '@plinth/plugin-sdk': '0.1.0',
        '@plinth/testing': '0.1.0',
        typescript: expect.any(String),
      },
    });
    const tsconfig = JSON.parse(read('tsconfig.json')).compilerOptions;
    expect(tsconfig).toMatchObject({
      strict: true,
      module: 'commonjs',
      target: 'ES2022',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      declaration: true,
    });
    const index = read('src/index.ts');
    expect(index).toContain("name: 'acme_widgets'");
    expect(index).toContain("base_url: 'acme-widgets'");
    expect(index).toContain(
      "import { AcmeWidgetsInitial1700000000000 } from './migrations/1700000000000-AcmeWidgetsInitial';",
    );
    expect(read('src/widget.ts')).toContain("@Entity('acme_widgets_widget')");
    const migration = read('src/migrations/1700000000000-AcmeWidgetsInitial.ts');
    expect(migration).toContain('CREATE TABLE "acme_widgets_widget"');
    // TypeORM's names for this table's constraints: what makemigrations would write.
    expect(migration).toMatch(
      /CONSTRAINT "UQ_[0-9a-f]{27}" UNIQUE \("name"\), CONSTRAINT "PK_[0-9a-f]{27}" PRIMARY KEY \("id"\)/,
    );
    expect(read('src/widgets.test.ts')).toContain("'/api/plugins/acme-widgets/widgets/'");
  });

  it('never overwrites, and keeps plugins out of the Plinth source tree', () => {
    fs.mkdirSync(path.join(tmp, 'taken'));
    fs.writeFileSync(path.join(tmp, 'taken', 'keep.txt'), 'mine');
    expect(failure(() => scaffoldPlugin({ folder: 'taken', parent: tmp, versions: VERSIONS }))).toBe(
      `plugin "taken": ${path.join(tmp, 'taken')} already exists and is not empty`,
    );
    expect(fs.readFileSync(path.join(tmp, 'taken', 'keep.txt'), 'utf8')).toBe('mine');

    const repo = path.resolve(__dirname, '../../../..');
    expect(
      failure(() =>
        scaffoldPlugin({ folder: 'inside', parent: path.join(repo, 'plugins'), versions: VERSIONS }),
      ),
    ).toBe(
      `plugin "inside": ${path.join(repo, 'plugins', 'inside')} would be inside the Plinth source tree (${repo}); plugins live in their own folder: use --dir <parent>`,
    );
    expect(fs.existsSync(path.join(repo, 'plugins', 'inside'))).toBe(false);
  });
});
