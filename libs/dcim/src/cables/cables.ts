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

/** One end of a new cable: the component it names and its fields. */
interface CableEnd {
  ctx: RuleContext;
  end: 'a' | 'b';
  label: string;
  id: string;
}

/**
 * The ends of the new cables of a write, validated against the components they name (Nautobot's
 * Cable.clean), set-based: one locking read of the components per model (so two cables for one
 * port cannot slip past each other; locked in id order, as every write locks) and one read of
 * the cables already on any of them, whatever the number of cables.
 */
export async function checkCableEnds(ctxs: readonly RuleContext[]): Promise<void> {
  const created = ctxs.filter((c) => c.action === 'create');
  if (created.length === 0) return;
  const tx = created[0].tx;
  const ends: CableEnd[] = created.flatMap((ctx) =>
    ENDS.map((end) => ({
      ctx,
      end,
      label: String(ctx.record[`termination_${end}_type`]),
      id: String(ctx.record[`termination_${end}_id`]),
    })),
  );
  const components = new Map<string, Rec>();
  for (const [label, ids] of endsByModel(created.map((c) => c.record))) {
    const model = tx.models.get(label);
    if (!model) continue;
    const rows = await tx.query(
      sql`SELECT * FROM ${sql.table(model)} WHERE id = ANY(${[...new Set(ids)]}::uuid[]) ORDER BY id FOR UPDATE`,
    );
    for (const r of rows) components.set(`${label}:${String(r.id)}`, r);
  }
  const ids = [...new Set(ends.map((e) => e.id))];
  const cabled = new Map<string, string[]>();
  for (const c of await tx.query(
    sql`SELECT id, termination_a_type AS at, termination_a_id AS ai, termination_b_type AS bt, termination_b_id AS bi FROM ${tables.cable} WHERE termination_a_id = ANY(${ids}::uuid[]) OR termination_b_id = ANY(${ids}::uuid[])`,
  )) {
    for (const [t, i] of [
      [c.at, c.ai],
      [c.bt, c.bi],
    ]) {
      const key = `${String(t)}:${String(i)}`;
      cabled.set(key, [...(cabled.get(key) ?? []), String(c.id)]);
    }
  }
  for (const { ctx, end, label, id } of ends) {
    const typeField = `termination_${end}_type`;
    const idField = `termination_${end}_id`;
    const model = tx.models.get(label);
    if (!model) {
      ctx.error(typeField, `${label} objects cannot be cabled.`);
      continue;
    }
    const row = components.get(`${label}:${id}`);
    if (!row) {
      ctx.error(idField, `No ${model.verbose_name} with id ${id} exists.`);
      continue;
    }
    const name = String(row.name ?? `${model.verbose_name} ${id}`);
    if (row.cable_id !== null && row.cable_id !== ctx.record.id) {
      ctx.error(idField, `${name} already has a cable attached (#${String(row.cable_id).slice(0, 8)}).`);
      continue;
    }
    const other = (cabled.get(`${label}:${id}`) ?? []).find((c) => c !== ctx.record.id);
    if (other) {
      ctx.error(idField, `${name} already has a cable attached (#${other.slice(0, 8)}).`);
      continue;
    }
    if (label === 'dcim.interface' && NONCONNECTABLE_INTERFACE_TYPES.includes(String(row.type))) {
      ctx.error(idField, `Cables cannot be attached to ${String(row.type)} interfaces (${name}).`);
    }
    if (label === CIRCUIT_TERMINATION && row.provider_network_id !== null) {
      ctx.error(idField, 'Circuit terminations attached to a provider network may not be cabled.');
    }
  }
  // A front port may not be cabled to its own rear port (rare: one read per such cable).
  for (const ctx of created) {
    const { record } = ctx;
    const [a, b] = [String(record.termination_a_type), String(record.termination_b_type)];
    if (!ctx.errors.empty || [a, b].sort().join(',') !== 'dcim.frontport,dcim.rearport') continue;
    const [front, rear] = a === 'dcim.frontport' ? ['a', 'b'] : ['b', 'a'];
    const mapped = await tx.one(
      sql`SELECT 1 FROM ${tables.frontPort} WHERE id = ${record[`termination_${front}_id`]}::uuid AND rear_port_id = ${record[`termination_${rear}_id`]}::uuid`,
    );
    if (mapped)
      ctx.error('termination_b_id', 'A front port cannot be connected to its corresponding rear port.');
  }
}

/**
 * Cable ends: compatible types, not the same component twice, ends fixed once made; what the
 * ends name is checked for the whole write by `checkCableEnds`.
 */
export const cableRules: ModelRule[] = [
  (ctx) => {
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
