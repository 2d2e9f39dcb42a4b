import {
  ValidationError,
  sql,
  type BatchContext,
  type ModelRule,
  type RuleContext,
  type Rec,
} from '@plinth/plugin-sdk';
import { idsOf } from '../batch';
import { tables } from '../tables';
import { NONCONNECTABLE_INTERFACE_TYPES } from '../component-choices';
import { CIRCUIT_TERMINATION } from '../components/kinds';
import { COMPATIBLE_TERMINATIONS } from './terminations';
import { statusId } from '../statuses';

const ENDS = ['a', 'b'] as const;

/** Cables default to the "Connected" status; a length needs a unit, no length no unit (as Nautobot). */
export async function prepareCable(ctx: RuleContext): Promise<void> {
  const { record } = ctx;
  if (record.status === null || record.status === undefined) {
    const id = await statusId(ctx.tx, 'Connected');
    if (id) record.status = id;
    else ctx.error('status', 'This field is required.');
  }
  if (record.length === null) record.length_unit = '';
}

/** One end of a cable, validated against the component it names. */
async function checkEnd(ctx: RuleContext, end: 'a' | 'b'): Promise<void> {
  const { record, tx } = ctx;
  const typeField = `termination_${end}_type`;
  const idField = `termination_${end}_id`;
  const label = String(record[typeField]);
  const id = String(record[idField]);
  const model = tx.models.get(label);
  if (!model) {
    ctx.error(typeField, `${label} objects cannot be cabled.`);
    return;
  }
  // Locks the component, so two cables for one port cannot slip past each other.
  const row = await tx.one(sql`SELECT * FROM ${sql.table(model)} WHERE id = ${id}::uuid FOR UPDATE`);
  if (!row) {
    ctx.error(idField, `No ${model.verbose_name} with id ${id} exists.`);
    return;
  }
  const name = String(row.name ?? `${model.verbose_name} ${id}`);
  if (row.cable_id !== null && row.cable_id !== record.id) {
    ctx.error(idField, `${name} already has a cable attached (#${String(row.cable_id).slice(0, 8)}).`);
    return;
  }
  const other = await tx.one(
    sql`SELECT id FROM ${tables.cable} WHERE id <> ${record.id}::uuid AND ((termination_a_type = ${label} AND termination_a_id = ${id}::uuid) OR (termination_b_type = ${label} AND termination_b_id = ${id}::uuid)) LIMIT 1`,
  );
  if (other) {
    ctx.error(idField, `${name} already has a cable attached (#${String(other.id).slice(0, 8)}).`);
    return;
  }
  if (label === 'dcim.interface' && NONCONNECTABLE_INTERFACE_TYPES.includes(String(row.type))) {
    ctx.error(idField, `Cables cannot be attached to ${String(row.type)} interfaces (${name}).`);
  }
  if (label === CIRCUIT_TERMINATION && row.provider_network_id !== null) {
    ctx.error(idField, 'Circuit terminations attached to a provider network may not be cabled.');
  }
}

/** Cable ends: compatible types, existing components without another cable (Nautobot's Cable.clean). */
export const cableRules: ModelRule[] = [
  async (ctx) => {
    const { record } = ctx;
    if (ctx.action === 'update') {
      for (const f of ['termination_a_type', 'termination_a_id', 'termination_b_type', 'termination_b_id']) {
        if (ctx.changed(f))
          ctx.error(f, 'The ends of an existing cable cannot be changed; delete it and create a new one.');
      }
      return;
    }
    const a = String(record.termination_a_type);
    const b = String(record.termination_b_type);
    if (!(COMPATIBLE_TERMINATIONS[a] ?? []).includes(b)) {
      ctx.error('termination_b_type', `Incompatible termination types: ${a} and ${b}.`);
      return;
    }
    if (a === b && record.termination_a_id === record.termination_b_id) {
      ctx.error('termination_b_id', 'Cannot connect a termination to itself.');
      return;
    }
    for (const end of ENDS) await checkEnd(ctx, end);
    if (!ctx.errors.empty) return;
    const pair = [a, b].sort().join(',');
    if (pair === 'dcim.frontport,dcim.rearport') {
      const [front, rear] = a === 'dcim.frontport' ? ['a', 'b'] : ['b', 'a'];
      const mapped = await ctx.tx.one(
        sql`SELECT 1 FROM ${tables.frontPort} WHERE id = ${record[`termination_${front}_id`]}::uuid AND rear_port_id = ${record[`termination_${rear}_id`]}::uuid`,
      );
      if (mapped)
        ctx.error('termination_b_id', 'A front port cannot be connected to its corresponding rear port.');
    }
  },
];

/** The components at the ends of these cables, per model: `[label, ids]`. */
function endsByModel(records: readonly Rec[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    for (const end of ENDS) {
      const label = String(r[`termination_${end}_type`]);
      out.set(label, [...(out.get(label) ?? []), String(r[`termination_${end}_id`])]);
    }
  }
  return out;
}

/**
 * Once cables are written, their ends point back at them (`cable`), change-logged like any
 * write. Two new cables of one batch on the same port are refused here (each alone was fine).
 */
export async function attachCableEnds(ctx: BatchContext): Promise<void> {
  const seen = new Map<string, number>();
  const errors = ctx.records.map(() => ({}) as Record<string, string[]>);
  ctx.records.forEach((r, i) => {
    for (const end of ENDS) {
      const key = `${String(r[`termination_${end}_type`])}:${String(r[`termination_${end}_id`])}`;
      const first = seen.get(key);
      if (first !== undefined && first !== i) {
        (errors[i][`termination_${end}_id`] ??= []).push(
          'This termination is used by another cable of this batch.',
        );
      }
      seen.set(key, i);
    }
  });
  if (errors.some((e) => Object.keys(e).length)) {
    throw new ValidationError(ctx.records.length === 1 ? errors[0] : errors);
  }
  const cableOf = new Map<string, unknown>();
  for (const r of ctx.records) for (const end of ENDS) cableOf.set(String(r[`termination_${end}_id`]), r.id);
  for (const [label, ids] of endsByModel(ctx.records)) {
    await ctx.tx.objects.update(
      label,
      ids.map((id) => ({ id, cable: cableOf.get(id) })),
      { allow_read_only: true },
    );
  }
}

/** Before cables go, their ends are released (`cable` cleared), change-logged. */
export async function detachCableEnds(ctx: BatchContext): Promise<void> {
  const cableIds = ctx.records.map((r) => String(r.id));
  for (const [label, ids] of endsByModel(ctx.records)) {
    const model = ctx.tx.models.get(label);
    if (!model) continue;
    const still = await ctx.tx.query(
      sql`SELECT id FROM ${sql.table(model)} WHERE id = ANY(${ids}::uuid[]) AND cable_id = ANY(${cableIds}::uuid[])`,
    );
    if (still.length) {
      await ctx.tx.objects.update(
        label,
        still.map((r) => ({ id: String(r.id), cable: null })),
        { allow_read_only: true },
      );
    }
  }
}

/**
 * A component (or circuit termination) that is deleted takes its cable with it, as Nautobot's
 * generic relations from terminations to cables do. Exported for the circuits plugin.
 */
export async function deleteAttachedCables(ctx: BatchContext): Promise<void> {
  const cables = idsOf(ctx.records, 'cable');
  if (cables.length) await ctx.tx.objects.delete('dcim.cable', cables);
}
