#!/usr/bin/env node
import '@plinth/core/dist/production-env';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as v8 from 'node:v8';
import { Command } from 'commander';
import type { INestApplicationContext } from '@nestjs/common';
import {
  PLINTH_VERSION,
  buildContext,
  discoverPlugins,
  createApp,
  diffSchema,
  labelForeignKeys,
  featureIndexesOf,
  ensureSuperuser,
  loadConfig,
  loadPlugins,
  openApp,
  migrate,
  planUninstall,
  uninstallPlugin,
  type UninstallPlan,
  migrationSets,
  pendingMigrations,
  QueueService,
  assertMigrated,
  restoreBackup,
  runInstallHooks,
  writeBackup,
  writeMigration,
  ModelRegistry,
  type PlinthConfig,
  type PlinthContext,
} from '@plinth/core';
import { CliCommands, OBJECTS, type CliCommand, type ObjectsService } from '@plinth/plugin-sdk';
import { serve } from '@plinth/server';
import { JOB_RUNNER_MODULES, startWorker, workerQueues } from '@plinth/worker';
import { generateDemoData, SCALES, type Scale } from '@plinth/demo-data';
import { progressBar } from './progress';
import { plinthCheckout, scaffoldPlugin } from './scaffold';

const print = (m: string): void => void process.stdout.write(`${m}\n`);

function fail(e: unknown): never {
  process.stderr.write(`plinth: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
}

/**
 * An app without HTTP, for commands that read or write data. Like `plinth start`, it migrates an
 * embedded database first; on PostgreSQL it refuses to run until `plinth migrate` has.
 */
async function withApp<T>(
  config: PlinthConfig,
  fn: (app: INestApplicationContext, ctx: PlinthContext) => Promise<T>,
): Promise<T> {
  const { app, ctx } = await openApp(config, {
    http: false,
    modules: JOB_RUNNER_MODULES,
    logger: ['error', 'warn'],
    migrationLog: (m) => print(`  ${m}`),
  });
  try {
    return await fn(app, ctx);
  } finally {
    await app.close();
  }
}

function ask(question: string, hidden = false): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (hidden) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    out._writeToOutput = (s: string) => {
      if (s.startsWith(question)) out.output.write(s);
    };
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

const program = new Command('plinth').description('Plinth network source of truth').showHelpAfterError();

program
  .command('start')
  .description('migrate (embedded database) and serve the web UI and APIs on PORT')
  .action(async () => {
    await serve(loadConfig(), print);
  });

program
  .command('worker')
  .description('run a queue worker (needs DATABASE_URL and REDIS_URL)')
  .option(
    '--queues <names>',
    'task queues to serve, comma-separated (default: PLINTH_WORKER_QUEUES or "default"; the default queue also carries system jobs)',
  )
  .action(async (opts: { queues?: string }) => {
    await startWorker(loadConfig(), workerQueues(opts.queues));
  });

program
  .command('migrate')
  .description('apply pending database migrations of core and every enabled plugin')
  .option('--check', 'only list pending migrations; exit 1 if there are any')
  .action(async (opts: { check?: boolean }) => {
    const config = loadConfig();
    const ctx = await buildContext(config);
    if (opts.check) {
      const pending = await pendingMigrations(ctx.database.dataSource, migrationSets(ctx.plugins));
      await ctx.database.close();
      for (const p of pending.applied) print(`pending: ${p.plugin}/${p.migration}`);
      if (pending.applied.length) process.exit(1);
      print('No pending migrations.');
      return;
    }
    const n = await migrate(ctx, (m) => print(`  ${m}`));
    print(n ? `Applied ${n} migration(s).` : 'No migrations to apply.');
    const app = await createApp(ctx, { http: false, logger: ['error', 'warn'] });
    try {
      await runInstallHooks(app, ctx);
    } finally {
      await app.close();
    }
  });

program
  .command('backup <file>')
  .description('write a consistent logical backup of the whole database (every table, with a manifest)')
  .action(async (file: string) => {
    const ctx = await buildContext(loadConfig());
    try {
      await assertMigrated(ctx);
      const m = await writeBackup(ctx, path.resolve(file), (line) => print(`  ${line}`));
      const rows = m.tables.reduce((n, t) => n + t.rows, 0);
      print(`Backed up ${m.tables.length} tables (${rows} rows) of Plinth ${m.plinth_version} to ${file}.`);
    } finally {
      await ctx.database.close();
    }
  });

program
  .command('restore <file>')
  .description('restore a backup into an empty database (embedded or PostgreSQL), same versions only')
  .action(async (file: string) => {
    const ctx = await buildContext(loadConfig());
    try {
      const m = await restoreBackup(ctx, path.resolve(file), (line) => print(`  ${line}`));
      print(`Restored ${m.tables.length} tables from ${file} (taken ${m.created} on ${m.database}).`);
    } finally {
      await ctx.database.close();
    }
  });

program
  .command('createsuperuser')
  .description('create a superuser (interactively, or with --no-input and the flags)')
  .option('--username <name>')
  .option('--email <email>', '', '')
  .option('--password <password>', 'for scripts; prefer the prompt or PLINTH_SUPERUSER_PASSWORD')
  .option('--token <key>', 'also create this API token (40 hex characters)')
  .option('--no-input', 'do not prompt; fail when something is missing')
  .action(
    async (opts: { username?: string; email: string; password?: string; token?: string; input: boolean }) => {
      let { username, password } = opts;
      password ??= process.env.PLINTH_SUPERUSER_PASSWORD;
      if (opts.input) {
        username ??= (await ask('Username: ')).trim();
        if (!password) {
          password = await ask('Password: ', true);
          const again = await ask('Password (again): ', true);
          if (password !== again) fail(new Error('the passwords do not match'));
        }
      }
      if (!username) fail(new Error('--username is required'));
      if (!password) fail(new Error('--password (or PLINTH_SUPERUSER_PASSWORD) is required'));
      const config = loadConfig({
        ...process.env,
        PLINTH_SUPERUSER_NAME: username,
        PLINTH_SUPERUSER_PASSWORD: password,
        PLINTH_SUPERUSER_EMAIL: opts.email,
        PLINTH_SUPERUSER_API_TOKEN: opts.token ?? '',
      });
      await withApp(config, async (app) => {
        const objects = app.get<ObjectsService>(OBJECTS).as({ user: null, source: 'cli' });
        if ((await objects.find('users.user', { username })).length)
          fail(new Error(`user "${username}" already exists`));
        await ensureSuperuser(app, config, print);
      });
    },
  );

const plugins = program.command('plugins').description('inspect plugins');
plugins
  .command('list')
  .description('list built-in and enabled plugins (validates them)')
  .action(() => {
    const { plugins: list, models } = loadPlugins(loadConfig());
    const rows = list.map((p) => [
      p.name,
      p.version,
      p.builtin ? 'built-in' : p.packageName,
      p.builtin ? '' : `/plugins/${p.base_url}/`,
      String(models.all().filter((m) => m.plugin === p.name).length),
    ]);
    const head = ['NAME', 'VERSION', 'PACKAGE', 'BASE URL', 'MODELS'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows])
      print(
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      );
  });

const pluginCmd = program.command('plugin').description('write plugins');
pluginCmd
  .command('new')
  .description('create a plugin project in its own folder: manifest, a model, its migration, a test')
  .argument('<name>', 'folder and package name: lower-case letters, digits, - and _ (acme-widgets)')
  .option('--dir <parent>', 'directory to create the folder in', '.')
  .action((folder: string, opts: { dir: string }) => {
    const config = loadConfig();
    const builtins = discoverPlugins({ ...config, plugins: [] }).map((p) => p.name);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('@plinth/plugin-sdk/package.json') as { peerDependencies: Record<string, string> };
    const hostPeers = Object.fromEntries(
      Object.entries(sdk.peerDependencies).filter(([name]) => !name.startsWith('@plinth/')),
    );
    const result = scaffoldPlugin({
      folder,
      parent: path.resolve(opts.dir),
      versions: { plinth: PLINTH_VERSION, hostPeers },
      reserved: builtins,
    });
    const rel = path.relative(process.cwd(), result.dir) || '.';
    print(`Created plugin "${result.names.name}" in ${result.dir}:`);
    for (const f of result.files) print(`  ${f}`);
    print('');
    print('Next (see its README.md):');
    print(`  cd ${rel}`);
    const checkout = plinthCheckout(__dirname);
    const packages = checkout ? path.join(checkout, 'dist', 'packages') : '<plinth checkout>/dist/packages';
    if (!fs.existsSync(packages)) print(`  (cd ${checkout ?? '<plinth checkout>'} && npm run pack:packages)`);
    print(`  npm install -D ${packages}/*.tgz`);
    print('  npm run build && npm test');
    print(`  PLINTH_PLUGINS=${result.dir} npm start   # in the Plinth checkout`);
  });

function describeUninstall(plan: UninstallPlan): string[] {
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  const lines = plan.tables.map((t) => `table ${t.name} (${rows(t.rows)})`);
  if (plan.historyTable) lines.push(`migration history ${plan.historyTable}`);
  for (const r of plan.references) {
    const what = [
      r.deleted ? `${rows(r.deleted)} deleted` : '',
      r.updated ? `${rows(r.updated)} updated` : '',
    ]
      .filter(Boolean)
      .join(', ');
    if (!what) continue;
    const where = `${r.reference.table}.${r.reference.column}`;
    lines.push(`${r.reference.description ?? where}: ${what}${r.reference.description ? ` (${where})` : ''}`);
  }
  return lines;
}

plugins
  .command('uninstall')
  .description("drop a plugin's tables and migration history and its rows in core tables, in one transaction")
  .argument('<name>', 'plugin name (acme_widgets)')
  .option('--yes', 'do not ask for confirmation')
  .action(async (name: string, opts: { yes?: boolean }) => {
    const ctx = await buildContext(loadConfig());
    try {
      const plan = await planUninstall(ctx, name);
      print(`Uninstalling plugin "${name}" removes, in one transaction:`);
      for (const line of describeUninstall(plan)) print(`  ${line}`);
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new Error('not uninstalling without confirmation: pass --yes');
        const answer = await ask(`Type the plugin name to confirm: `);
        if (answer.trim() !== name) throw new Error('not confirmed; nothing was changed');
      }
      await uninstallPlugin(ctx, plan);
      print(`Uninstalled "${name}".`);
      if (plan.enabled) {
        print(
          `It is still enabled: remove ${plan.packageName ?? name} from PLINTH_PLUGINS (or the config file's "plugins"), or the next start installs it again.`,
        );
      }
    } finally {
      await ctx.database.close();
    }
  });

program
  .command('makemigrations')
  .description("write a migration for a plugin's entity changes (core: the platform tables)")
  .argument('<plugin>', 'plugin name, or "core"')
  .option('--name <name>', 'migration name', 'auto')
  .action(async (pluginName: string, opts: { name: string }) => {
    // A throwaway in-memory database with every existing migration applied.
    const config = { ...loadConfig(), databaseUrl: null };
    const ctx = await buildContext(config, { database: { inMemory: true } });
    try {
      await migrate(ctx);
      let dir: string;
      let prefixes: string[];
      if (pluginName === 'core') {
        dir = path.join(
          path.dirname(require.resolve('@plinth/core/package.json')),
          'src',
          'database',
          'migrations',
        );
        prefixes = ['core_'];
      } else {
        const p = ctx.plugins.find((x) => x.name === pluginName);
        if (!p) throw new Error(`no enabled plugin named "${pluginName}"`);
        dir = path.join(p.packageDir, 'src', 'migrations');
        prefixes = [`${p.name}_`];
      }
      const ds = ctx.database.dataSource;
      const indexNames = new Set(
        ds.entityMetadatas
          .filter((m) => prefixes.some((x) => m.tableName.startsWith(x)))
          .flatMap((m) => m.indices.map((i) => i.name)),
      );
      const labelKeys = labelForeignKeys(
        ctx.models,
        ctx.plugins.map((p) => p.name),
        pluginName,
      );
      const { up, down } = await diffSchema(
        ds,
        prefixes,
        indexNames,
        labelKeys,
        featureIndexesOf(ctx.models, pluginName),
      );
      if (up.length === 0) {
        print('No changes detected.');
        return;
      }
      const out = writeMigration(
        dir,
        opts.name === 'auto' ? `${pluginName}_${Date.now()}` : opts.name,
        up,
        down.reverse(),
      );
      print(
        `Wrote ${out.file} (${up.length} statements). Add ${out.className} to the plugin's "migrations" list.`,
      );
    } finally {
      await ctx.database.close();
    }
  });

program
  .command('runjob')
  .description(
    'run a registered job now, in this process; a user job must be enabled, its data is validated and the run is kept as a job result',
  )
  .argument('<name>')
  .option('--data <json>', 'job data (JSON object)', '{}')
  .action(async (name: string, opts: { data: string }) => {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(opts.data) as Record<string, unknown>;
    } catch {
      fail(new Error('--data must be a JSON object'));
    }
    await withApp(loadConfig(), async (app) => {
      const result = await app.get(QueueService).run(name, data, { checked: true });
      print(JSON.stringify(result, null, 2));
    });
  });

program
  .command('generate-demo-data')
  .description(
    'fill an empty database with a realistic, deterministic demo network (sites, racks, devices, cabling, IPAM, circuits, virtualization)',
  )
  .option(
    '--scale <scale>',
    `small, medium or large (large: ${SCALES.large.regions * SCALES.large.sitesPerRegion} sites, 10,000 devices)`,
    'small',
  )
  .option('--seed <n>', 'random seed (same seed, same data)', '1')
  .action(async (opts: { scale: string; seed: string }) => {
    if (!(opts.scale in SCALES)) fail(new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`));
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed)) fail(new Error('--seed must be an integer'));
    // Bulk writes make many short-lived objects: young-generation semi-spaces of 64 MiB (V8's
    // default is 16) let most die before a collection copies them (a `medium` generation took
    // 10% less time). V8 reads the limit whenever the young generation grows.
    v8.setFlagsFromString('--max-semi-space-size=64');
    await withApp(loadConfig(), async (app) => {
      const objects = app.get<ObjectsService>(OBJECTS).as({ user: null, source: 'cli' });
      const bar = progressBar('sites');
      const summary = await generateDemoData(objects, {
        scale: opts.scale as Scale,
        seed,
        progress: bar,
        log: process.stdout.isTTY ? undefined : print,
      });
      print(`Generated in ${summary.seconds.toFixed(1)} s:`);
      for (const [label, n] of Object.entries(summary.counts).sort()) print(`  ${label.padEnd(32)} ${n}`);
    });
  });

/** Commands contributed by plugins (`import-devicetypes`, ...). */
function addPluginCommands(): void {
  let commands: CliCommand[];
  try {
    commands = loadPlugins(loadConfig()).registries.get(CliCommands).items();
  } catch {
    // Broken plugin configuration: core commands still work and report it.
    return;
  }
  for (const c of commands) {
    const cmd = program.command(c.name).description(c.description);
    if (c.arguments) cmd.arguments(c.arguments);
    for (const o of c.options ?? [])
      cmd.option(o.flags, o.description, o.default as string | boolean | undefined);
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.opts();
      await withApp(loadConfig(), async (app) => {
        await c.run(
          {
            objects: app.get<ObjectsService>(OBJECTS).as({ user: null, source: 'cli' }),
            models: app.get(ModelRegistry),
            get: (token) => app.get(token as never, { strict: false }),
            log: print,
            interactive: !!process.stdout.isTTY,
          },
          command.args,
          options,
        );
      });
    });
  }
}

addPluginCommands();
program.parseAsync(process.argv).catch(fail);
