import type { NetboxData, NetboxRow } from './types';

/** A table as a NetBox database holds it: column names and rows of values (already typed). */
export interface Table {
  name: string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
}

/** A foreign key: `table.column` refers to `references`' id. */
export interface ForeignKey {
  table: string;
  column: string;
  references: string;
}

/** NetBox 4 moved users and groups to its own app; the importer reads them as 3.x named them. */
const MODEL_ALIASES: Record<string, string> = { 'users.user': 'auth.user', 'users.group': 'auth.group' };

/** Fields NetBox 4 renamed, as NetBox 3.x (and the mappings) name them. */
const FIELD_ALIASES: Record<string, Record<string, string>> = {
  'extras.customfield': { object_types: 'content_types' },
  'extras.tag': { object_types: 'content_types' },
};

/**
 * Turn the tables of a NetBox database into what `dumpdata` gives: rows per model (the tables
 * Django's content types name), foreign keys under the field's name (`site_id` → `site`),
 * content types as `[app, model]`, many-to-many tables folded into list fields of their owner.
 */
export function fromTables(
  description: string,
  tables: readonly Table[],
  fks: readonly ForeignKey[],
): NetboxData {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const contentTypes = new Map<string, [string, string]>();
  const ctTable = byName.get('django_content_type');
  if (!ctTable) throw new Error(`${description}: no django_content_type table: is this a NetBox database?`);
  const col = (t: Table, name: string) => t.columns.indexOf(name);
  for (const r of ctTable.rows)
    contentTypes.set(String(r[col(ctTable, 'id')]), [
      String(r[col(ctTable, 'app_label')]),
      String(r[col(ctTable, 'model')]),
    ]);
  const modelOfTable = new Map<string, string>([['django_content_type', 'contenttypes.contenttype']]);
  for (const [app, model] of contentTypes.values()) {
    const table = `${app}_${model}`;
    if (byName.has(table)) modelOfTable.set(table, `${app}.${model}`);
  }
  const fkOf = new Map<string, string>(fks.map((f) => [`${f.table}.${f.column}`, f.references]));
  const value = (table: string, column: string, v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    const target = fkOf.get(`${table}.${column}`);
    if (target === 'django_content_type') return contentTypes.get(String(v)) ?? null;
    return v;
  };

  const rows = new Map<string, NetboxRow[]>();
  const byPk = new Map<string, Map<string, NetboxRow>>();
  for (const t of tables) {
    const model = modelOfTable.get(t.name);
    if (!model) continue;
    const name = MODEL_ALIASES[model] ?? model;
    const aliases = FIELD_ALIASES[name] ?? {};
    const idIndex = col(t, 'id');
    const list: NetboxRow[] = [];
    const index = new Map<string, NetboxRow>();
    for (const r of t.rows) {
      const fields: Record<string, unknown> = {};
      t.columns.forEach((c, i) => {
        if (i === idIndex) return;
        const field = fkOf.has(`${t.name}.${c}`) && c.endsWith('_id') ? c.slice(0, -3) : c;
        fields[aliases[field] ?? field] = value(t.name, c, r[i]);
      });
      const row: NetboxRow = { model: name, pk: String(r[idIndex]), fields };
      list.push(row);
      index.set(row.pk, row);
    }
    rows.set(name, list);
    byPk.set(t.name, index);
  }

  // Many-to-many tables: `<owner table>_<field>` with a key to the owner and one to the other side.
  for (const t of tables) {
    if (modelOfTable.has(t.name)) continue;
    const keys = fks.filter((f) => f.table === t.name);
    if (keys.length !== 2) continue;
    const owner = keys.find((k) => t.name.startsWith(`${k.references}_`) && modelOfTable.has(k.references));
    const other = keys.find((k) => k !== owner);
    if (!owner || !other) continue;
    const ownerModel =
      MODEL_ALIASES[modelOfTable.get(owner.references)!] ?? modelOfTable.get(owner.references)!;
    let field = t.name.slice(owner.references.length + 1);
    field = FIELD_ALIASES[ownerModel]?.[field] ?? field;
    const index = byPk.get(owner.references)!;
    const oi = col(t, owner.column);
    const xi = col(t, other.column);
    for (const r of t.rows) {
      const row = index.get(String(r[oi]));
      if (!row) continue;
      const fields = row.fields as Record<string, unknown>;
      const list = (fields[field] as unknown[] | undefined) ?? [];
      list.push(value(t.name, other.column, r[xi]));
      fields[field] = list;
    }
  }

  // NetBox 4 keeps select choices in a choice set; 3.x kept them on the field.
  const sets = new Map((rows.get('extras.customfieldchoiceset') ?? []).map((s) => [s.pk, s]));
  for (const cf of rows.get('extras.customfield') ?? []) {
    const set =
      cf.fields.choice_set === null || cf.fields.choice_set === undefined
        ? undefined
        : sets.get(String(cf.fields.choice_set));
    if (!set) continue;
    const extra = Array.isArray(set.fields.extra_choices) ? (set.fields.extra_choices as unknown[]) : [];
    (cf.fields as Record<string, unknown>).choices = extra.map((c) =>
      Array.isArray(c) ? String(c[0]) : String(c),
    );
  }

  for (const list of rows.values())
    list.sort((a, b) => Number(a.pk) - Number(b.pk) || a.pk.localeCompare(b.pk));
  return { description, rows };
}
