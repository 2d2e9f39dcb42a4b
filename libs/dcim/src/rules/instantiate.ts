import { sql, type BatchContext, type Rec, type TransactionContext } from '@plinth/plugin-sdk';
import { KINDS_BY_DEPENDENCY, type ComponentKind } from '../components/kinds';

/** Fields every component copies from its template. */
const COMMON = ['name', 'label', 'description'] as const;

/** Something that gets one component per template of its type: a device, or a module. */
export interface TemplateOwner {
  /** The device's or module's id (keys the links between its new components). */
  id: string;
  /** Its device type's or module type's id. */
  type: string;
  /** Fields every created component gets (`device`, and `module` for a module's). */
  base: Rec;
  /** Name and label as the owner renders them (a module substitutes `{module}`). */
  rename?: (text: string) => string;
}

/** The templates of `types` for `kinds`, as JSON rows per kind label, sorted by name. */
export async function templatesOf(
  tx: TransactionContext,
  kinds: readonly ComponentKind[],
  column: 'device_type_id' | 'module_type_id',
  types: string[],
): Promise<Map<string, Rec[]>> {
  const out = new Map<string, Rec[]>();
  if (types.length === 0 || kinds.length === 0) return out;
  // Every template of the types in one query (as JSON rows, the tables differ).
  const rows = await tx.query(
    sql.join(
      kinds.map(
        (k) =>
          sql`SELECT ${k.label}::text AS kind, to_jsonb(t) AS row FROM ${sql.table(k.template_label)} t WHERE t.${sql.ident(column)} = ANY(${types}::uuid[])`,
      ),
      ' UNION ALL ',
    ),
  );
  for (const r of rows) {
    const list = out.get(String(r.kind));
    if (list) list.push(r.row as Rec);
    else out.set(String(r.kind), [r.row as Rec]);
  }
  for (const list of out.values()) list.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return out;
}

/**
 * One component per template of each owner's type, created through the write path (validated,
 * change-logged) in one batch per component kind for all owners. Links between templates (a
 * power outlet's power port, a front port's rear port) become links between the owner's
 * components, which is why kinds are created in dependency order.
 */
export async function instantiateTemplates(
  tx: TransactionContext,
  column: 'device_type_id' | 'module_type_id',
  owners: readonly TemplateOwner[],
  kinds: readonly ComponentKind[] = KINDS_BY_DEPENDENCY,
): Promise<void> {
  const ordered = KINDS_BY_DEPENDENCY.filter((k) => kinds.includes(k));
  const templates = await templatesOf(tx, ordered, column, [...new Set(owners.map((o) => o.type))]);
  /** `<owner id>|<template id>` -> created component id, for the links of later kinds. */
  const created = new Map<string, string>();
  for (const kind of ordered) {
    const list = templates.get(kind.label) ?? [];
    if (list.length === 0) continue;
    const byType = new Map<string, Rec[]>();
    for (const t of list) {
      const same = byType.get(String(t[column]));
      if (same) same.push(t);
      else byType.set(String(t[column]), [t]);
    }
    const template = tx.models.require(kind.template_label);
    // Each link as the template's column it reads and the component field it sets.
    const links = Object.entries(kind.links ?? {}).map(
      ([templateField, link]) => [template.field(templateField)!.column!, link.field] as const,
    );
    const copied = [...COMMON, ...kind.template_fields.filter((f) => !kind.links?.[f])];
    const data: Rec[] = [];
    const origin: string[] = [];
    for (const owner of owners) {
      const rename = owner.rename ?? ((s: string) => s);
      for (const t of byType.get(owner.type) ?? []) {
        const item: Rec = { ...owner.base };
        for (const f of copied) item[f] = t[f];
        item.name = rename(String(t.name));
        item.label = rename(String(t.label ?? ''));
        for (const [from, field] of links) {
          const target = t[from];
          item[field] = target ? (created.get(`${owner.id}|${String(target)}`) ?? null) : null;
        }
        data.push(item);
        origin.push(`${owner.id}|${String(t.id)}`);
      }
    }
    const components = await tx.objects.create(kind.label, data, { returning: 'ids' });
    components.forEach((c, i) => created.set(origin[i], String(c.id)));
  }
}

/** A new device gets its type's components (one per template). */
export async function instantiateComponents(ctx: BatchContext): Promise<void> {
  const owners = ctx.records
    .filter((d) => typeof d.device_type === 'string')
    .map((d) => ({ id: String(d.id), type: String(d.device_type), base: { device: d.id } }));
  if (owners.length) await instantiateTemplates(ctx.tx, 'device_type_id', owners);
}
