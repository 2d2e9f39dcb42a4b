import { Injectable } from '@nestjs/common';
import { sql, type ModelLookup, type SqlRunner } from '@plinth/plugin-sdk';
import { dataValidationSettings, type DataValidationSettings } from '../settings';
import type {
  MinMaxValidationRule,
  RegularExpressionValidationRule,
  RequiredValidationRule,
  UniqueValidationRule,
} from './entities';
import { ruleGeneration } from './generation';
import { minMaxRuleModel, regexRuleModel, requiredRuleModel, uniqueRuleModel } from './models';
import { resolveTarget, ruleModel, type RuleKind, type RuleTarget } from './targets';

type Row<E> = Pick<E, Exclude<keyof E, '_custom_field_data' | 'created' | 'last_updated'>>;

/** An enabled rule with what its `field` names, ready to check values. */
export type Loaded<E> = { rule: Row<E>; target: RuleTarget; type: string };

/** The enabled rules of one model, by kind. */
export interface ModelRules {
  regex: Loaded<RegularExpressionValidationRule>[];
  minmax: Loaded<MinMaxValidationRule>[];
  required: Loaded<RequiredValidationRule>[];
  unique: Loaded<UniqueValidationRule & { scopeTargets: RuleTarget[] }>[];
}

interface Snapshot {
  at: number;
  generation: number;
  byModel: Map<string, ModelRules>;
}

const COMMON = sql`"id", "name", "content_type", "field", "enabled", "error_message"`;

/**
 * The enabled rules, read from the database once and kept: every write of every model asks for
 * its model's rules, so they must not cost a query each. Reloaded when a rule is written through
 * this process (see ruleGeneration) and after `rule_cache_ttl` seconds (rules written elsewhere).
 */
@Injectable()
export class RuleCache {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(@dataValidationSettings.inject() readonly settings: DataValidationSettings) {}

  /** The enabled rules of a model (none: undefined). */
  async rulesFor(db: SqlRunner, models: ModelLookup, label: string): Promise<ModelRules | undefined> {
    const s = this.snapshot;
    const fresh =
      s &&
      s.generation === ruleGeneration.current() &&
      Date.now() - s.at < this.settings.rule_cache_ttl * 1000;
    return (fresh ? s : await this.reload(db, models)).byModel.get(label);
  }

  /** Every enabled rule, read now (the audit job: it must not act on stale rules). */
  async all(db: SqlRunner, models: ModelLookup): Promise<Map<string, ModelRules>> {
    return (await this.load(db, models)).byModel;
  }

  private reload(db: SqlRunner, models: ModelLookup): Promise<Snapshot> {
    // Concurrent writes share one load.
    this.loading ??= this.load(db, models).then(
      (s) => {
        this.loading = null;
        return (this.snapshot = s);
      },
      (e: unknown) => {
        this.loading = null;
        throw e;
      },
    );
    return this.loading;
  }

  private async load(db: SqlRunner, models: ModelLookup): Promise<Snapshot> {
    const generation = ruleGeneration.current();
    const at = Date.now();
    const byModel = new Map<string, ModelRules>();
    const slot = (label: string): ModelRules => {
      let r = byModel.get(label);
      if (!r) byModel.set(label, (r = { regex: [], minmax: [], required: [], unique: [] }));
      return r;
    };
    const resolve = async (label: string, field: string, kind: RuleKind): Promise<RuleTarget | null> => {
      const model = ruleModel(models, label);
      if (typeof model === 'string') return null;
      const t = await resolveTarget(db, model, field, kind);
      // A rule whose field has gone (a deleted custom field) checks nothing; the audit says so.
      return typeof t === 'string' ? null : t;
    };
    for (const rule of await db.query<Row<RegularExpressionValidationRule>>(
      sql`SELECT ${COMMON}, "regular_expression" FROM ${sql.table(regexRuleModel)} WHERE "enabled"`,
    )) {
      const target = await resolve(rule.content_type, rule.field, 'regex');
      if (target) slot(rule.content_type).regex.push({ rule, target, type: regexRuleModel.label });
    }
    for (const rule of await db.query<Row<MinMaxValidationRule>>(
      sql`SELECT ${COMMON}, "min", "max" FROM ${sql.table(minMaxRuleModel)} WHERE "enabled"`,
    )) {
      const target = await resolve(rule.content_type, rule.field, 'minmax');
      const numeric = {
        ...rule,
        min: rule.min === null ? null : Number(rule.min),
        max: rule.max === null ? null : Number(rule.max),
      };
      if (target) slot(rule.content_type).minmax.push({ rule: numeric, target, type: minMaxRuleModel.label });
    }
    for (const rule of await db.query<Row<RequiredValidationRule>>(
      sql`SELECT ${COMMON} FROM ${sql.table(requiredRuleModel)} WHERE "enabled"`,
    )) {
      const target = await resolve(rule.content_type, rule.field, 'required');
      if (target) slot(rule.content_type).required.push({ rule, target, type: requiredRuleModel.label });
    }
    for (const rule of await db.query<Row<UniqueValidationRule>>(
      sql`SELECT ${COMMON}, "max_instances", "scope" FROM ${sql.table(uniqueRuleModel)} WHERE "enabled"`,
    )) {
      const target = await resolve(rule.content_type, rule.field, 'unique');
      const scopeTargets: RuleTarget[] = [];
      for (const name of rule.scope ?? []) {
        const s = await resolve(rule.content_type, name, 'unique');
        if (s) scopeTargets.push(s);
      }
      if (target && scopeTargets.length === (rule.scope ?? []).length)
        slot(rule.content_type).unique.push({
          rule: { ...rule, max_instances: Number(rule.max_instances), scopeTargets },
          target,
          type: uniqueRuleModel.label,
        });
    }
    return { at, generation, byModel };
  }
}
