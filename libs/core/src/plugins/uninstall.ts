import type { EntityManager } from 'typeorm';
import { ContentTypeReferences, pluginNameProblem, type ContentTypeReference } from '@plinth/plugin-sdk';
import type { PlinthContext } from '../app/context';
import { MIGRATION_LOCK_KEY, historyTable } from '../database/migrations';

/** A plugin cannot be uninstalled; the message is one line naming the plugin and the reason. */
export class UninstallError extends Error {
  constructor(plugin: string, reason: string) {
    super(`plugin "${plugin}": ${reason}`);
  }
}

export interface ReferenceCleanup {
  reference: ContentTypeReference;
  /** Rows deleted, and rows whose labels are removed. */
  deleted: number;
  updated: number;
}

/** What `plinth plugins uninstall` removes, counted before anything is touched. */
export interface UninstallPlan {
  plugin: string;
  /** Whether the plugin is enabled in this configuration (its manifest is known). */
  enabled: boolean;
  packageName: string | null;
  tables: { name: string; rows: number }[];
  /** `plinth_migrations_<name>`, or null when the database has none. */
  historyTable: string | null;
  references: ReferenceCleanup[];
}

const q = (ident: string): string => `"${ident.replace(/"/g, '""')}"`;

/** SQL conditions on a reference column, for the labels of models of app `$1` (the plugin name). */
function conditions(r: ContentTypeReference): { matches: string; onlyMatches: string } {
  const col = `t.${q(r.column)}`;
  if (r.kind === 'value') {
    const matches = `split_part(${col}, '.', 1) = $1`;
    return { matches, onlyMatches: matches };
  }
  const any = (op: string) =>
    `EXISTS (SELECT 1 FROM unnest(${col}) AS x(v) WHERE split_part(x.v, '.', 1) ${op} $1)`;
  return { matches: any('='), onlyMatches: `cardinality(${col}) > 0 AND NOT ${any('<>')}` };
}

/** Rows a reference cleanup deletes (`deleted`) and changes (`updated`). */
function statements(r: ContentTypeReference): { deleted: string | null; updated: string | null } {
  const t = `${q(r.table)} AS t`;
  const { matches, onlyMatches } = conditions(r);
  if (r.onRemove === 'delete-row') return { deleted: `FROM ${t} WHERE ${matches}`, updated: null };
  if (r.kind === 'value') return { deleted: null, updated: `FROM ${t} WHERE ${matches}` };
  return {
    deleted: r.deleteIfEmpty ? `FROM ${t} WHERE ${onlyMatches}` : null,
    updated: `FROM ${t} WHERE ${matches}${r.deleteIfEmpty ? ` AND NOT (${onlyMatches})` : ''}`,
  };
}

async function count(m: EntityManager, from: string | null, plugin: string): Promise<number> {
  if (!from) return 0;
  const [row] = (await m.query(`SELECT count(*)::int AS n ${from}`, [plugin])) as { n: number }[];
  return row.n;
}

async function apply(m: EntityManager, r: ContentTypeReference, plugin: string): Promise<void> {
  const { deleted } = statements(r);
  const { matches } = conditions(r);
  if (deleted) await m.query(`DELETE ${deleted}`, [plugin]);
  if (r.onRemove === 'delete-row') return;
  const col = q(r.column);
  const value =
    r.kind === 'value'
      ? 'NULL'
      : `ARRAY(SELECT x.v FROM unnest(t.${col}) WITH ORDINALITY AS x(v, n) WHERE split_part(x.v, '.', 1) <> $1 ORDER BY x.n)`;
  await m.query(`UPDATE ${q(r.table)} AS t SET ${col} = ${value} WHERE ${matches}`, [plugin]);
}

/**
 * The plugin's tables: its entities' tables (and their join tables) when it is enabled, and every
 * table named `<name>_...` that belongs to no other model and to no other installed plugin with a
 * longer name (`acme_widgets_...` is not `acme`'s).
 */
async function pluginTables(ctx: PlinthContext, name: string, existing: Set<string>): Promise<string[]> {
  const ds = ctx.database.dataSource;
  const plugin = ctx.plugins.find((p) => p.name === name);
  const entities = new Set<unknown>(
    plugin
      ? [...(plugin.manifest.models ?? []).map((d) => d.entity), ...(plugin.manifest.entities ?? [])]
      : [],
  );
  const own = new Set<string>();
  const others = new Set<string>();
  for (const meta of ds.entityMetadatas) {
    if (meta.isJunction) continue;
    const target = entities.has(meta.target) ? own : others;
    target.add(meta.tableName);
    for (const rel of meta.manyToManyRelations) {
      if (rel.junctionEntityMetadata) target.add(rel.junctionEntityMetadata.tableName);
    }
  }
  const installed = [...existing]
    .filter((t) => t.startsWith('plinth_migrations_'))
    .map((t) => t.slice('plinth_migrations_'.length));
  const longer = [...new Set([...installed, ...ctx.plugins.map((p) => p.name)])].filter(
    (other) => other !== name && other.startsWith(`${name}_`),
  );
  const prefixed = [...existing].filter(
    (t) => t.startsWith(`${name}_`) && !others.has(t) && !longer.some((other) => t.startsWith(`${other}_`)),
  );
  return [...new Set([...[...own].filter((t) => existing.has(t) && !others.has(t)), ...prefixed])].sort();
}

/** Check that `name` may be uninstalled and count what would go. Touches nothing. */
export async function planUninstall(ctx: PlinthContext, name: string): Promise<UninstallPlan> {
  const problem = pluginNameProblem(name);
  if (problem) throw new UninstallError(name, problem);
  const plugin = ctx.plugins.find((p) => p.name === name);
  if (plugin?.builtin) throw new UninstallError(name, 'is built in; it cannot be uninstalled');
  if (plugin) {
    const dependents = ctx.plugins
      .filter((p) => (p.manifest.dependsOn ?? []).includes(name))
      .map((p) => p.name);
    if (dependents.length) {
      throw new UninstallError(
        name,
        `enabled plugin${dependents.length > 1 ? 's' : ''} ${dependents.map((d) => `"${d}"`).join(', ')} depend${dependents.length > 1 ? '' : 's'} on it; uninstall or disable ${dependents.length > 1 ? 'them' : 'it'} first`,
      );
    }
  }
  const ds = ctx.database.dataSource;
  const existing = new Set(
    (
      (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)) as {
        tablename: string;
      }[]
    ).map((r) => r.tablename),
  );
  const history = historyTable(name);
  const tableNames = await pluginTables(ctx, name, existing);
  if (!existing.has(history) && tableNames.length === 0) {
    throw new UninstallError(
      name,
      plugin
        ? 'is not installed in this database (it has no tables)'
        : 'no such plugin is enabled or installed in this database',
    );
  }
  const m = ds.manager;
  const tables: UninstallPlan['tables'] = [];
  for (const t of tableNames) {
    const [row] = (await m.query(`SELECT count(*)::int AS n FROM ${q(t)}`)) as { n: number }[];
    tables.push({ name: t, rows: row.n });
  }
  const dropped = new Set(tableNames);
  const references: ReferenceCleanup[] = [];
  for (const reference of ctx.registries.get(ContentTypeReferences).items()) {
    if (dropped.has(reference.table) || !existing.has(reference.table)) continue;
    const s = statements(reference);
    references.push({
      reference,
      deleted: await count(m, s.deleted, name),
      updated: await count(m, s.updated, name),
    });
  }
  return {
    plugin: name,
    enabled: !!plugin,
    packageName: plugin?.packageName ?? null,
    tables,
    historyTable: existing.has(history) ? history : null,
    references,
  };
}

/**
 * Remove a plugin's data, in one transaction: the rows and labels of its models in other tables
 * (every registered ContentTypeReference), its tables and its migration history.
 */
export async function uninstallPlugin(ctx: PlinthContext, plan: UninstallPlan): Promise<void> {
  await ctx.database.dataSource.transaction(async (m) => {
    // Not while a migrator runs (it takes the same lock for the whole run).
    await m.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    for (const r of plan.references) await apply(m, r.reference, plan.plugin);
    const tables = [...plan.tables.map((t) => t.name), ...(plan.historyTable ? [plan.historyTable] : [])];
    if (tables.length) await m.query(`DROP TABLE IF EXISTS ${tables.map(q).join(', ')} CASCADE`);
  });
}
