import { Injectable } from '@nestjs/common';
import { ALL_MODELS, sql, type CustomValidator, type CustomValidatorContext } from '@plinth/plugin-sdk';
import type { EntityManager } from 'typeorm';
import { RuleCache, type ModelRules } from '../rules/cache';
import { checkMinMax, checkRegex, checkRequired, isEmpty, uniqueMessage } from '../rules/checks';
import { columnExpr, errorField, valueOf } from '../rules/targets';

/**
 * Values this transaction has validated per unique rule and value key, by object id: a bulk
 * write validates every object before inserting any, so objects of one batch must see each other.
 */
type BatchValues = Map<string, Map<string, Set<string>>>;

/**
 * Enforces the enabled rules on every write of every model with the `custom_validators`
 * feature (REST, GraphQL, UI forms, bulk edit, CSV import, jobs: they all use the one write path),
 * reporting the rule's message on the field it checks.
 */
@Injectable()
export class RuleEnforcer implements CustomValidator {
  readonly model = ALL_MODELS;
  private readonly batches = new WeakMap<EntityManager, BatchValues>();

  constructor(private readonly cache: RuleCache) {}

  async validate(ctx: CustomValidatorContext): Promise<void> {
    const rules = await this.cache.rulesFor(ctx.tx, ctx.tx.models, ctx.model.label);
    if (!rules) return;
    const record = ctx.object;
    const report = (field: string, message: string | null) => {
      if (message) ctx.error(field, message);
    };
    for (const { rule, target } of rules.required)
      report(errorField(target), checkRequired(rule, valueOf(record, target)));
    for (const { rule, target } of rules.regex)
      report(errorField(target), checkRegex(rule, valueOf(record, target)));
    for (const { rule, target } of rules.minmax)
      report(errorField(target), checkMinMax(rule, valueOf(record, target)));
    await this.checkUnique(ctx, rules.unique);
  }

  private async checkUnique(ctx: CustomValidatorContext, rules: ModelRules['unique']): Promise<void> {
    const record = ctx.object;
    const id = typeof record.id === 'string' ? record.id : null;
    let batch = this.batches.get(ctx.tx.manager);
    if (!batch) this.batches.set(ctx.tx.manager, (batch = new Map()));
    for (const { rule, target } of rules) {
      const value = valueOf(record, target);
      if (isEmpty(value)) continue;
      const scopeValues = rule.scopeTargets.map((s) => valueOf(record, s) ?? null);
      const key = JSON.stringify([value, ...scopeValues]);
      let byKey = batch.get(rule.id);
      if (!byKey) batch.set(rule.id, (byKey = new Map()));
      // Objects of this transaction: counted from here (by their new values), not from the table.
      const pending = new Set<string>();
      for (const ids of byKey.values()) for (const x of ids) pending.add(x);
      if (id) pending.add(id);
      const sameBatch = [...(byKey.get(key) ?? [])].filter((x) => x !== id).length;
      const t = 't';
      const scope = rule.scopeTargets.map(
        (s, i) => sql`${columnExpr(s, t)} IS NOT DISTINCT FROM ${scopeValues[i] as unknown}`,
      );
      const asText = target.kind === 'custom_field' ? String(value) : value;
      const row = await ctx.tx.one<{ n: string }>(
        sql`SELECT count(*) AS "n" FROM ${sql.table(ctx.model.label)} ${sql.ident(t)}
            WHERE ${sql.and([
              sql`${columnExpr(target, t)} = ${asText}`,
              ...scope,
              pending.size ? sql`NOT (${sql.ident(t, 'id')} = ANY(${[...pending]}::uuid[]))` : sql.empty,
            ])}`,
      );
      if (Number(row?.n ?? 0) + sameBatch >= rule.max_instances) {
        ctx.error(errorField(target), uniqueMessage(rule));
        continue;
      }
      if (id) {
        for (const ids of byKey.values()) ids.delete(id);
        let ids = byKey.get(key);
        if (!ids) byKey.set(key, (ids = new Set()));
        ids.add(id);
      }
    }
  }
}
