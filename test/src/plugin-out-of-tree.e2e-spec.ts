import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { onDatabase, testDatabaseKind } from '@plinth/testing';
import { ROOT, plinth, start, type Run } from './cli-helpers';

/**
 * The promise made to plugin authors: a plugin written in its own folder, outside this
 * repository, with only the README and the packed SDK, builds, passes its own tests and runs in
 * Plinth. Every step is what the README tells an author to type.
 */

const TOKEN = 'c'.repeat(40);
const PLUGIN = 'acme-widgets';

// The plugin boots the same platform whichever database the suite uses (its own tests run on
// PGlite): on PostgreSQL this would only repeat itself.
const describeOnce = testDatabaseKind() === 'pglite' ? describe : describe.skip;

/**
 * The environment of a shell outside this repository: nothing of the npm script running the
 * suite (its prefix would point npm at this repository) or of the test setup leaks in; npm's
 * cache and registry settings stay.
 */
function outsideEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('PLINTH_') || k === 'NODE_OPTIONS' || k === 'INIT_CWD') continue;
    if (
      k.toLowerCase().startsWith('npm_') &&
      !/^npm_config_(cache|registry|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i.test(
        k,
      )
    )
      continue;
    env[k] = v;
  }
  return { ...env, PLINTH_LOG_LEVEL: 'warn', ...extra };
}

function run(command: string, args: string[], cwd: string, env = outsideEnv()): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Fails with the command's output, which says what went wrong. */
function expectSuccess(res: Run): void {
  if (res.code !== 0) throw new Error(`exit ${res.code}\n${res.out}\n${res.err}`);
}

describeOnce(onDatabase('a plugin written outside the repository'), () => {
  let tmp: string;
  let dir: string;
  let tarballs: string[];
  const timings: string[] = [];
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      timings.push(`${step} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };

  beforeAll(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-out-of-tree-')));
    dir = path.join(tmp, PLUGIN);
  });
  afterAll(() => {
    process.stdout.write(`out-of-tree plugin: ${timings.join(', ')}\n`);
    // The plugin's node_modules is the whole platform (hundreds of MB): deleting it can take
    // longer than everything else on a busy disk, and nothing waits for it.
    if (process.platform === 'win32') fs.rmSync(tmp, { recursive: true, force: true });
    else spawn('rm', ['-rf', tmp], { detached: true, stdio: 'ignore' }).unref();
  });

  it('packs the runtime packages', async () => {
    const res = await timed('pack', () =>
      run(
        process.execPath,
        ['scripts/pack-packages.js', '--no-build', '--out', path.join(tmp, 'packages')],
        ROOT,
      ),
    );
    expectSuccess(res);
    tarballs = res.out.trim().split('\n');
    const names = tarballs.map((t) => path.basename(t));
    for (const name of ['plinth-plugin-sdk', 'plinth-testing', 'plinth-core', 'plinth-server', 'plinth-cli'])
      expect(names).toContainEqual(expect.stringMatching(new RegExp(`^${name}-\\d+\\.\\d+\\.\\d+\\.tgz$`)));
  });

  it('scaffolds the plugin with `plinth plugin new`', async () => {
    const res = await timed('plugin new', () =>
      plinth(['plugin', 'new', PLUGIN, '--dir', tmp], outsideEnv()),
    );
    expectSuccess(res);
    expect(res.out).toContain(`Created plugin "acme_widgets" in ${dir}:`);
    expect(fs.existsSync(path.join(dir, 'src', 'widgets.test.ts'))).toBe(true);
  });

  it('installs the SDK and the test kit from the tarballs, with nothing of the repository', async () => {
    const res = await timed('npm install', () =>
      run('npm', ['install', '-D', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], dir),
    );
    expectSuccess(res);
    expectSuccess(await timed('npm ls', () => run('npm', ['ls', '--all'], dir)));
    for (const pkg of ['@plinth/plugin-sdk', '@plinth/testing', '@nestjs/common', 'typeorm']) {
      const installed = path.join(dir, 'node_modules', pkg);
      expect([pkg, fs.lstatSync(installed).isSymbolicLink()]).toEqual([pkg, false]);
      expect(fs.realpathSync(installed).startsWith(ROOT)).toBe(false);
    }
  }, 300_000);

  it('builds and passes its own tests (node --test on createTestApp)', async () => {
    expectSuccess(await timed('build', () => run('npm', ['run', 'build'], dir)));
    const test = await timed('plugin tests', () => run('npm', ['test'], dir));
    expectSuccess(test);
    expect(test.out).toMatch(/^# pass 3$/m);
    expect(test.out).toMatch(/^# fail 0$/m);
  }, 180_000);

  it('has an initial migration that matches its model (makemigrations finds nothing to do)', async () => {
    const res = await timed('makemigrations', () =>
      plinth(['makemigrations', 'acme_widgets'], outsideEnv({ PLINTH_PLUGINS: dir })),
    );
    expectSuccess(res);
    expect(res.out.trim()).toBe('No changes detected.');
  });

  it('runs in Plinth started from the checkout with PLINTH_PLUGINS=<its folder>', async () => {
    const server = await timed('plinth start', () =>
      start(
        outsideEnv({
          PLINTH_DATA_DIR: path.join(tmp, 'data'),
          PLINTH_PLUGINS: dir,
          PLINTH_SUPERUSER_NAME: 'admin',
          PLINTH_SUPERUSER_PASSWORD: 'admin-password',
          PLINTH_SUPERUSER_API_TOKEN: TOKEN,
        }),
      ),
    );
    try {
      const get = (url: string) => request(server.url).get(url).set('Authorization', `Token ${TOKEN}`);
      const created = await request(server.url)
        .post('/api/plugins/acme-widgets/widgets/')
        .set('Authorization', `Token ${TOKEN}`)
        .send({ name: 'from-the-checkout' });
      expect(created.status).toBe(201);
      // Its fields are known (one copy of the SDK's field metadata), validation works (one
      // copy of the error classes), its controller is injected (one copy of Nest's tokens).
      const list = await get('/api/plugins/acme-widgets/widgets/');
      expect(list.status).toBe(200);
      expect(list.body.results).toEqual([
        expect.objectContaining({
          object_type: 'acme_widgets.widget',
          name: 'from-the-checkout',
          description: '',
        }),
      ]);
      const duplicate = await request(server.url)
        .post('/api/plugins/acme-widgets/widgets/')
        .set('Authorization', `Token ${TOKEN}`)
        .send({ name: 'from-the-checkout' });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body).toEqual({ name: [expect.any(String)] });
      expect((await get('/api/plugins/acme-widgets/summary/')).body).toEqual({ widgets: 1 });

      const page = await get('/plugins/acme-widgets/widgets/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('from-the-checkout');

      const installed = await get('/api/plugins/installed-plugins/');
      expect(installed.body).toEqual([
        expect.objectContaining({
          name: 'acme_widgets',
          package: PLUGIN,
          base_url: 'acme-widgets',
          models: [expect.objectContaining({ label: 'acme_widgets.widget' })],
          routes: ['GET /api/plugins/acme-widgets/summary'],
        }),
      ]);
    } finally {
      expect(await timed('plinth stop', () => server.stop())).toBe(0);
    }
  });

  it('uninstalls with `plinth plugins uninstall` once it is disabled', async () => {
    // Not in PLINTH_PLUGINS any more: the database says what it owns.
    const res = await timed('uninstall', () =>
      plinth(
        ['plugins', 'uninstall', 'acme_widgets', '--yes'],
        outsideEnv({ PLINTH_DATA_DIR: path.join(tmp, 'data') }),
      ),
    );
    expectSuccess(res);
    expect(res.out).toContain('table acme_widgets_widget (1 row)');
    expect(res.out).toContain('migration history plinth_migrations_acme_widgets');
    expect(res.out).toMatch(/change records: 1 row deleted/);
    expect(res.out).toContain('Uninstalled "acme_widgets".');
    expect(res.out).not.toContain('still enabled');
  });
});
