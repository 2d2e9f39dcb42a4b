import { sql, type SqlRunner } from '@plinth/plugin-sdk';
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

/**
 * The custom fields of this process, kept current with the database. Filters (`cf_<key>`) are
 * resolved synchronously while a query is compiled, so they read this copy. A write of a custom
 * field or choice in this process marks it stale and the next request reloads it first; a
 * watcher looks for changes made by other server replicas every second (outside requests, so
 * requests' query counts do not change). Writes validate against the transaction's own view.
 */
export class CustomFieldDefinitions {
  private all: CustomFieldDef[] = [];
  private stamped = '';
  /** Written in this process since the last load: reload before the next request. */
  stale = true;
  /** Bumped whenever the loaded definitions change (the GraphQL schema is rebuilt on it). */
  version = 0;

  forModel(label: string): CustomFieldDef[] {
    return this.all.filter((f) => f.content_types.includes(label));
  }

  /**
   * Reload when the tables changed since the last look; answers the current version. Only a
   * request's refresh (`forRequest`) clears `stale`: the watcher may run while the writing
   * transaction is still open, and the writer's next request must see its own change.
   */
  async refresh(db: SqlRunner, forRequest = false): Promise<number> {
    // Cleared before reading: a write landing meanwhile marks it stale again.
    const wasStale = this.stale;
    if (forRequest) this.stale = false;
    try {
      const now = await stamp(db);
      if (now !== this.stamped) {
        const defs = await loadDefinitions(db);
        if (JSON.stringify(defs) !== JSON.stringify(this.all)) this.version += 1;
        this.all = defs;
        this.stamped = now;
      }
    } catch (e) {
      if (forRequest && wasStale) this.stale = true;
      throw e;
    }
    return this.version;
  }

  /** Forget the stamp: the next refresh reloads (after a write in this process). */
  invalidate(): void {
    this.stamped = '';
    this.stale = true;
  }
}

/** One copy per process: models, filters and GraphQL read the same definitions. */
export const customFieldDefinitions = new CustomFieldDefinitions();
