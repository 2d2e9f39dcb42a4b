import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  OBJECTS,
  SQL,
  sql,
  type HealthCheck,
  type HealthCheckResult,
  type ObjectsService,
  type SqlRunner,
} from '@plinth/plugin-sdk';

/** Thrown to end the write probe's transaction with a rollback once the row has been read back. */
class ProbeRollback extends Error {}

const ms = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/**
 * The database answers a read (`SELECT 1`) and takes a write: a row inserted into the app's
 * `healthcheck_probe` table and read back, inside a transaction that is rolled back (the table
 * stays empty; nothing is change-logged).
 */
@Injectable()
export class DatabaseCheck implements HealthCheck {
  readonly name = 'database';
  readonly label = 'Database';

  constructor(
    @Inject(SQL) private readonly db: SqlRunner,
    @Inject(OBJECTS) private readonly objects: ObjectsService,
  ) {}

  async run(): Promise<HealthCheckResult> {
    let started = performance.now();
    const read = await this.db.one<{ ok: number }>(sql`SELECT 1 AS ok`);
    if (Number(read?.ok) !== 1) return { status: 'failing', message: 'The read probe returned no row.' };
    const readMs = ms(started);

    started = performance.now();
    const token = randomUUID();
    let readBack: string | undefined;
    try {
      await this.objects.transaction(async (tx) => {
        const row = await tx.one<{ id: string }>(
          sql`INSERT INTO "healthcheck_probe" ("token") VALUES (${token}) RETURNING "id"`,
        );
        const back = await tx.one<{ token: string }>(
          sql`SELECT "token" FROM "healthcheck_probe" WHERE "id" = ${row?.id}`,
        );
        readBack = back?.token;
        throw new ProbeRollback();
      });
    } catch (e) {
      if (!(e instanceof ProbeRollback)) throw e;
    }
    if (readBack !== token)
      return { status: 'failing', message: 'The write probe did not read back the row it wrote.' };
    const writeMs = ms(started);
    return {
      status: 'ok',
      message: `Read in ${readMs} ms; wrote and read back a probe row (rolled back) in ${writeMs} ms.`,
      data: { read_ms: readMs, write_ms: writeMs },
    };
  }
}
