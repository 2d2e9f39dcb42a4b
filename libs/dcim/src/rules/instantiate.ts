import { sql, type BatchContext, type Rec } from '@plinth/plugin-sdk';
import { idsOf } from '../batch';
import { KINDS_BY_DEPENDENCY } from '../components/kinds';

/** Fields every component copies from its template. */
const COMMON = ['name', 'label', 'description'] as const;

/**
 * A new device gets its type's components: one per template, created through the write path
 * (validated, change-logged with the device as related object) in one batch per component kind
 * for all devices of the write. Links between templates (a power outlet's power port, a front
 * port's rear port) become links between the device's components, which is why kinds are
 * created in dependency order.
 */
export async function instantiateComponents(ctx: BatchContext): Promise<void> {
  const { records, tx } = ctx;
  const types = idsOf(records, 'device_type');
  if (types.length === 0) return;
  // Every template of the types in one query (as JSON rows, the tables differ).
  const rows = await tx.query(
    sql.join(
      KINDS_BY_DEPENDENCY.map(
        (k) =>
          sql`SELECT ${k.label}::text AS kind, to_jsonb(t) AS row FROM ${sql.table(k.template_label)} t WHERE t.device_type_id = ANY(${types}::uuid[])`,
      ),
      ' UNION ALL ',
    ),
  );
  /** `<device id>|<template id>` -> created component id, for the links of later kinds. */
  const created = new Map<string, string>();
  for (const kind of KINDS_BY_DEPENDENCY) {
    const templates = rows
      .filter((r) => r.kind === kind.label)
      .map((r) => r.row as Rec)
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    if (templates.length === 0) continue;
    const byType = new Map<string, Rec[]>();
    for (const t of templates) {
      const list = byType.get(String(t.device_type_id)) ?? [];
      list.push(t);
      byType.set(String(t.device_type_id), list);
    }
    const template = tx.models.require(kind.template_label);
    const links = Object.entries(kind.links ?? {});
    const copied = kind.template_fields.filter((f) => !kind.links?.[f]);
    const data: Rec[] = [];
    const origin: string[] = [];
    for (const device of records) {
      for (const t of byType.get(String(device.device_type)) ?? []) {
        const item: Rec = { device: device.id };
        for (const f of [...COMMON, ...copied]) item[f] = t[f];
        for (const [templateField, link] of links) {
          const target = t[template.field(templateField)!.column!];
          item[link.field] = target ? (created.get(`${String(device.id)}|${String(target)}`) ?? null) : null;
        }
        data.push(item);
        origin.push(`${String(device.id)}|${String(t.id)}`);
      }
    }
    const components = await tx.objects.create(kind.label, data);
    components.forEach((c, i) => created.set(origin[i], String(c.id)));
  }
}
