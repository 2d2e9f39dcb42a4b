import { sql, type SqlRunner } from '@plinth/plugin-sdk';
import { WatchedDefinitions, watch } from '../watched-definitions';
import type { CustomFieldType, FilterLogic } from './entities';

/** A custom field as validation, filters and every surface need it (choices included). */
export interface CustomFieldDef {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  content_types: string[];
  grouping: string;
  description: string;
  required: boolean;
  filter_logic: FilterLogic;
  default: unknown;
  weight: number;
  validation_minimum: number | null;
  validation_maximum: number | null;
  validation_regex: string;
  advanced_ui: boolean;
  /** Choice values (select, multi-select), by weight then value. */
  choices: string[];
}

/** As stored: PostgreSQL numerics come back as strings, and a field without choices has none. */
type FieldRow = Omit<CustomFieldDef, 'validation_minimum' | 'validation_maximum' | 'choices'> & {
  validation_minimum: string | number | null;
  validation_maximum: string | number | null;
  choices: string[] | null;
};

/** Every custom field with its choices, ordered as forms and panels show them. */
export async function loadDefinitions(db: SqlRunner): Promise<CustomFieldDef[]> {
  const rows = await db.query<FieldRow & Record<string, unknown>>(sql`
    SELECT f."id", f."key", f."label", f."type", f."content_types", f."grouping", f."description",
           f."required", f."filter_logic", f."default", f."weight", f."validation_minimum",
           f."validation_maximum", f."validation_regex", f."advanced_ui",
           (SELECT array_agg(c."value" ORDER BY c."weight", c."value") FROM "extras_customfieldchoice" c
             WHERE c."custom_field_id" = f."id") AS "choices"
    FROM "extras_customfield" f ORDER BY f."weight", f."label", f."key"`);
  return rows.map((r) => ({
    ...r,
    validation_minimum: r.validation_minimum === null ? null : Number(r.validation_minimum),
    validation_maximum: r.validation_maximum === null ? null : Number(r.validation_maximum),
    choices: r.choices ?? [],
  }));
}

/** What changes when a custom field or choice is written: compared to reload only on change. */
async function stamp(db: SqlRunner): Promise<string> {
  const row = await db.one<{ s: string }>(sql`
    SELECT concat_ws('|',
      (SELECT count(*) FROM "extras_customfield"), (SELECT max("last_updated") FROM "extras_customfield"),
      (SELECT count(*) FROM "extras_customfieldchoice"), (SELECT max("last_updated") FROM "extras_customfieldchoice")
    ) AS "s"`);
  return row?.s ?? '';
}

/** The custom fields of this process, kept current with the database (see WatchedDefinitions). */
export class CustomFieldDefinitions extends WatchedDefinitions<CustomFieldDef> {
  constructor() {
    super(stamp, loadDefinitions);
  }

  forModel(label: string): CustomFieldDef[] {
    return this.all.filter((f) => f.content_types.includes(label));
  }
}

/** One copy per process: models, filters and GraphQL read the same definitions. */
export const customFieldDefinitions = watch(new CustomFieldDefinitions());
