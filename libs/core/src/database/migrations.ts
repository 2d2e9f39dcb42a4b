import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { MigrationClass } from '@plinth/plugin-sdk';

/** Any number fixed for Plinth: the advisory lock that serialises concurrent migrators. */
export const MIGRATION_LOCK_KEY = 7_236_571_809;

export interface MigrationSet {
  /** Plugin name (`core` for the platform tables); names the history table. */
  name: string;
  migrations: readonly MigrationClass[];
}

export interface MigrationReport {
  applied: { plugin: string; migration: string }[];
}

export function historyTable(plugin: string): string {
  return `plinth_migrations_${plugin}`;
}

function migrationName(m: MigrationInterface, cls: MigrationClass): string {
  return m.name ?? cls.name;
}

async function appliedNames(qr: QueryRunner, table: string): Promise<Set<string>> {
  await qr.query(
    `CREATE TABLE IF NOT EXISTS "${table}" (
       id serial PRIMARY KEY,
       name varchar(255) NOT NULL UNIQUE,
       applied timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const rows = (await qr.query(`SELECT name FROM "${table}"`)) as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** Migrations not yet applied, per plugin (for `plinth migrate --check`, status). */
export async function pendingMigrations(
  ds: DataSource,
  sets: readonly MigrationSet[],
): Promise<MigrationReport> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    const pending: MigrationReport['applied'] = [];
    for (const set of sets) {
      const done = await appliedNames(qr, historyTable(set.name));
      for (const cls of set.migrations) {
        const name = migrationName(new cls(), cls);
        if (!done.has(name)) pending.push({ plugin: set.name, migration: name });
      }
    }
    return { applied: pending };
  } finally {
    await qr.release();
  }
}

/**
 * Apply every plugin's pending migrations, in plugin order, each in its own transaction and
 * recorded in that plugin's history table. An advisory lock makes concurrent starts (several
 * replicas) wait for each other instead of racing.
 */
export async function runMigrations(
  ds: DataSource,
  sets: readonly MigrationSet[],
  log: (message: string) => void = () => {},
): Promise<MigrationReport> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  const applied: MigrationReport['applied'] = [];
  await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    for (const set of sets) {
      const table = historyTable(set.name);
      const done = await appliedNames(qr, table);
      for (const cls of set.migrations) {
        const migration = new cls();
        const name = migrationName(migration, cls);
        if (done.has(name)) continue;
        await qr.startTransaction();
        try {
          await migration.up(qr);
          await qr.query(`INSERT INTO "${table}" (name) VALUES ($1)`, [name]);
          await qr.commitTransaction();
        } catch (e) {
          await qr.rollbackTransaction();
          throw new Error(`migration ${set.name}/${name} failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push({ plugin: set.name, migration: name });
        log(`applied ${set.name}/${name}`);
      }
    }
  } finally {
    await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    await qr.release();
  }
  return { applied };
}
