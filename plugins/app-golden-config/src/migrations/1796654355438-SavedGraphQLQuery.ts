import { Kind, parse, valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The variables a query declares with their defaults, as extras fills a saved query's `variables`. */
function declaredVariables(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  try {
    for (const d of parse(text).definitions)
      if (d.kind === Kind.OPERATION_DEFINITION)
        for (const v of (d as OperationDefinitionNode).variableDefinitions ?? [])
          out[v.variable.name.value] = v.defaultValue ? valueFromASTUntyped(v.defaultValue) : null;
  } catch {
    // Stored queries were checked when saved; an unparsable one keeps no variables.
  }
  return out;
}

/**
 * A setting's GraphQL query becomes a reference to a saved query (`extras.graphqlquery`, as
 * Nautobot's `sot_agg_query`): each stored query text moves into a saved query named after its
 * setting.
 */
export class SavedGraphQLQuery1796654355438 implements MigrationInterface {
  name = 'SavedGraphQLQuery1796654355438';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "golden_config_goldenconfigsetting" ADD "sot_agg_query_id" uuid`);
    const rows = (await q.query(
      `SELECT "id", "name", "sot_agg_query" FROM "golden_config_goldenconfigsetting" WHERE btrim("sot_agg_query") <> ''`,
    )) as { id: string; name: string; sot_agg_query: string }[];
    for (const row of rows) {
      const [saved] = (await q.query(
        `INSERT INTO "extras_graphqlquery" ("created", "last_updated", "name", "query", "variables")
         SELECT now(), now(), n, $2::text, $3::jsonb
           FROM (SELECT CASE WHEN EXISTS (SELECT 1 FROM "extras_graphqlquery" WHERE "name" = $1::text)
                        THEN $1::text || ' ' || $4::text ELSE $1::text END AS n) AS pick
         RETURNING "id"`,
        [
          `Golden config: ${row.name}`,
          row.sot_agg_query,
          JSON.stringify(declaredVariables(row.sot_agg_query)),
          row.id,
        ],
      )) as { id: string }[];
      await q.query(
        `UPDATE "golden_config_goldenconfigsetting" SET "sot_agg_query_id" = $1 WHERE "id" = $2`,
        [saved.id, row.id],
      );
    }
    await q.query(`ALTER TABLE "golden_config_goldenconfigsetting" DROP COLUMN "sot_agg_query"`);
    await q.query(
      `CREATE INDEX "IDX_efd5fc4ceb2ee69222a66ae56b" ON "golden_config_goldenconfigsetting"  ("sot_agg_query_id") `,
    );
    await q.query(
      `ALTER TABLE "golden_config_goldenconfigsetting" ADD CONSTRAINT "fk_golden_config_goldenconfigsetting_sot_agg_query_id" FOREIGN KEY ("sot_agg_query_id") REFERENCES "extras_graphqlquery"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "golden_config_goldenconfigsetting" DROP CONSTRAINT "fk_golden_config_goldenconfigsetting_sot_agg_query_id"`,
    );
    await q.query(
      `ALTER TABLE "golden_config_goldenconfigsetting" ADD "sot_agg_query" text NOT NULL DEFAULT ''`,
    );
    await q.query(
      `UPDATE "golden_config_goldenconfigsetting" s SET "sot_agg_query" = g."query" FROM "extras_graphqlquery" g WHERE g."id" = s."sot_agg_query_id"`,
    );
    await q.query(`ALTER TABLE "golden_config_goldenconfigsetting" DROP COLUMN "sot_agg_query_id"`);
  }
}
