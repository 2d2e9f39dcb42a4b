import { Injectable } from '@nestjs/common';
import {
  InjectReads,
  type ApiObject,
  type JobContext,
  type JobDefinition,
  type ReadService,
  type RecordOf,
} from '@plinth/plugin-sdk';
import { compareSection } from '../compliance/sections';
import { saveGoldenConfig } from '../golden-configs';
import {
  complianceRuleModel,
  configComplianceModel,
  goldenConfigModel,
  goldenConfigSettingModel,
  type ComplianceRule,
} from '../models';
import { DEVICE_SELECTION, deviceLink, refId, selectedDevices } from './device-selection';

/**
 * "Run compliance": for each selected device with a backup and an intended configuration, each
 * compliance rule of its platform compares the rule's sections of both (ordered or not) and
 * stores the outcome (actual, intended, missing, extra lines) as a config compliance result.
 * Results of rules that no longer apply to the device are deleted.
 */
@Injectable()
export class RunComplianceJob implements JobDefinition {
  readonly name = 'golden_config.run_compliance';
  readonly label = 'Run compliance';
  readonly grouping = 'Golden Configuration';
  readonly description = 'Compare each device’s backup with its intended configuration, rule by rule.';
  readonly variables = DEVICE_SELECTION;

  constructor(@InjectReads() private readonly reads: ReadService) {}

  async run(ctx: JobContext, data: Record<string, unknown>): Promise<unknown> {
    const settings = await ctx.objects.find(goldenConfigSettingModel);
    const devices = await selectedDevices(this.reads, ctx, data, [
      ...new Set(settings.map((s) => String(s.platform))),
    ]);
    const rules = await ctx.objects.find(complianceRuleModel);
    ctx.log_info(`Checking compliance of ${devices.length} devices.`);
    let checked = 0;
    for (const device of devices) {
      if (ctx.signal.aborted) {
        ctx.log_warning(`Stopped: ${String((ctx.signal.reason as Error).message)}.`);
        break;
      }
      if (await this.check(ctx, device, rules)) checked++;
    }
    return { checked, skipped: devices.length - checked };
  }

  /** Check one device; false when it has nothing to compare. */
  private async check(
    ctx: JobContext,
    device: ApiObject,
    rules: readonly RecordOf<ComplianceRule>[],
  ): Promise<boolean> {
    const link = { object: deviceLink(device) };
    const [golden] = await ctx.objects.find(goldenConfigModel, { device: String(device.id) }, { limit: 1 });
    if (!golden?.backup_config || !golden.intended_config) {
      ctx.log_warning(`${String(device.display)}: no backup or no intended configuration, skipped.`, link);
      return false;
    }
    const platform = refId(device.platform);
    const mine = rules.filter((r) => String(r.platform) === platform);
    const existing = await ctx.objects.find(configComplianceModel, { device: String(device.id) });
    const byRule = new Map(existing.map((c) => [String(c.rule), c]));
    let compliant = 0;
    for (const rule of mine) {
      const outcome = compareSection(
        golden.backup_config,
        golden.intended_config,
        rule.match_config,
        rule.config_ordered,
      );
      if (outcome.compliance) compliant++;
      const have = byRule.get(rule.id);
      if (have) await ctx.objects.update(configComplianceModel, [{ id: have.id, ...outcome }]);
      else
        await ctx.objects.create(configComplianceModel, [
          { device: String(device.id), rule: rule.id, ...outcome },
        ]);
    }
    const stale = existing.filter((c) => !mine.some((r) => r.id === String(c.rule))).map((c) => c.id);
    if (stale.length) await ctx.objects.delete(configComplianceModel, stale);
    await saveGoldenConfig(ctx.objects, String(device.id), { compliance_last_success_date: new Date() });
    const line = `${String(device.display)}: ${compliant} of ${mine.length} rules compliant.`;
    if (compliant === mine.length) ctx.log_success(line, link);
    else ctx.log_warning(line, link);
    return true;
  }
}
