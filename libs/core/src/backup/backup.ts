import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { EntityManager } from 'typeorm';
import { migrationSets, type PlinthContext } from '../app/context';
import { runMigrations } from '../database/migrations';
import { API_VERSION, PLINTH_VERSION } from '../version';

/**
 * Logical backups: every table of the database (core's, every plugin's, their migration
 * histories, settings kept in tables) as JSON rows, read in one snapshot, with a manifest of the
 * versions that wrote them. Rows travel as PostgreSQL's own JSON (`to_jsonb`) and are loaded with
 * `jsonb_populate_recordset`, so every type (inet, arrays, jsonb, numerics of any precision,
 * timestamps) round-trips exactly, between PGlite and PostgreSQL alike.
 *
 * File: gzip of JSON lines. Line 1 `{"manifest": ...}`; then per table `{"table": name, "rows": n}`
 * followed by its n rows.
 */

export const BACKUP_FORMAT = 'plinth-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  plinth_version: string;
  api_version: string;
  created: string;
  /** The engine it was taken from (`pglite` or `postgresql`): informative, any engine restores it. */
  database: string;
  /** Every enabled plugin (built-in ones included) and its version. */
  plugins: Record<string, string>;
  tables: { name: string; rows: number }[];
}

export class BackupError extends Error {}

/** Rows per round trip, both ways. */
const BATCH = 500;

async function tablesOf(m: EntityManager): Promise<string[]> {
  const rows = (await m.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as { name: string }[];
  return rows.map((r) => r.name);
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pluginVersions(ctx: PlinthContext): Record<string, string> {
  return Object.fromEntries(
    ctx.plugins.map((p) => [p.name, p.version]).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Write a backup of the whole database to `file`. */
export async function writeBackup(
  ctx: PlinthContext,
  file: string,
  log: (m: string) => void = () => undefined,
): Promise<BackupManifest> {
  const ds = ctx.database.dataSource;
  const qr = ds.createQueryRunner();
  await qr.connect();
  const tmp = `${file}.partial`;
  const gzip = createGzip();
  const out = fs.createWriteStream(tmp);
  gzip.pipe(out);
  const write = async (line: string): Promise<void> => {
    if (!gzip.write(`${line}\n`)) await once(gzip, 'drain');
  };
  try {
    // One snapshot for every table: what the backup holds is a state the database was in.
    await qr.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const names = await tablesOf(qr.manager);
    const tables: BackupManifest['tables'] = [];
    for (const name of names) {
      const [{ n }] = (await qr.query(`SELECT count(*)::int AS n FROM ${ident(name)}`)) as { n: number }[];
      tables.push({ name, rows: n });
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      plinth_version: PLINTH_VERSION,
      api_version: API_VERSION,
      created: new Date().toISOString(),
      database: ctx.database.kind,
      plugins: pluginVersions(ctx),
      tables,
    };
    await write(JSON.stringify({ manifest }));
    for (const t of tables) {
      await write(JSON.stringify({ table: t.name, rows: t.rows }));
      await qr.query(
        `DECLARE plinth_backup NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS j FROM ${ident(t.name)} t`,
      );
      for (;;) {
        const rows = (await qr.query(`FETCH ${BATCH} FROM plinth_backup`)) as { j: string }[];
        for (const r of rows) await write(r.j);
        if (rows.length < BATCH) break;
      }
      await qr.query('CLOSE plinth_backup');
      log(`${t.name}: ${t.rows} rows`);
    }
    await qr.query('COMMIT');
    gzip.end();
    await once(out, 'close');
    fs.renameSync(tmp, file);
    return manifest;
  } catch (e) {
    await qr.query('ROLLBACK').catch(() => undefined);
    gzip.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    await qr.release();
  }
}

/** Lines of a backup file, one at a time. */
async function* lines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({
    input: fs.createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line) yield line;
}

/** The manifest of a backup file (its first line). */
export async function readManifest(file: string): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  let first: string | undefined;
  try {
    for await (const line of lines(file)) {
      first = line;
      break;
    }
  } catch (e) {
    throw new BackupError(`${file} is not a Plinth backup (${(e as Error).message})`);
  }
  const manifest = first ? (JSON.parse(first) as { manifest?: BackupManifest }).manifest : undefined;
  if (manifest?.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Plinth backup`);
  if (manifest.format_version !== BACKUP_FORMAT_VERSION)
    throw new BackupError(
      `${file} is a backup of format ${manifest.format_version}; this Plinth reads format ${BACKUP_FORMAT_VERSION}`,
    );
  return manifest;
}

/**
 * Why this backup cannot be restored by this Plinth (different Plinth or plugin versions, or a
 * different set of plugins), or null. Restore with the versions that wrote it, then upgrade.
 */
export function versionMismatch(manifest: BackupManifest, ctx: PlinthContext): string | null {
  const problems: string[] = [];
  if (manifest.plinth_version !== PLINTH_VERSION)
    problems.push(`it was written by Plinth ${manifest.plinth_version}; this is Plinth ${PLINTH_VERSION}`);
  const here = pluginVersions(ctx);
  for (const [name, version] of Object.entries(manifest.plugins)) {
    if (!(name in here)) problems.push(`plugin ${name} ${version} is not enabled here`);
    else if (here[name] !== version)
      problems.push(`plugin ${name} is ${here[name]} here, ${version} in the backup`);
  }
  for (const name of Object.keys(here))
    if (!(name in manifest.plugins))
      problems.push(`plugin ${name} is enabled here but was not in the backup`);
  if (!problems.length) return null;
  return `this backup does not match this installation: ${problems.join('; ')}. Restore it with the same Plinth and plugin versions, then upgrade (plinth migrate).`;
}

interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Restore a backup into an empty database: the schema comes from the migrations (the same ones,
 * as the version check guarantees), then every table is loaded in one transaction, foreign keys
 * set aside while loading and validated again at the end, sequences moved past the loaded ids.
 */
export async function restoreBackup(
  ctx: PlinthContext,
  file: string,
  log: (m: string) => void = () => undefined,
): Promise<BackupManifest> {
  const manifest = await readManifest(file);
  const mismatch = versionMismatch(manifest, ctx);
  if (mismatch) throw new BackupError(mismatch);
  const ds = ctx.database.dataSource;
  const existing = await tablesOf(ds.manager);
  if (existing.length)
    throw new BackupError(
      `restore needs an empty database, and this ${ctx.database.kind} database has ${existing.length} tables (${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', ...' : ''})`,
    );
  await runMigrations(ds, migrationSets(ctx.plugins), () => undefined);
  const present = new Set(await tablesOf(ds.manager));
  const unknown = manifest.tables.filter((t) => !present.has(t.name)).map((t) => t.name);
  if (unknown.length)
    throw new BackupError(`the backup has tables this installation does not: ${unknown.join(', ')}`);

  await ds.transaction(async (m) => {
    const fks = (await m.query(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    )) as ForeignKey[];
    for (const fk of fks) await m.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${ident(fk.name)}`);
    // Migrations may have seeded rows (and histories): the backup's rows replace them all.
    await m.query(`TRUNCATE ${[...present].map(ident).join(', ')}`);
    let table: string | null = null;
    let batch: string[] = [];
    const flush = async (): Promise<void> => {
      if (!table || batch.length === 0) return;
      // The rows' JSON text goes to PostgreSQL as it was read: no number passes through a double.
      await m.query(
        `INSERT INTO ${ident(table)} SELECT * FROM jsonb_populate_recordset(NULL::${ident(table)}, $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      batch = [];
    };
    let first = true;
    for await (const line of lines(file)) {
      if (first) {
        first = false;
        continue;
      }
      if (line.startsWith('{"table":')) {
        await flush();
        const header = JSON.parse(line) as { table: string; rows: number };
        if (table) log(`${table}: loaded`);
        table = header.table;
        continue;
      }
      batch.push(line);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (table) log(`${table}: loaded`);
    const serials = (await m.query(
      `SELECT table_name AS table, column_name AS column FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
    )) as { table: string; column: string }[];
    for (const s of serials)
      await m.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE((SELECT max(${ident(s.column)}) FROM ${ident(s.table)}), 0), 1))`,
        [ident(s.table), s.column],
      );
    for (const fk of fks)
      await m.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.definition}`);
  });
  return manifest;
}
