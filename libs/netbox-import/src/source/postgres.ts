import { Client } from 'pg';
import { fromTables, type ForeignKey, type Table } from './tables';
import type { NetboxData } from './types';

/** `postgresql://user:***@host/db`: for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Read a NetBox 4.x database through `pg`, in one read-only transaction (a consistent snapshot;
 * nothing is written there).
 */
export async function readPostgres(url: string): Promise<NetboxData> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`cannot connect to ${redact(url)}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const names = (
      await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
    const fks = (
      await client.query<ForeignKey>(
        `SELECT tc.table_name AS "table", kcu.column_name AS "column", ccu.table_name AS "references"
           FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
           JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
          WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
      )
    ).rows;
    const tables: Table[] = [];
    for (const name of names) {
      // Only NetBox's own apps; sessions, caches and search indexes are not needed.
      if (!/^(auth|users|django_content_type|extras|tenancy|dcim|ipam|circuits|virtualization)/.test(name))
        continue;
      const res = await client.query({ text: `SELECT * FROM "${name}"`, rowMode: 'array' });
      tables.push({
        name,
        columns: res.fields.map((f) => f.name),
        rows: (res.rows as unknown[][]).map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : v))),
      });
    }
    await client.query('COMMIT');
    return fromTables(`PostgreSQL database ${redact(url)}`, tables, fks);
  } finally {
    await client.end();
  }
}
