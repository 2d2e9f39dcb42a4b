import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox of change events for event subscribers (see EventOutbox). */
export class CoreEventOutbox1796700000000 implements MigrationInterface {
  name = 'CoreEventOutbox1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "core_eventoutbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "subscriber" character varying(200) NOT NULL, "events" jsonb NOT NULL, "status" character varying(20) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT 0, "next_attempt" TIMESTAMP WITH TIME ZONE, "last_error" text NOT NULL DEFAULT '', CONSTRAINT "PK_core_eventoutbox" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_core_eventoutbox_due" ON "core_eventoutbox" ("status", "next_attempt")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "core_eventoutbox"`);
  }
}
