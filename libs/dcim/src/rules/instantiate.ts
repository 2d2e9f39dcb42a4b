import { sql, type BatchContext, type Rec } from '@plinth/plugin-sdk';
import { idsOf, query, type Row } from '../db';
import { statusId } from '../statuses';

/** Fields every component copies from its template. */
const COMMON = ['name', 'label', 'description'] as const;

interface Kind {
  /** Component model label. */
  label: string;
  template: string;
  /** Template fields copied as they are. */
  fields: readonly string[];
}

// Order matters: power outlets point at power ports, front ports at rear ports.
const KINDS: readonly Kind[] = [
  { label: 'dcim.consoleport', template: 'dcim_consoleporttemplate', fields: ['type'] },
  { label: 'dcim.consoleserverport', template: 'dcim_consoleserverporttemplate', fields: ['type'] },
  {
    label: 'dcim.powerport',
    template: 'dcim_powerporttemplate',
    fields: ['type', 'maximum_draw', 'allocated_draw'],
  },
  { label: 'dcim.poweroutlet', template: 'dcim_poweroutlettemplate', fields: ['type', 'feed_leg'] },
  { label: 'dcim.interface', template: 'dcim_interfacetemplate', fields: ['type', 'mgmt_only'] },
  { label: 'dcim.rearport', template: 'dcim_rearporttemplate', fields: ['type', 'positions'] },
  { label: 'dcim.frontport', template: 'dcim_frontporttemplate', fields: ['type', 'rear_port_position'] },
  { label: 'dcim.devicebay', template: 'dcim_devicebaytemplate', fields: [] },
];

/**
 * A new device gets its type's components: one per template, created through the write path
 * (validated, change-logged with the device as related object) in one batch per component kind
 * for all devices of the write. Power outlets are linked to the device's power ports and front
 * ports to its rear ports, by the names of the templates they point at.
 */
export async function instantiateComponents(ctx: BatchContext): Promise<void> {
  const { records, tx } = ctx;
  const types = idsOf(records, 'device_type');
  if (types.length === 0) return;
  // Every template of the types in one query (as JSON rows, the tables differ).
  const rows = await query(
    tx.manager,
    sql.join(
      KINDS.map(
        (k) =>
          sql`SELECT ${k.label}::text AS kind, to_jsonb(t) AS row FROM ${sql.ident(k.template)} t WHERE t.device_type_id = ANY(${types}::uuid[])`,
      ),
      ' UNION ALL ',
    ),
  );
  /** `<device id>|<template id>` of power port / rear port templates -> created component id. */
  const created = new Map<string, string>();
  for (const kind of KINDS) {
    const templates = rows
      .filter((r) => r.kind === kind.label)
      .map((r) => r.row as Row)
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    if (templates.length === 0) continue;
    const byType = new Map<string, Row[]>();
    for (const t of templates) {
      const list = byType.get(String(t.device_type_id)) ?? [];
      list.push(t);
      byType.set(String(t.device_type_id), list);
    }
    const data: Rec[] = [];
    const origin: string[] = [];
    const active = kind.label === 'dcim.interface' ? await statusId(tx, 'Active') : null;
    for (const device of records) {
      for (const t of byType.get(String(device.device_type)) ?? []) {
        const item: Rec = { device: device.id };
        for (const f of [...COMMON, ...kind.fields]) item[f] = t[f];
        if (active) item.status = active;
        if (kind.label === 'dcim.poweroutlet' && t.power_port_template_id)
          item.power_port = created.get(`${String(device.id)}|${String(t.power_port_template_id)}`) ?? null;
        if (kind.label === 'dcim.frontport')
          item.rear_port = created.get(`${String(device.id)}|${String(t.rear_port_template_id)}`);
        data.push(item);
        origin.push(`${String(device.id)}|${String(t.id)}`);
      }
    }
    const components = await tx.objects.create(kind.label, data);
    if (kind.label === 'dcim.powerport' || kind.label === 'dcim.rearport') {
      components.forEach((c, i) => created.set(origin[i], String(c.id)));
    }
  }
}
