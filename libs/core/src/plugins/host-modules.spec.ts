import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isHostModule } from './host-modules';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A package in `dir/node_modules` whose export says which copy it is. */
function fakePackage(dir: string, name: string): void {
  write(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  write(path.join(dir, 'node_modules', name, 'index.js'), `module.exports = { copy: 'plugin' };`);
}

/**
 * Runs in a plain Node child: Jest resolves modules itself, without Node's Module._resolveFilename,
 * which is what the hook changes.
 */
function run(script: string): unknown {
  const out = execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
  return JSON.parse(out) as unknown;
}

describe('host modules for plugins outside the tree', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-host-modules-'));
    // A plugin with its own copies of the SDK and Nest, and a dependency of its own.
    const outside = path.join(tmp, 'outside');
    for (const name of ['@plinth/plugin-sdk', '@nestjs/common', 'left-pad']) fakePackage(outside, name);
    write(
      path.join(outside, 'dist', 'index.js'),
      `module.exports = {
        sdk: require('@plinth/plugin-sdk'),
        nest: require('@nestjs/common'),
        typeorm: typeof require('typeorm').DataSource,
        own: require('left-pad'),
        resolvedWithPaths: require.resolve('@plinth/plugin-sdk', { paths: [__dirname] }),
      };`,
    );
    write(path.join(outside, 'dist', 'sdk.js'), `module.exports = require('@plinth/plugin-sdk');`);
    // A plugin without node_modules: it resolves to the host's copies anyway.
    write(path.join(tmp, 'plain', 'index.js'), 'module.exports = {};');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('names the shared packages', () => {
    for (const r of [
      '@plinth/plugin-sdk',
      '@plinth/plugin-sdk/testing',
      '@plinth/extras',
      '@nestjs/common',
      '@nestjs/core/injector',
      'typeorm',
      'class-validator',
      'class-transformer',
      'reflect-metadata',
      'graphql/language',
      'rxjs/operators',
    ])
      expect([r, isHostModule(r)]).toEqual([r, true]);
    for (const r of [
      './local',
      '../up',
      '/abs/path',
      'node:fs',
      'fs',
      'left-pad',
      'typeorm-extra',
      '@acme/sdk',
    ])
      expect([r, isHostModule(r)]).toEqual([r, false]);
  });

  it("resolves the shared packages of an outside plugin to the host's copies, and nothing else", () => {
    const result = run(`
      const { shareHostModules } = require('./host-modules');
      const hooked = shareHostModules(${JSON.stringify(path.join(tmp, 'outside'))});
      const plain = shareHostModules(${JSON.stringify(path.join(tmp, 'plain'))});
      const plugin = require(${JSON.stringify(path.join(tmp, 'outside', 'dist', 'index.js'))});
      process.stdout.write(JSON.stringify({
        hooked,
        plain,
        sdkIsHost: plugin.sdk === require('@plinth/plugin-sdk'),
        nestIsHost: plugin.nest === require('@nestjs/common'),
        typeorm: plugin.typeorm,
        own: plugin.own,
        resolvedWithPaths: plugin.resolvedWithPaths,
      }));
    `);
    expect(result).toEqual({
      hooked: true,
      plain: false,
      sdkIsHost: true,
      nestIsHost: true,
      typeorm: 'function',
      own: { copy: 'plugin' },
      resolvedWithPaths: path.join(fs.realpathSync(tmp), 'outside/node_modules/@plinth/plugin-sdk/index.js'),
    });
  });

  it('leaves the plugin alone without the hook (the control)', () => {
    const result = run(`
      const sdk = require(${JSON.stringify(path.join(tmp, 'outside', 'dist', 'sdk.js'))});
      process.stdout.write(JSON.stringify({ sdk }));
    `);
    expect(result).toEqual({ sdk: { copy: 'plugin' } });
  });
});
