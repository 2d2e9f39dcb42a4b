import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { types as pgTypes } from 'pg';
import { DataSource, type Logger as TypeOrmLogger, type QueryRunner } from 'typeorm';
import { RequestContext } from '@plinth/plugin-sdk';
import type { PlinthConfig } from '../config/config';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DatabaseKind;
  dataSource: DataSource;
  /** Server version string (`PostgreSQL 17.2 ...`). */
  version(): Promise<string>;
  close(): Promise<void>;
  /** Embedded only: a snapshot of the data directory (test templates, backups). */
  dump?(): Promise<Blob>;
}

// Type parsing shared by both modes: counts and bigints as numbers, dates as 'YYYY-MM-DD' strings.
pgTypes.setTypeParser(20, (v) => Number(v));
pgTypes.setTypeParser(1082, (v) => v);

/** SQL statements run by this process, by kind (the `plinth_sql_queries_total` metric). */
export const sqlStatements: Record<string, number> = {};

function statementKind(query: string): string {
  const word = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'with'].includes(word) ? word : 'other';
}

/** Counts statements per request (for X-SQL-Queries) and reports errors/slow queries. */
class PlinthTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly verbose: boolean) {}

  logQuery(query: string, parameters?: unknown[]): void {
    const kind = statementKind(query);
    sqlStatements[kind] = (sqlStatements[kind] ?? 0) + 1;
    const ctx = RequestContext.current();
    if (ctx) ctx.sql_count++;
    if (this.verbose)
      process.stderr.write(`[sql] ${query} ${parameters?.length ? JSON.stringify(parameters) : ''}\n`);
  }
  logQueryError(): void {
    // Errors propagate to the caller, which maps them to API errors or logs them once.
  }
  logQuerySlow(time: number, query: string): void {
    process.stderr.write(`[sql] slow query (${time} ms): ${query.slice(0, 500)}\n`);
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    if (this.verbose) process.stderr.write(`[migration] ${message}\n`);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') process.stderr.write(`[typeorm] ${String(message)}\n`);
  }
}

export interface OpenDatabaseOptions {
  entities: Function[];
  /** Embedded only: start from a dump of a data directory (tests), in memory. */
  loadDataDir?: Blob;
  /** Embedded only: keep the database in memory (tests). */
  inMemory?: boolean;
}

/** One process at a time may open an embedded data directory. */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, 'plinth.lock');
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(fs.readFileSync(lock, 'utf8'));
    let alive: boolean;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) {
      throw new Error(
        `the embedded database in ${dir} is in use by process ${pid}; stop it first (or set DATABASE_URL to use PostgreSQL)`,
      );
    }
    fs.writeFileSync(lock, String(process.pid));
  }
  return () => fs.rmSync(lock, { force: true });
}

async function openEmbedded(
  config: PlinthConfig,
  opts: OpenDatabaseOptions,
  verbose: boolean,
): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let unlock = (): void => {};
  let db: InstanceType<typeof PGlite>;
  if (opts.inMemory || opts.loadDataDir) {
    db = await PGlite.create({ loadDataDir: opts.loadDataDir });
  } else {
    unlock = lockDataDir(config.dataDir);
    try {
      db = await PGlite.create(path.join(config.dataDir, 'pgdata'));
    } catch (e) {
      unlock();
      throw e;
    }
  }
  // PGlite speaks the PostgreSQL wire protocol through a private unix socket, so both modes run the
  // same `pg` driver code. One connection: PGlite is single-session, transactions queue on the pool.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-pg-'));
  const server = new PGLiteSocketServer({ db, path: path.join(socketDir, '.s.PGSQL.5432') });
  await server.start();
  const dataSource = new DataSource({
    type: 'postgres',
    host: socketDir,
    port: 5432,
    username: 'postgres',
    database: 'postgres',
    entities: opts.entities,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logger: new PlinthTypeOrmLogger(verbose),
    maxQueryExecutionTime: 5000,
    extra: { max: 1, connectionTimeoutMillis: 60_000 },
  });
  await dataSource.initialize();
  return {
    kind: 'pglite',
    dataSource,
    version: async () => ((await dataSource.query('SELECT version() AS v')) as { v: string }[])[0].v,
    dump: () => db.dumpDataDir('none') as Promise<Blob>,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await server.stop();
      await db.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
      unlock();
    },
  };
}

async function openPostgres(
  config: PlinthConfig,
  opts: OpenDatabaseOptions,
  verbose: boolean,
): Promise<Database> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: config.databaseUrl!,
    entities: opts.entities,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logger: new PlinthTypeOrmLogger(verbose),
    maxQueryExecutionTime: 5000,
    applicationName: 'plinth',
    extra: {
      max: config.dbPoolSize,
      connectionTimeoutMillis: 30_000,
      // JIT off for Plinth's sessions: recursive queries (cable paths, trees) get huge cost
      // estimates, and compiling them took 1.6 s for a 50 ms query. PGlite has no JIT.
      options: '-c jit=off',
    },
  });
  await dataSource.initialize();
  return {
    kind: 'postgresql',
    dataSource,
    version: async () => ((await dataSource.query('SELECT version() AS v')) as { v: string }[])[0].v,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

export async function openDatabase(config: PlinthConfig, opts: OpenDatabaseOptions): Promise<Database> {
  const verbose = config.logLevel === 'debug';
  return config.databaseUrl ? openPostgres(config, opts, verbose) : openEmbedded(config, opts, verbose);
}

export type { QueryRunner };
