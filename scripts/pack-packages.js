#!/usr/bin/env node
// Builds and packs every Plinth runtime package (the workspaces under libs/ and apps/) into one
// folder, so that a plugin developed outside this repository can install them from tarballs:
//
//   npm run pack:packages -- [--out <dir>] [--no-build]
//   cd ../acme-widgets && npm install -D <dir>/*.tgz
//
// Prints the tarballs' paths, one per line, on stdout (progress goes to stderr).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv) {
  const opts = { out: path.join(ROOT, 'dist', 'packages'), build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) opts.out = path.resolve(argv[++i]);
    else if (argv[i] === '--no-build') opts.build = false;
    else {
      process.stderr.write(`usage: pack-packages [--out <dir>] [--no-build]\n`);
      process.exit(2);
    }
  }
  return opts;
}

/** Workspace directories (`plugins/*` style entries expanded), relative to the root. */
function workspaces() {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return root.workspaces.flatMap((w) => {
    if (!w.endsWith('/*')) return [w];
    const parent = w.slice(0, -2);
    return fs
      .readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${parent}/${e.name}`);
  });
}

/** The runtime packages: published workspaces of libs/ and apps/ (not plugins, not the test suite). */
function runtimePackages() {
  return workspaces()
    .filter((dir) => /^(libs|apps)\//.test(dir))
    .map((dir) => ({ dir, json: JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) }))
    .filter((p) => !p.json.private);
}

/** Every @plinth dependency of a packed package must be packed too, or the install cannot resolve. */
function checkClosure(packages) {
  const names = new Set(packages.map((p) => p.json.name));
  const problems = [];
  for (const p of packages) {
    for (const field of ['dependencies', 'peerDependencies']) {
      for (const dep of Object.keys(p.json[field] ?? {})) {
        if (dep.startsWith('@plinth/') && !names.has(dep)) problems.push(`${p.json.name} ${field}: ${dep}`);
      }
    }
    if (!Array.isArray(p.json.files)) problems.push(`${p.json.name}: package.json has no "files" list`);
  }
  if (problems.length) {
    process.stderr.write(`pack-packages: not packable:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
}

function run(command, args) {
  const res = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (res.status !== 0) {
    process.stderr.write(res.stdout ?? '');
    process.stderr.write(`pack-packages: ${path.basename(command)} ${args.join(' ')} failed\n`);
    process.exit(1);
  }
  return res.stdout;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const packages = runtimePackages();
  checkClosure(packages);
  if (opts.build) {
    process.stderr.write('pack-packages: building (tsc -b)\n');
    run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-b']);
  }
  fs.mkdirSync(opts.out, { recursive: true });
  // Under `npm run`, npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npm =
    process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
      ? process.env.npm_execpath
      : null;
  const packArgs = [
    'pack',
    '--json',
    '--pack-destination',
    opts.out,
    ...packages.flatMap((p) => ['-w', p.dir]),
  ];
  const out = npm ? run(process.execPath, [npm, ...packArgs]) : run('npm', packArgs);
  const packed = JSON.parse(out);
  for (const p of packed) process.stdout.write(`${path.join(opts.out, p.filename)}\n`);
  process.stderr.write(`pack-packages: ${packed.length} packages in ${opts.out}\n`);
}

main();
