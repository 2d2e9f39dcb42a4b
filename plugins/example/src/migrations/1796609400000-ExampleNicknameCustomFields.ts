import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Nicknames have custom fields (PRIMARY_FEATURES): their value column. */
export class ExampleNicknameCustomFields1796609400000 implements MigrationInterface {
  name = 'ExampleNicknameCustomFields1796609400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "example_nickname" ADD "_custom_field_data" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "example_nickname" DROP COLUMN "_custom_field_data"`);
  }
}
