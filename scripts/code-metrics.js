#!/usr/bin/env node
'use strict';
// Counts the code smells issue 8 set out to remove, so a change can state before/after figures:
// model labels as string literals, String()/Number() coercions, non-null assertions,
// `Record<string, unknown>` records, and SQL outside the one door (`ctx.query` / `sql`).
// Usage: node scripts/code-metrics.js [tree]   (production sources only; specs are skipped)
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? '.');
const PATTERNS = {
  'model labels as strings':
    /'(?:core|users|extras|tenancy|dcim|ipam|circuits|virtualization|example)\.[a-z_]+'/g,
  'String()/Number() coercions': /\b(?:String|Number)\(/g,
  'non-null assertions': /[\w)\]]!(?=[.[;,)\s])/g,
  'Record<string, unknown>': /Record<string, unknown>/g,
};
// Domains (built-in plugins) must reach SQL only through the SDK's door: tagged `sql` templates.
const DOMAIN_PATTERNS = {
  'domains: SQL text passed as a string': /\.query\(\s*(?:'|"|`|text\b)/g,
  'domains: SQL through the door (sql`...`)': /\bsql`/g,
};
const KERNEL = /^libs\/(?:core|testing|rest|graphql|ui)\//;

function* sources(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (
      /\.ts$/.test(entry.name) &&
      !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name) &&
      !full.includes('/migrations/')
    )
      yield full;
  }
}

const counts = Object.fromEntries(
  [...Object.keys(PATTERNS), ...Object.keys(DOMAIN_PATTERNS)].map((k) => [k, 0]),
);
let files = 0;
for (const top of ['libs', 'apps', 'plugins']) {
  const dir = path.join(root, top);
  if (!fs.existsSync(dir)) continue;
  for (const file of sources(dir)) {
    if (!file.includes(`${path.sep}src${path.sep}`)) continue;
    files++;
    const text = fs.readFileSync(file, 'utf8');
    for (const [name, re] of Object.entries(PATTERNS)) counts[name] += (text.match(re) ?? []).length;
    if (top === 'apps' || KERNEL.test(path.relative(root, file))) continue;
    for (const [name, re] of Object.entries(DOMAIN_PATTERNS)) counts[name] += (text.match(re) ?? []).length;
  }
}
console.log(`${files} source files under ${root}`);
for (const [name, n] of Object.entries(counts)) console.log(`${String(n).padStart(6)}  ${name}`);
