import { sql, type TransactionContext } from '@plinth/plugin-sdk';
import type { CustomFieldDef } from './definitions';
import { CUSTOM_FIELD_COLUMN } from './feature';

/**
 * Upkeep of stored values when a custom field changes (Nautobot's signal handlers): every
 * object of a field's content types carries its key, so REST shows `null` for unset values and
 * filters see defaults. These statements change stored data, not objects' own fields: they are
 * not change-logged (as in Nautobot).
 */

function tableOf(tx: TransactionContext, label: string): string | null {
  const model = tx.models.get(label);
  return model?.has('custom_fields') ? model.table : null;
}

/** Add the key where it is missing (the default, or null); with `fillNulls`, nulls get the default too. */
export async function populateKey(
  tx: TransactionContext,
  labels: readonly string[],
  key: string,
  value: unknown,
  fillNulls: boolean,
): Promise<void> {
  const col = sql.ident(CUSTOM_FIELD_COLUMN);
  const json = JSON.stringify(value ?? null);
  for (const label of labels) {
    const table = tableOf(tx, label);
    if (!table) continue;
    const missing =
      fillNulls && value !== null && value !== undefined
        ? sql`(NOT (${col} ? ${key}) OR ${col} -> ${key} = 'null'::jsonb)`
        : sql`NOT (${col} ? ${key})`;
    await tx.query(
      sql`UPDATE ${sql.ident(table)} SET ${col} = ${col} || jsonb_build_object(${key}::text, ${json}::jsonb) WHERE ${missing}`,
    );
  }
}

/** Remove the key from every object of the given types (field deleted, or a type removed). */
export async function removeKey(
  tx: TransactionContext,
  labels: readonly string[],
  key: string,
): Promise<void> {
  const col = sql.ident(CUSTOM_FIELD_COLUMN);
  for (const label of labels) {
    const table = tableOf(tx, label);
    if (!table) continue;
    await tx.query(sql`UPDATE ${sql.ident(table)} SET ${col} = ${col} - ${key}::text WHERE ${col} ? ${key}`);
  }
}

/** Stored non-null values of a key (to check them against a changed definition), capped. */
export async function storedValues(
  tx: TransactionContext,
  labels: readonly string[],
  key: string,
  limit = 10_000,
): Promise<unknown[]> {
  const col = sql.ident(CUSTOM_FIELD_COLUMN);
  const out: unknown[] = [];
  for (const label of labels) {
    const table = tableOf(tx, label);
    if (!table) continue;
    const rows = await tx.query<{ v: unknown }>(
      sql`SELECT DISTINCT ${col} -> ${key} AS "v" FROM ${sql.ident(table)} WHERE ${col} -> ${key} IS NOT NULL AND ${col} -> ${key} <> 'null'::jsonb LIMIT ${limit}`,
    );
    out.push(...rows.map((r) => r.v));
  }
  return out;
}

/** Count objects of the types whose value is unset (for required fields without a default). */
export async function countUnset(
  tx: TransactionContext,
  labels: readonly string[],
  key: string,
): Promise<number> {
  const col = sql.ident(CUSTOM_FIELD_COLUMN);
  let n = 0;
  for (const label of labels) {
    const table = tableOf(tx, label);
    if (!table) continue;
    const row = await tx.one<{ n: number }>(
      sql`SELECT count(*)::int AS "n" FROM ${sql.ident(table)} WHERE ${col} -> ${key} IS NULL OR ${col} -> ${key} = 'null'::jsonb`,
    );
    n += row?.n ?? 0;
  }
  return n;
}

/** A stored record of the custom field model as the value checks need it. */
export function asDefinition(rec: Record<string, unknown>, choices: string[]): CustomFieldDef {
  return {
    id: String(rec.id),
    key: String(rec.key),
    label: String(rec.label),
    type: rec.type as CustomFieldDef['type'],
    content_types: (rec.content_types as string[] | undefined) ?? [],
    grouping: String(rec.grouping ?? ''),
    description: String(rec.description ?? ''),
    required: rec.required === true,
    filter_logic: (rec.filter_logic as CustomFieldDef['filter_logic'] | undefined) ?? 'loose',
    default: rec.default ?? null,
    weight: Number(rec.weight ?? 100),
    validation_minimum:
      rec.validation_minimum === null || rec.validation_minimum === undefined
        ? null
        : Number(rec.validation_minimum),
    validation_maximum:
      rec.validation_maximum === null || rec.validation_maximum === undefined
        ? null
        : Number(rec.validation_maximum),
    validation_regex: String(rec.validation_regex ?? ''),
    advanced_ui: rec.advanced_ui === true,
    choices,
  };
}
