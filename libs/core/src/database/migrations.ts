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

/**
 * Migrations not yet applied, per plugin (`plinth migrate --check`, start-up without migrating,
 * health checks). Read-only, two queries whatever the number of plugins: a plugin whose history
 * table does not exist yet has all its migrations pending.
 */
export async function pendingMigrations(
  ds: DataSource,
  sets: readonly MigrationSet[],
): Promise<MigrationReport> {
  const existing = new Set(
    (
      (await ds.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'plinth\\_migrations\\_%'`,
      )) as { tablename: string }[]
    ).map((r) => r.tablename),
  );
  // History table names come from plugin names (lower-case letters, digits and _).
  const tables = sets.map((s) => historyTable(s.name)).filter((t) => existing.has(t));
  const done = new Set<string>();
  if (tables.length) {
    const rows = (await ds.query(
      tables.map((t) => `SELECT '${t}' AS history, name FROM "${t}"`).join(' UNION ALL '),
    )) as { history: string; name: string }[];
    for (const r of rows) done.add(`${r.history}/${r.name}`);
  }
  const pending: MigrationReport['applied'] = [];
  for (const set of sets) {
    for (const cls of set.migrations) {
      const name = migrationName(new cls(), cls);
      if (!done.has(`${historyTable(set.name)}/${name}`)) pending.push({ plugin: set.name, migration: name });
    }
  }
  return { applied: pending };
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
