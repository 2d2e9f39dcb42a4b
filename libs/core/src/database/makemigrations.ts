import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { ModelLookup, ModelMeta, RelationMeta } from '@plinth/plugin-sdk';

export interface GeneratedMigration {
  className: string;
  file: string;
  up: string[];
  down: string[];
}

/** Table a schema statement touches (CREATE/ALTER TABLE, CREATE INDEX ... ON, COMMENT ON ...). */
function tableOf(statement: string): string | null {
  const m =
    /^(?:CREATE TABLE|ALTER TABLE|DROP TABLE)\s+(?:IF (?:NOT )?EXISTS\s+)?"([^"]+)"/i.exec(statement) ??
    /^CREATE (?:UNIQUE )?INDEX\s+"[^"]+"\s+ON\s+"([^"]+)"/i.exec(statement) ??
    /^COMMENT ON COLUMN\s+"([^"]+)"/i.exec(statement);
  return m ? m[1] : null;
}

/**
 * Constraints and indexes named by hand (lower-case names, e.g. cross-plugin foreign keys or
 * expression indexes added to a migration) are unknown to the entities; never drop or re-add them.
 */
function handWritten(statement: string): boolean {
  const m =
    /(?:DROP CONSTRAINT|ADD CONSTRAINT|DROP INDEX(?: "public"\.)?|CREATE (?:UNIQUE )?INDEX)\s+"([^"]+)"/i.exec(
      statement,
    );
  return !!m && !/^(FK|IDX|UQ|PK|REL|CHK|DF)_/.test(m[1]);
}

function pascal(s: string): string {
  return s.replace(/(^|[_-])(\w)/g, (_m, _s, c: string) => c.toUpperCase());
}

/**
 * The schema changes that would bring the database in line with the entities of the given tables,
 * as TypeORM computes them, restricted to one plugin's tables. `ds` must point at a database with
 * every existing migration applied.
 */
export async function diffSchema(
  ds: DataSource,
  tablePrefixes: readonly string[],
  indexNames: ReadonlySet<string>,
  labelKeys: readonly LabelForeignKey[] = [],
  featureIndexes: readonly TableIndex[] = [],
): Promise<{ up: string[]; down: string[] }> {
  const log = await ds.driver.createSchemaBuilder().log();
  const existing = await foreignKeysOn(ds, labelKeys);
  // TypeORM knows no relation behind a label target, so it would drop the constraint a migration
  // made for it; those constraints stay.
  const ofLabelKeys = new Set([...existing.values()].flat());
  const keep = (q: string): boolean => {
    if (handWritten(q)) return false;
    const fk = /CONSTRAINT\s+"([^"]+)"/i.exec(q);
    if (fk && ofLabelKeys.has(fk[1])) return false;
    const table = tableOf(q);
    if (table) return tablePrefixes.some((p) => table.startsWith(p));
    const idx = /^DROP INDEX\s+"(?:public"\.")?([^"]+)"/i.exec(q);
    return !!idx && indexNames.has(idx[1]);
  };
  const up = log.upQueries.map((q) => q.query).filter(keep);
  const down = log.downQueries.map((q) => q.query).filter(keep);
  for (const k of labelKeys) {
    if ((existing.get(`${k.table}.${k.column}`) ?? []).length) continue;
    const name = `fk_${k.table}_${k.column}`.slice(0, 63);
    up.push(
      `ALTER TABLE "${k.table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${k.column}") REFERENCES "${k.target_table}"("id") ON DELETE ${k.on_delete} ON UPDATE NO ACTION`,
    );
    down.push(`ALTER TABLE "${k.table}" DROP CONSTRAINT "${name}"`);
  }
  const present = await indexesPresent(ds, featureIndexes);
  for (const i of featureIndexes) {
    if (present.has(i.name)) continue;
    up.push(`CREATE INDEX "${i.name}" ON "${i.table}" ${i.definition}`);
    down.push(`DROP INDEX "public"."${i.name}"`);
  }
  return { up, down };
}

/** An index a model feature needs on one table (`ModelFeatureProvider.indexes`). */
export interface TableIndex {
  table: string;
  name: string;
  definition: string;
}

/** The feature indexes of one plugin's models (core: the `core_` tables). */
export function featureIndexesOf(
  models: ModelLookup & { featureIndexes(model: ModelMeta): readonly { name: string; definition: string }[] },
  plugin: string,
): TableIndex[] {
  return models
    .all()
    .filter((m) => (plugin === 'core' ? m.table.startsWith('core_') : m.plugin === plugin))
    .flatMap((m) => models.featureIndexes(m).map((i) => ({ table: m.table, ...i })));
}

async function indexesPresent(ds: DataSource, indexes: readonly TableIndex[]): Promise<Set<string>> {
  if (indexes.length === 0) return new Set();
  const rows = (await ds.query(`SELECT indexname FROM pg_indexes WHERE indexname = ANY($1::text[])`, [
    indexes.map((i) => i.name),
  ])) as { indexname: string }[];
  return new Set(rows.map((r) => r.indexname));
}

/**
 * A foreign key whose target is named by label or typed ref (a model of another plugin, or a
 * core model from the SDK's CoreModels): the entity declares no TypeORM relation, so
 * makemigrations writes its constraint itself.
 */
export interface LabelForeignKey {
  table: string;
  column: string;
  target_table: string;
  on_delete: 'RESTRICT' | 'CASCADE' | 'SET NULL';
}

/**
 * The label-target foreign keys of one plugin's models whose target tables exist when the
 * plugin migrates (a target in a plugin that depends on this one gets its constraint from that
 * plugin's migration instead).
 */
export function labelForeignKeys(
  models: ModelLookup & { targetOf(f: RelationMeta): ModelMeta },
  pluginOrder: readonly string[],
  plugin: string,
): LabelForeignKey[] {
  const position = (name: string): number => (name === 'core' ? -1 : pluginOrder.indexOf(name));
  const out: LabelForeignKey[] = [];
  for (const model of models.all()) {
    if (model.plugin !== plugin && !(plugin === 'core' && model.table.startsWith('core_'))) continue;
    for (const f of model.fields) {
      if (f.kind !== 'fk' || typeof f.target === 'function' || !f.owner) continue;
      const target = models.targetOf(f);
      const targetPlugin = target.table.startsWith('core_') ? 'core' : target.plugin;
      if (position(targetPlugin) > position(plugin)) continue;
      out.push({
        table: model.table,
        column: f.column,
        target_table: target.table,
        on_delete:
          f.on_delete === 'CASCADE' ? 'CASCADE' : f.on_delete === 'SET_NULL' ? 'SET NULL' : 'RESTRICT',
      });
    }
  }
  return out;
}

/** Names of the foreign-key constraints on each `table.column`. */
async function foreignKeysOn(
  ds: DataSource,
  keys: readonly LabelForeignKey[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (keys.length === 0) return out;
  const rows = (await ds.query(
    `SELECT c.conname AS name, t.relname AS tbl, a.attname AS col
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
      WHERE c.contype = 'f' AND t.relname = ANY($1::text[])`,
    [[...new Set(keys.map((k) => k.table))]],
  )) as { name: string; tbl: string; col: string }[];
  const wanted = new Set(keys.map((k) => `${k.table}.${k.column}`));
  for (const r of rows) {
    const key = `${r.tbl}.${r.col}`;
    if (wanted.has(key)) out.set(key, [...(out.get(key) ?? []), r.name]);
  }
  return out;
}

function quote(statement: string): string {
  return '`' + statement.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

/** Write a TypeORM migration class for the statements into `dir`. */
export function writeMigration(
  dir: string,
  name: string,
  up: string[],
  down: string[],
  timestamp = Date.now(),
  generator = 'plinth makemigrations',
): GeneratedMigration {
  const className = `${pascal(name)}${timestamp}`;
  const file = path.join(dir, `${timestamp}-${pascal(name)}.ts`);
  const body = (list: string[]) => list.map((q) => `    await q.query(${quote(q)});`).join('\n');
  const text = `import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated by \`${generator}\`. */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(q: QueryRunner): Promise<void> {
${body(up)}
  }

  async down(q: QueryRunner): Promise<void> {
${body(down)}
  }
}
`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, text);
  return { className, file, up, down };
}
