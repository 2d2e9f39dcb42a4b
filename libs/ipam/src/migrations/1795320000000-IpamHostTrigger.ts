import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ipam_ipaddress._host` kept by the database: every writer (the write path, bulk loaders, raw
 * SQL) gets it right, as with a generated column (which TypeORM's schema diff cannot express).
 * Hand-written; TypeORM does not track triggers.
 */
export class IpamHostTrigger1795320000000 implements MigrationInterface {
  name = 'IpamHostTrigger1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION ipam_ipaddress_set_host() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW."_host" := set_masklen(NEW."address", CASE WHEN family(NEW."address") = 4 THEN 32 ELSE 128 END);
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER ipam_ipaddress_host BEFORE INSERT OR UPDATE OF "address", "_host" ON "ipam_ipaddress"
         FOR EACH ROW EXECUTE FUNCTION ipam_ipaddress_set_host()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER ipam_ipaddress_host ON "ipam_ipaddress"`);
    await q.query(`DROP FUNCTION ipam_ipaddress_set_host()`);
  }
}
