import {
  READS,
  SYSTEM_ACTOR,
  sql,
  type AnyRecord,
  type JobContext,
  type JobDefinition,
  type ModelMeta,
  type ReadService,
} from '@plinth/plugin-sdk';
import { RuleCache, type Loaded, type ModelRules } from '../rules/cache';
import { checkMinMax, checkRegex, checkRequired, uniqueMessage } from '../rules/checks';
import type { ValidationRule } from '../rules/entities';
import { columnExpr, valueOf, type RuleTarget } from '../rules/targets';
import { RuleAuditResult } from './entities';
import { auditResultModel } from './models';

export const AUDIT_JOB = 'data_validation.audit';

/** Objects read per page while checking a model. */
const PAGE = 500;

interface Violation {
  id: string;
  value: unknown;
  message: string;
}

type ResultRow = Pick<
  RuleAuditResult,
  | 'rule_type'
  | 'rule_id'
  | 'rule_name'
  | 'content_type'
  | 'field'
  | 'checked'
  | 'violations'
  | 'violating_objects'
>;

/** Field kinds whose empty value is '' (the unique audit leaves empty values out, as writes do). */
const TEXTUAL = new Set(['string', 'text', 'slug', 'color', 'choice']);

/**
 * Checks every stored object against the enabled rules: each violation is a log line linked to
 * the object, and each rule's outcome replaces its stored result (the dashboard's counts).
 */
export const auditJob: JobDefinition = {
  name: AUDIT_JOB,
  label: 'Audit data validation rules',
  grouping: 'Data Validation',
  description: 'Check existing objects against the enabled data validation rules and record the violations.',
  async run(ctx, data) {
    const cache = ctx.get(RuleCache);
    const reads = ctx.get<ReadService>(READS);
    const settings = cache.settings;
    const rules = await cache.all(ctx.db, ctx.models);
    const only = typeof data.content_type === 'string' && data.content_type ? data.content_type : null;
    const results: ResultRow[] = [];
    for (const [label, modelRules] of rules) {
      if (only && label !== only) continue;
      const model = ctx.models.get(label);
      if (!model) continue;
      if (ctx.signal.aborted) throw new Error(`Stopped: ${String((ctx.signal.reason as Error)?.message)}`);
      results.push(...(await auditModel(ctx, reads, model, modelRules, settings.audit_examples_per_rule)));
    }
    // One statement replaces the results: a dashboard never shows half an audit. (The job keeps
    // no transaction open while it reads: reads go through the read path's own connection.)
    await ctx.db.query(
      sql`WITH "gone" AS (DELETE FROM ${sql.table(auditResultModel)} WHERE ${only ? sql`"content_type" = ${only}` : sql`TRUE`})
          INSERT INTO ${sql.table(auditResultModel)} ("id", "created", "last_updated", "rule_type", "rule_id", "rule_name", "content_type", "field", "checked", "violations", "violating_objects", "job_result")
          SELECT gen_random_uuid(), now(), now(), r."rule_type", r."rule_id", r."rule_name", r."content_type", r."field", r."checked", r."violations", r."violating_objects", ${ctx.job_result_id}::uuid
          FROM jsonb_to_recordset(${JSON.stringify(results)}::jsonb) AS r("rule_type" varchar, "rule_id" uuid, "rule_name" varchar, "content_type" varchar, "field" varchar, "checked" integer, "violations" integer, "violating_objects" jsonb)`,
    );
    const total = results.reduce((n, r) => n + r.violations, 0);
    const summary = `${results.length} rule${results.length === 1 ? '' : 's'} checked, ${total} violation${total === 1 ? '' : 's'}.`;
    if (total) ctx.log_warning(summary, { grouping: 'summary' });
    else ctx.log_success(summary, { grouping: 'summary' });
    return { rules: results.length, violations: total };
  },
  variables: {
    content_type: {
      type: 'string',
      required: false,
      description: 'Audit only the rules of this model (`dcim.device`); empty: every rule.',
    },
  },
};

async function auditModel(
  ctx: JobContext,
  reads: ReadService,
  model: ModelMeta,
  rules: ModelRules,
  examples: number,
): Promise<ResultRow[]> {
  const valueRules: {
    loaded: Loaded<ValidationRule>;
    check: (v: unknown) => string | null;
    found: Violation[];
  }[] = [
    ...rules.required.map((l) => ({ loaded: l, check: (v: unknown) => checkRequired(l.rule, v), found: [] })),
    ...rules.regex.map((l) => ({ loaded: l, check: (v: unknown) => checkRegex(l.rule, v), found: [] })),
    ...rules.minmax.map((l) => ({ loaded: l, check: (v: unknown) => checkMinMax(l.rule, v), found: [] })),
  ];
  let checked = 0;
  if (valueRules.length) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await reads.list(
        SYSTEM_ACTOR,
        model.label,
        {},
        { limit: PAGE, offset, count: false, sort: ['id'] },
        { as: 'record' },
      );
      for (const record of page.results as AnyRecord[]) {
        for (const r of valueRules) {
          const value = valueOf(record, r.loaded.target);
          const message = r.check(value);
          if (message) r.found.push({ id: record.id, value, message });
        }
      }
      checked += page.results.length;
      if (page.results.length < PAGE) break;
    }
  } else {
    checked = await reads.count(SYSTEM_ACTOR, model.label);
  }
  const outcomes = valueRules.map((r) => ({ loaded: r.loaded, found: r.found }));
  for (const l of rules.unique) outcomes.push({ loaded: l, found: await uniqueViolations(ctx, model, l) });

  const results: ResultRow[] = [];
  for (const { loaded, found } of outcomes) {
    const shown = found.slice(0, examples);
    const objects = await reads.render(
      SYSTEM_ACTOR,
      model.label,
      shown.map((v) => v.id),
      { brief: true },
    );
    const display = new Map(objects.map((o) => [String(o.id), String(o.display)]));
    const violating = shown.map((v) => ({
      id: v.id,
      object_type: model.label,
      display: display.get(v.id) ?? v.id,
      value: jsonValue(v.value),
      message: v.message,
    }));
    const rule = loaded.rule;
    for (const v of violating)
      ctx.log_failure(`${v.display}: ${v.message}`, {
        object: { id: v.id, object_type: model.label, display: v.display },
        grouping: rule.name,
      });
    if (found.length > shown.length)
      ctx.log_warning(`${found.length - shown.length} more objects break rule "${rule.name}".`, {
        grouping: rule.name,
      });
    if (!found.length)
      ctx.log_success(`${model.verbose_name_plural}: no object breaks rule "${rule.name}".`, {
        grouping: rule.name,
      });
    results.push({
      rule_type: loaded.type,
      rule_id: rule.id,
      rule_name: rule.name,
      content_type: model.label,
      field: rule.field,
      checked,
      violations: found.length,
      violating_objects: violating,
    });
  }
  return results;
}

/** Every object in a group (value, plus the scope's values) larger than `max_instances`. */
async function uniqueViolations(
  ctx: JobContext,
  model: ModelMeta,
  loaded: ModelRules['unique'][number],
): Promise<Violation[]> {
  const { rule, target } = loaded;
  const t = 't';
  const value = columnExpr(target, t);
  const group = [value, ...rule.scopeTargets.map((s) => columnExpr(s, t))];
  const rows = await ctx.db.query<{ id: string; v: unknown }>(
    sql`SELECT "id", "v" FROM (
          SELECT ${sql.ident(t, 'id')} AS "id", ${value} AS "v", count(*) OVER (PARTITION BY ${sql.join(group)}) AS "n"
          FROM ${sql.table(model.label)} ${sql.ident(t)}
          WHERE ${value} IS NOT NULL${textual(target) ? sql` AND ${value}::text <> ''` : sql.empty}
        ) "g" WHERE "n" > ${rule.max_instances} ORDER BY "v"`,
  );
  const message = uniqueMessage(rule);
  return rows.map((r) => ({ id: r.id, value: r.v, message }));
}

function textual(target: RuleTarget): boolean {
  return target.kind === 'custom_field' || TEXTUAL.has(target.field.kind);
}

/** A value as JSON keeps it (dates as ISO text). */
function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return null;
  return v;
}
