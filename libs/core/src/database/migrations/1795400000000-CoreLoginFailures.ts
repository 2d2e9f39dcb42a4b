import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed-login counters for lockouts (see LoginThrottle). */
export class CoreLoginFailures1795400000000 implements MigrationInterface {
  name = 'CoreLoginFailures1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "core_loginfailure" ("key" character varying(200) NOT NULL, "failures" integer NOT NULL DEFAULT 0, "first_failure" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_core_loginfailure" PRIMARY KEY ("key"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "core_loginfailure"`);
  }
}
